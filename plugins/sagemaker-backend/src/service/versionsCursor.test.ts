import { decodeVersionsCursor, encodeVersionsCursor } from './versionsCursor';

const FRAUD =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud';
const CHURN =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/churn';

describe('versions cursor', () => {
  it('gives back the NextToken for the group it was made for', () => {
    const cursor = encodeVersionsCursor(FRAUD, 'token/with+odd=chars');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeVersionsCursor(cursor, FRAUD)).toBe('token/with+odd=chars');
  });

  it('refuses a cursor of another group', () => {
    expect(() =>
      decodeVersionsCursor(encodeVersionsCursor(FRAUD, 't'), CHURN),
    ).toThrow(`cursor: belongs to another group than '${CHURN}'`);
  });

  it.each([
    ['not base64 JSON', 'x'],
    ['JSON without the fields', Buffer.from('{"t":1}').toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
  ])('refuses %s as a 400', (_, value) => {
    expect(() => decodeVersionsCursor(value, FRAUD)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: 'cursor: not a cursor returned by this API',
      }),
    );
  });
});
