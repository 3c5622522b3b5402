import {
  filtersFromSearchParams,
  filtersToSearchParams,
  hasFilters,
  isoToLocalInput,
  localInputToIso,
  validateFilters,
} from './historyFilters';

describe('history filters', () => {
  it('reads the known, non-empty filters of a URL and writes them in a stable order', () => {
    const filters = filtersFromSearchParams(
      new URLSearchParams(
        'to=2026-06-02T00:00:00Z&actor=%20&page=3&action=deploy',
      ),
    );
    expect(filters).toEqual({ action: 'deploy', to: '2026-06-02T00:00:00Z' });
    expect(hasFilters(filters)).toBe(true);
    expect(hasFilters({})).toBe(false);
    expect(
      filtersToSearchParams({ to: 'b', entity: 'a', actor: '' }).toString(),
    ).toBe('entity=a&to=b');
  });

  it('turns datetime-local values into UTC instants and back', () => {
    const iso = '2026-06-01T12:03:00.000Z';
    const local = isoToLocalInput(iso);
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(localInputToIso(local)).toBe(iso);
    expect(isoToLocalInput('2026-06-01T12:03:07Z')).toMatch(/:07$/);
    expect(localInputToIso(isoToLocalInput('2026-06-01T12:03:07Z'))).toBe(
      '2026-06-01T12:03:07.000Z',
    );
    expect(isoToLocalInput('yesterday')).toBe('');
    expect(isoToLocalInput(undefined)).toBe('');
    expect(localInputToIso('')).toBeUndefined();
    expect(localInputToIso('2026-13-45T99:00')).toBeUndefined();
    expect(localInputToIso('June 1st')).toBeUndefined();
  });

  it("checks filters by the backend's rules", () => {
    expect(
      validateFilters({
        account: '2222',
        entity: 'fraud detection',
        from: '2026-06-02T00:00:00.000Z',
        to: '2026-06-01T00:00:00.000Z',
      }),
    ).toEqual({
      account: 'must be a 12-digit account ID',
      entity:
        'must be an entity name or ref, like fraud-detection or component:default/fraud-detection',
      from: 'from must be before to',
    });
    expect(
      validateFilters({
        account: '222222222222',
        entity: 'component:default/fraud-detection',
        action: 'deploy',
        from: '2026-06-01T00:00:00.000Z',
      }),
    ).toEqual({});
  });
});
