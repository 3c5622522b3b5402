import { InputError } from '@backstage/errors';
import {
  HistoryEvent,
  HistoryPage,
} from '@internal/backstage-plugin-sagemaker-common';

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

/**
 * One page of history, newest first, after the query's cursor. It fetches one
 * event more than the page holds, to know whether another page follows.
 */
export async function historyPage(
  query: { limit: number; cursor?: string },
  fetch: (options: {
    limit: number;
    beforeSeq?: number;
  }) => Promise<HistoryEvent[]>,
): Promise<HistoryPage> {
  const events = await fetch({
    limit: query.limit + 1,
    beforeSeq: query.cursor ? decodeHistoryCursor(query.cursor) : undefined,
  });
  const page = events.slice(0, query.limit);
  return {
    events: page,
    nextCursor:
      events.length > query.limit
        ? encodeHistoryCursor(page[page.length - 1].seq)
        : undefined,
  };
}
