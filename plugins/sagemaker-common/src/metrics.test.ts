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
        delta: ' -.5 ',
      }),
    ).toEqual({ accuracy: 0.934, auc: 0.97, epochs: 12, delta: -0.5 });
  });

  it('takes only plain decimals: hex, binary, exponents and Infinity are ids, not metrics', () => {
    expect(
      numericMetadata({
        build: '0x1A',
        flags: '0b101',
        git_commit: '1e10',
        octal: '0o17',
        ceiling: 'Infinity',
        dot: '.',
        sign: '-',
      }),
    ).toEqual({});
  });

  it('accepts missing metadata', () => {
    expect(numericMetadata(undefined)).toEqual({});
  });
});
