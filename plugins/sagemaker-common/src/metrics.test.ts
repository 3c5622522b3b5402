import { numericMetadata } from './metrics';

describe('numericMetadata', () => {
  it('keeps numeric metadata and drops the rest', () => {
    expect(
      numericMetadata({
        accuracy: '0.934',
        auc: '0.97',
        git_commit: '4f1c2e9',
        empty: '',
        dataset: 's3://bucket/data',
        epochs: '12',
      }),
    ).toEqual({ accuracy: 0.934, auc: 0.97, epochs: 12 });
  });

  it('accepts missing metadata', () => {
    expect(numericMetadata(undefined)).toEqual({});
  });
});
