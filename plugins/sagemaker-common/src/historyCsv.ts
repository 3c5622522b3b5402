import {
  HISTORY_FIELD_NAMES,
  HistoryField,
  toHistoryRecord,
} from './historyFields';
import { HistoryEvent, HistoryRecord } from './types';

/**
 * The columns of the history CSV export, in order: every field of a
 * history record, so that a CSV export can be re-verified offline.
 *
 * @public
 */
export const HISTORY_CSV_COLUMNS: HistoryField[] = HISTORY_FIELD_NAMES;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line
 * break, quotes doubled. A text cell that a spreadsheet would run as a
 * formula (=, +, -, @, tab, carriage return first) gets a leading `'`, since
 * comments are typed by users and auditors open exports in spreadsheets; a
 * text that starts with `'` gets one too, and an empty text is `""`, so that
 * {@link parseHistoryCsv} gives back exactly what was hashed.
 *
 * @public
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r']/.test(text)) {
    text = `'${text}`;
  }
  return text === '' || /[",\r\n]/.test(text)
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

/**
 * One CSV line for an event, ending in CRLF. Fields the event lacks (an
 * event from the API rather than a full record) are left empty.
 *
 * @public
 */
export function historyCsvRow(
  event: HistoryEvent & Partial<HistoryRecord>,
): string {
  return `${HISTORY_CSV_COLUMNS.map(c => csvCell(event[c])).join(',')}\r\n`;
}

/**
 * The header line of the history CSV export.
 *
 * @public
 */
export const HISTORY_CSV_HEADER = `${HISTORY_CSV_COLUMNS.join(',')}\r\n`;

type Cell = { text: string; quoted: boolean };

const CELL_END = /[,\r\n]/g;

/** Splits RFC 4180 text into rows of cells, remembering which were quoted. */
function* csvRows(text: string): Generator<Cell[]> {
  let row: Cell[] = [];
  let i = 0;
  while (i < text.length) {
    let cell: Cell;
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) {
          throw new Error('a quoted CSV cell is not closed');
        }
        value += text.slice(i, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      cell = { text: value, quoted: true };
    } else {
      CELL_END.lastIndex = i;
      const stop = CELL_END.exec(text)?.index ?? text.length;
      cell = { text: text.slice(i, stop), quoted: false };
      i = stop;
    }
    row.push(cell);
    if (text[i] === ',') {
      i += 1;
    } else {
      if (text[i] === '\r') i += 1;
      if (text[i] === '\n') i += 1;
      yield row;
      row = [];
    }
  }
}

/**
 * Reads a history CSV export back into records, undoing {@link csvCell}:
 * an unquoted empty cell is an absent field, `""` an empty text, and the
 * leading `'` that guards formulas is removed.
 *
 * @public
 */
export function parseHistoryCsv(text: string): HistoryRecord[] {
  const rows = csvRows(text.replace(/^\uFEFF/, ''));
  const header = rows.next();
  if (header.done) {
    return [];
  }
  const columns = header.value.map(c => c.text);
  const missing = HISTORY_CSV_COLUMNS.filter(c => !columns.includes(c));
  if (missing.length) {
    throw new Error(`the CSV has no ${missing.join(', ')} column`);
  }
  const records: HistoryRecord[] = [];
  for (const row of rows) {
    if (row.length === 1 && row[0].text === '' && !row[0].quoted) {
      continue;
    }
    const cells = new Map(columns.map((name, i) => [name, row[i]]));
    records.push(
      toHistoryRecord(field => {
        const cell = cells.get(field);
        if (!cell || (cell.text === '' && !cell.quoted)) {
          return undefined;
        }
        return cell.text.startsWith("'") ? cell.text.slice(1) : cell.text;
      }),
    );
  }
  return records;
}
