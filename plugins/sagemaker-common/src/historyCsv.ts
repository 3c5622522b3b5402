import { HistoryEvent } from './types';

/**
 * The columns of the history CSV export, in order.
 *
 * @public
 */
export const HISTORY_CSV_COLUMNS: Array<keyof HistoryEvent> = [
  'seq',
  'at',
  'actor',
  'action',
  'outcome',
  'source',
  'entityRef',
  'groupArn',
  'versionArn',
  'version',
  'target',
  'accountId',
  'region',
  'endpointName',
  'deploymentId',
  'comment',
  'awsErrorCode',
  'awsErrorMessage',
  'awsRequestId',
  'prevHash',
  'hash',
];

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line
 * break, quotes doubled. A text cell that a spreadsheet would run as a
 * formula (=, +, -, @, tab, carriage return first) gets a leading `'`, since
 * comments are typed by users and auditors open exports in spreadsheets.
 *
 * @public
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One CSV line for an event, ending in CRLF.
 *
 * @public
 */
export function historyCsvRow(event: HistoryEvent): string {
  return `${HISTORY_CSV_COLUMNS.map(c => csvCell(event[c])).join(',')}\r\n`;
}

/**
 * The header line of the history CSV export.
 *
 * @public
 */
export const HISTORY_CSV_HEADER = `${HISTORY_CSV_COLUMNS.join(',')}\r\n`;
