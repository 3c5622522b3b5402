import { ConfigReader } from '@backstage/config';
import { readReportsConfig } from './ReportsConfig';

const read = (reports: object) =>
  readReportsConfig(new ConfigReader({ sagemaker: { reports } }));

describe('readReportsConfig', () => {
  it('has defaults: 1 MiB, 5 s, a day, no key metrics', () => {
    expect(readReportsConfig(new ConfigReader({}))).toEqual({
      maxBytes: 1048576,
      timeoutMs: 5000,
      cacheTtlMs: 86400000,
      keyMetrics: new Map(),
    });
  });

  it('reads key metrics per group', () => {
    expect(
      read({ keyMetrics: [{ group: 'fraud-detection', metrics: ['auc'] }] })
        .keyMetrics,
    ).toEqual(new Map([['fraud-detection', ['auc']]]));
  });

  it('names the key of a bad value', () => {
    expect(() => read({ maxBytes: 0 })).toThrow(
      "Invalid configuration at 'sagemaker.reports.maxBytes': 0 is not a positive integer",
    );
    expect(() =>
      read({
        keyMetrics: [
          { group: 'a', metrics: ['auc'] },
          { group: 'a', metrics: ['f1'] },
        ],
      }),
    ).toThrow(
      "Invalid configuration at 'sagemaker.reports.keyMetrics[1].group': 'a' is listed twice",
    );
    expect(() => read({ keyMetrics: [{ group: 'a', metrics: [] }] })).toThrow(
      "Invalid configuration at 'sagemaker.reports.keyMetrics[0].metrics'",
    );
  });
});
