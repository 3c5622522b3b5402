import { HistoryHashVersion, HistoryRecord } from './types';

/**
 * How one field of a history record is stored, typed and hashed.
 *
 * @public
 */
export interface HistoryFieldSpec {
  /** The column of the plugin's history table. */
  column: string;
  type: 'text' | 'integer';
  /** Whether every record has the field. */
  required: boolean;
  /**
   * The first hash version whose content holds the field. `prevHash` has
   * none: it is hashed as the link to the previous event, and `hash` is the
   * result.
   */
  hashedSince?: HistoryHashVersion;
}

/**
 * The spec each field of {@link HistoryRecord} must have: the compiler
 * checks that every field is listed, and that `type` and `required` agree
 * with the record's type.
 *
 * @public
 */
export type HistoryFieldSpecs = {
  [K in keyof HistoryRecord]-?: HistoryFieldSpec & {
    type: NonNullable<HistoryRecord[K]> extends number ? 'integer' : 'text';
    required: undefined extends HistoryRecord[K] ? false : true;
  };
};

/**
 * The fields of a history record, in order: the one definition behind the
 * table's row type and mapping, the hash input (content fields in this
 * order), the JSON and NDJSON exports and the CSV columns. Version 1 hashes
 * the fields from `seq` to `dedupeKey`, exactly as the first release did;
 * version 2 adds `hashVersion` and `keyId`, so neither can be swapped.
 *
 * @public
 */
export const HISTORY_FIELDS = {
  seq: { column: 'seq', type: 'integer', required: true, hashedSince: 1 },
  at: { column: 'at', type: 'text', required: true, hashedSince: 1 },
  actor: { column: 'actor', type: 'text', required: true, hashedSince: 1 },
  action: { column: 'action', type: 'text', required: true, hashedSince: 1 },
  outcome: { column: 'outcome', type: 'text', required: true, hashedSince: 1 },
  source: { column: 'source', type: 'text', required: true, hashedSince: 1 },
  entityRef: {
    column: 'entity_ref',
    type: 'text',
    required: true,
    hashedSince: 1,
  },
  groupArn: {
    column: 'group_arn',
    type: 'text',
    required: false,
    hashedSince: 1,
  },
  versionArn: {
    column: 'version_arn',
    type: 'text',
    required: false,
    hashedSince: 1,
  },
  version: {
    column: 'version',
    type: 'integer',
    required: false,
    hashedSince: 1,
  },
  target: { column: 'target', type: 'text', required: false, hashedSince: 1 },
  accountId: {
    column: 'account_id',
    type: 'text',
    required: false,
    hashedSince: 1,
  },
  region: { column: 'region', type: 'text', required: false, hashedSince: 1 },
  endpointName: {
    column: 'endpoint_name',
    type: 'text',
    required: false,
    hashedSince: 1,
  },
  deploymentId: {
    column: 'deployment_id',
    type: 'text',
    required: false,
    hashedSince: 1,
  },
  comment: {
    column: 'comment',
    type: 'text',
    required: false,
    hashedSince: 1,
  },
  awsErrorCode: {
    column: 'aws_error_code',
    type: 'text',
    required: false,
    hashedSince: 1,
  },
  awsErrorMessage: {
    column: 'aws_error_message',
    type: 'text',
    required: false,
    hashedSince: 1,
  },
  awsRequestId: {
    column: 'aws_request_id',
    type: 'text',
    required: false,
    hashedSince: 1,
  },
  dedupeKey: {
    column: 'dedupe_key',
    type: 'text',
    required: false,
    hashedSince: 1,
  },
  prevHash: { column: 'prev_hash', type: 'text', required: true },
  hashVersion: {
    column: 'hash_version',
    type: 'integer',
    required: true,
    hashedSince: 2,
  },
  keyId: { column: 'key_id', type: 'text', required: false, hashedSince: 2 },
  hash: { column: 'hash', type: 'text', required: true },
} as const satisfies HistoryFieldSpecs;

/**
 * A field of a history record.
 *
 * @public
 */
export type HistoryField = keyof typeof HISTORY_FIELDS;

/**
 * The field names of a history record, in order.
 *
 * @public
 */
export const HISTORY_FIELD_NAMES = Object.keys(
  HISTORY_FIELDS,
) as HistoryField[];

/**
 * Turns one stored or exported value into the field's type: databases
 * return big integers as strings, and CSV has only text. Empty and absent
 * values become undefined.
 *
 * @public
 */
export function historyFieldValue(
  field: HistoryField,
  value: unknown,
): string | number | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  if (HISTORY_FIELDS[field].type === 'integer') {
    if (value === '') {
      return undefined;
    }
    const n = Number(value);
    if (!Number.isSafeInteger(n)) {
      throw new Error(`${field} must be a whole number, not '${value}'`);
    }
    return n;
  }
  return String(value);
}

/**
 * Builds a history record from any source keyed by field or by column,
 * checking that the required fields are there.
 *
 * @public
 */
export function toHistoryRecord(
  read: (field: HistoryField) => unknown,
): HistoryRecord {
  const record: Record<string, string | number> = {};
  for (const field of HISTORY_FIELD_NAMES) {
    const value = historyFieldValue(field, read(field));
    if (value !== undefined) {
      record[field] = value;
    } else if (HISTORY_FIELDS[field].required) {
      throw new Error(`a history record has no ${field}`);
    }
  }
  return record as unknown as HistoryRecord;
}
