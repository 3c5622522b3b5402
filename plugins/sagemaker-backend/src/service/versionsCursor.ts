import { InputError } from '@backstage/errors';

/** What a versions cursor carries, in short names to keep URLs short. */
interface VersionsCursor {
  /** The group the cursor belongs to. */
  g: string;
  /** SageMaker's NextToken. */
  t: string;
}

/**
 * The `nextCursor` of a page of versions: SageMaker's NextToken, bound to the
 * group it pages through, so that a cursor cannot be replayed on another.
 */
export function encodeVersionsCursor(
  groupArn: string,
  nextToken: string,
): string {
  const cursor: VersionsCursor = { g: groupArn, t: nextToken };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/**
 * SageMaker's NextToken from a cursor this API returned for the group; an
 * InputError for anything else.
 */
export function decodeVersionsCursor(value: string, groupArn: string): string {
  let cursor: Partial<VersionsCursor> | undefined;
  try {
    cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    cursor = undefined;
  }
  if (!cursor || typeof cursor.t !== 'string' || typeof cursor.g !== 'string') {
    throw new InputError('cursor: not a cursor returned by this API');
  }
  if (cursor.g !== groupArn) {
    throw new InputError(`cursor: belongs to another group than '${groupArn}'`);
  }
  return cursor.t;
}
