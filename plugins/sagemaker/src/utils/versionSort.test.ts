import { makeVersion, summaryOf } from '../__testUtils__/fixtures';
import { parseVersionSort, sortVersions } from './versionSort';
import { matchesSearch } from './versions';

const versions = [
  makeVersion('fraud', 1, { metrics: { accuracy: 0.91 } }),
  makeVersion('fraud', 2, { metrics: {} }),
  makeVersion('fraud', 3, { metrics: { accuracy: 0.95 } }),
  makeVersion('fraud', 4, { metrics: { accuracy: 0.87 } }),
].map(summaryOf);
const numbers = (sorted: typeof versions) => sorted.map(v => v.version);

describe('sortVersions', () => {
  it('sorts by a metric either way, versions without it last both times', () => {
    expect(
      numbers(sortVersions(versions, parseVersionSort('metric:accuracy:desc'))),
    ).toEqual([3, 1, 4, 2]);
    expect(
      numbers(sortVersions(versions, parseVersionSort('metric:accuracy:asc'))),
    ).toEqual([4, 1, 3, 2]);
  });

  it('sorts versions by number, not as text', () => {
    const many = [2, 10, 1].map(n => summaryOf(makeVersion('fraud', n)));
    expect(
      numbers(sortVersions(many, parseVersionSort('version:desc'))),
    ).toEqual([10, 2, 1]);
  });

  it('reads only the sorts it knows from a URL', () => {
    expect(parseVersionSort('metric:f1:asc')).toEqual({
      key: 'metric:f1',
      direction: 'asc',
    });
    expect(parseVersionSort('createdAt:asc')).toBeUndefined();
    expect(parseVersionSort('version:sideways')).toBeUndefined();
    expect(numbers(sortVersions(versions, undefined))).toEqual([1, 2, 3, 4]);
  });
});

describe('matchesSearch', () => {
  it('finds a version by its number as people write it, exactly', () => {
    const seven = summaryOf(makeVersion('fraud', 7));
    const seventy = summaryOf(makeVersion('fraud', 70));
    for (const query of ['7', 'v7', 'version 7', 'Version 7', ' version7 ']) {
      expect(matchesSearch(seven, query)).toBe(true);
      expect(matchesSearch(seventy, query)).toBe(false);
    }
  });
});
