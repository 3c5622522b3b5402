import { InputError } from '@backstage/errors';

/** An opaque cursor for history pages: the last event's seq. */
export function encodeHistoryCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ s: seq })).toString('base64url');
}

/** The seq a history cursor stands for; 400 for anything else. */
export function decodeHistoryCursor(cursor: string): number {
  try {
    const { s } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isInteger(s) && s > 0) {
      return s;
    }
  } catch {
    // not base64url JSON: refused below
  }
  throw new InputError('cursor: not a cursor returned by this API');
}
