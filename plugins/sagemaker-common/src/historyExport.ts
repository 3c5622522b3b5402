import {
  HistoryBreakKind,
  HistoryChainVerifier,
  HistorySigningKey,
} from './historyChain';
import { parseHistoryCsv } from './historyCsv';
import { toHistoryRecord } from './historyFields';
import { HistoryExportFormat } from './schemas';
import { HistoryRecord, HistoryVerification } from './types';

function fromJson(value: unknown, where: string): HistoryRecord {
  if (typeof value !== 'object' || value === null) {
    throw new Error(`${where} is not a history record`);
  }
  try {
    return toHistoryRecord(field => (value as Record<string, unknown>)[field]);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}

/**
 * Reads a history export in any of its formats, told apart by their first
 * character: `[` a JSON array, `{` JSON lines, anything else CSV.
 *
 * @public
 */
export function parseHistoryExport(text: string): {
  format: HistoryExportFormat;
  records: HistoryRecord[];
} {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body === '') {
    // Every format has a header or brackets, even with no events.
    throw new Error('the file is empty');
  }
  if (body.startsWith('[')) {
    const array: unknown = JSON.parse(body);
    if (!Array.isArray(array)) {
      throw new Error('the JSON export is not an array');
    }
    return {
      format: 'json',
      records: array.map((item, i) => fromJson(item, `item ${i + 1}`)),
    };
  }
  if (body.startsWith('{')) {
    return {
      format: 'ndjson',
      records: body
        .split('\n')
        .map((line, i) => ({ line: line.trim(), n: i + 1 }))
        .filter(({ line }) => line !== '')
        .map(({ line, n }) => fromJson(JSON.parse(line), `line ${n}`)),
    };
  }
  return { format: 'csv', records: parseHistoryCsv(body) };
}

/**
 * The verdict on an export: the chain's, plus how much of the history the
 * export holds.
 *
 * @public
 */
export type HistoryExportVerification = HistoryVerification & {
  /** Where seqs do not follow (a filtered export), the start included. */
  gaps: number;
  /** What kind of break `reason` describes, when not intact. */
  breakKind?: HistoryBreakKind;
  /** Why the export disagrees with the anchor from the auditor log, if it does. */
  anchorMismatch?: string;
};

/**
 * Re-verifies exported records offline, oldest first whatever the export's
 * order: every event's hash with the given keys, the links between
 * consecutive events, and optionally an anchor taken from the auditor log
 * (the hash it holds for a seq), which shows whether events after it were
 * removed or rewritten.
 *
 * @public
 */
export async function verifyHistoryExport(
  records: readonly HistoryRecord[],
  keys: readonly HistorySigningKey[],
  anchor?: { seq: number; hash: string },
): Promise<HistoryExportVerification> {
  const verifier = new HistoryChainVerifier(keys, { complete: false });
  const ascending = [...records].sort((a, b) => a.seq - b.seq);
  for (const record of ascending) {
    if (await verifier.add(record)) {
      break;
    }
  }
  const result: HistoryExportVerification = {
    ...verifier.result(),
    gaps: verifier.gaps,
    ...(verifier.firstBreak && { breakKind: verifier.firstBreak.kind }),
  };
  if (!anchor) {
    return result;
  }
  const anchored = ascending.find(r => r.seq === anchor.seq);
  if (!anchored) {
    return {
      ...result,
      anchorMismatch: `the export has no event ${anchor.seq}, which the auditor log holds: it was removed, or the export was filtered`,
    };
  }
  if (anchored.hash !== anchor.hash) {
    return {
      ...result,
      anchorMismatch: `event ${anchor.seq} has a different hash than the auditor log holds: it or an event before it was rewritten`,
    };
  }
  return result;
}
