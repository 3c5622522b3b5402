import {
  HISTORY_FIELD_NAMES,
  HISTORY_FIELDS,
  HistoryField,
  HistoryRecord,
  toHistoryRecord,
} from '@internal/backstage-plugin-sagemaker-common';

type Fields = typeof HISTORY_FIELDS;

/** A row of the history table, derived from the one field list in common. */
export type EventRow = {
  [K in HistoryField as Fields[K]['column']]:
    | (Fields[K]['type'] extends 'integer' ? number | string : string)
    | (Fields[K]['required'] extends true ? never : null);
};

/** A history record from its row. */
export function rowToRecord(row: EventRow): HistoryRecord {
  return toHistoryRecord(
    field => (row as Record<string, unknown>)[HISTORY_FIELDS[field].column],
  );
}

/** The row that stores a history record. */
export function recordToRow(record: HistoryRecord): EventRow {
  return Object.fromEntries(
    HISTORY_FIELD_NAMES.map(field => [
      HISTORY_FIELDS[field].column,
      record[field] ?? null,
    ]),
  ) as EventRow;
}
