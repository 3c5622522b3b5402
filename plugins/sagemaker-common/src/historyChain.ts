import { HISTORY_FIELD_NAMES, HISTORY_FIELDS } from './historyFields';
import {
  HistoryHashVersion,
  HistoryRecord,
  HistoryVerification,
} from './types';

/**
 * The previous hash of the first event in the chain.
 *
 * @public
 */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash version new events get when a signing key is configured.
 *
 * @public
 */
export const KEYED_HASH_VERSION: HistoryHashVersion = 2;

/**
 * A key that signs or verifies the history. The first configured key signs
 * new events; every configured key verifies, so keys can be rotated.
 *
 * @public
 */
export interface HistorySigningKey {
  id: string;
  secret: string;
}

/**
 * Everything of a record that its hash covers.
 *
 * @public
 */
export type HistoryRecordContent = Omit<HistoryRecord, 'hash'>;

const encoder = new TextEncoder();

/**
 * What is hashed: the previous hash, a line break, and the JSON array of the
 * version's content fields in {@link HISTORY_FIELDS} order, absent ones as
 * null.
 *
 * @public
 */
export function historyHashInput(record: HistoryRecordContent): string {
  const version = record.hashVersion;
  const content = HISTORY_FIELD_NAMES.filter(field => {
    const since: number | undefined = (
      HISTORY_FIELDS[field] as { hashedSince?: number }
    ).hashedSince;
    return since !== undefined && since <= version;
  }).map(field => record[field as keyof HistoryRecordContent] ?? null);
  return `${record.prevHash}\n${JSON.stringify(content)}`;
}

/**
 * The primitive under the hash versions, as lowercase hex: SHA-256 of the
 * input without a secret, HMAC-SHA256 keyed with the secret's UTF-8 bytes
 * with one.
 *
 * @public
 */
export type HistoryDigest = (
  input: string,
  secret?: string,
) => string | Promise<string>;

const hex = (buffer: ArrayBuffer) =>
  Array.from(new Uint8Array(buffer), b => b.toString(16).padStart(2, '0')).join(
    '',
  );

const hmacKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    hmacKeys.set(secret, key);
  }
  return key;
}

/**
 * {@link HistoryDigest} on Web Crypto, which Node and browsers both have:
 * the default. A server verifying long chains can pass a synchronous one
 * (node:crypto), which costs a few microseconds per event where Web Crypto's
 * asynchronous calls cost about a hundred.
 *
 * @public
 */
export const webCryptoHistoryDigest: HistoryDigest = async (input, secret) => {
  const data = encoder.encode(input);
  return hex(
    secret === undefined
      ? await crypto.subtle.digest('SHA-256', data)
      : await crypto.subtle.sign('HMAC', await hmacKey(secret), data),
  );
};

/**
 * The hash of a record under its own `hashVersion`: SHA-256 for version 1,
 * HMAC-SHA256 with the secret of its `keyId` for version 2.
 *
 * @public
 */
export async function computeHistoryHash(
  record: HistoryRecordContent,
  secret?: string,
  digest: HistoryDigest = webCryptoHistoryDigest,
): Promise<string> {
  const input = historyHashInput(record);
  if (record.hashVersion === 1) {
    return digest(input);
  }
  if (record.hashVersion === 2 && secret !== undefined) {
    return digest(input, secret);
  }
  throw new Error(
    `cannot hash version ${record.hashVersion}${
      secret === undefined ? ' without a key' : ''
    }`,
  );
}

/**
 * The hash version, key id and hash a new event gets: keyed with the first
 * signing key, or version 1 when none is configured.
 *
 * @public
 */
export async function sealHistoryRecord(
  content: Omit<HistoryRecordContent, 'hashVersion' | 'keyId'>,
  signingKeys: readonly HistorySigningKey[],
  digest?: HistoryDigest,
): Promise<HistoryRecord> {
  const [key] = signingKeys;
  const sealed: HistoryRecordContent = key
    ? { ...content, hashVersion: KEYED_HASH_VERSION, keyId: key.id }
    : { ...content, hashVersion: 1 };
  return {
    ...sealed,
    hash: await computeHistoryHash(sealed, key?.secret, digest),
  };
}

/**
 * Why a chain does not verify.
 * - `missing`: a seq is absent;
 * - `unlinked`: the previous hash is not the previous event's hash;
 * - `changed`: the hash does not match the content;
 * - `downgraded`: an unsigned event after a signed one, as a writer without
 *   the key would leave it;
 * - `unknown-key`, `unknown-version`: the verifier cannot check the event.
 *
 * @public
 */
export type HistoryBreakKind =
  | 'missing'
  | 'unlinked'
  | 'changed'
  | 'downgraded'
  | 'unknown-key'
  | 'unknown-version';

/**
 * The first break found in a chain.
 *
 * @public
 */
export interface HistoryChainBreak {
  kind: HistoryBreakKind;
  seq: number;
  reason: string;
}

/**
 * Checks a history chain one record at a time, in ascending seq order, so
 * the store can page through its table and the offline verifier through a
 * file. With `complete`, the records must start at seq 1 and leave no gap;
 * otherwise (a filtered export) every record's own hash is checked, and
 * links only between consecutive seqs.
 *
 * @public
 */
export class HistoryChainVerifier {
  private readonly secrets: Map<string, string>;
  private previous?: HistoryRecord;
  private firstSigned?: number;
  private unsigned = 0;
  private checked = 0;
  private gapCount = 0;
  private broken?: HistoryChainBreak;

  constructor(
    keys: readonly HistorySigningKey[],
    private readonly options: { complete: boolean; digest?: HistoryDigest },
  ) {
    this.secrets = new Map(keys.map(k => [k.id, k.secret]));
  }

  /** Checks the next record; returns the first break once there is one. */
  async add(record: HistoryRecord): Promise<HistoryChainBreak | undefined> {
    if (this.broken) {
      return this.broken;
    }
    this.broken = await this.check(record);
    if (!this.broken) {
      this.checked += 1;
      this.previous = record;
      if (record.hashVersion === 1) {
        this.unsigned += 1;
      } else {
        this.firstSigned ??= record.seq;
      }
    }
    return this.broken;
  }

  /** The first break found, if any. */
  get firstBreak(): HistoryChainBreak | undefined {
    return this.broken;
  }

  /** Places where seqs do not follow, the start included (not `complete`). */
  get gaps(): number {
    return this.gapCount;
  }

  /** The verdict on the records added so far. */
  result(): HistoryVerification {
    const summary = {
      count: this.checked,
      ...(this.previous && {
        head: { seq: this.previous.seq, hash: this.previous.hash },
      }),
      unsignedCount: this.unsigned,
      ...(this.firstSigned !== undefined && {
        signedFromSeq: this.firstSigned,
      }),
    };
    return this.broken
      ? {
          intact: false,
          firstBrokenSeq: this.broken.seq,
          reason: this.broken.reason,
          ...summary,
        }
      : { intact: true, ...summary };
  }

  private async check(
    record: HistoryRecord,
  ): Promise<HistoryChainBreak | undefined> {
    const { seq } = record;
    const expectedSeq = this.previous ? this.previous.seq + 1 : 1;
    if (seq < expectedSeq && this.previous) {
      return {
        kind: 'unlinked',
        seq,
        reason:
          seq === this.previous.seq
            ? `event ${seq} appears twice`
            : `event ${seq} appears after event ${this.previous.seq}`,
      };
    }
    if (seq !== expectedSeq) {
      if (this.options.complete) {
        return {
          kind: 'missing',
          seq: expectedSeq,
          reason: `event ${expectedSeq} is missing`,
        };
      }
      if (this.previous || seq !== 1) {
        this.gapCount += 1;
      }
    } else {
      const expectedPrev = this.previous?.hash ?? GENESIS_HASH;
      if (record.prevHash !== expectedPrev) {
        return {
          kind: 'unlinked',
          seq,
          reason: `event ${seq} does not follow event ${seq - 1}`,
        };
      }
    }
    if (record.hashVersion !== 1 && record.hashVersion !== 2) {
      return {
        kind: 'unknown-version',
        seq,
        reason: `event ${seq} has hash version ${record.hashVersion}, which this verifier does not know`,
      };
    }
    if (record.hashVersion === 1 && this.firstSigned !== undefined) {
      return {
        kind: 'downgraded',
        seq,
        reason: `event ${seq} is unsigned, but event ${this.firstSigned} before it was signed`,
      };
    }
    let secret: string | undefined;
    if (record.hashVersion === 2) {
      secret = this.secrets.get(record.keyId ?? '');
      if (secret === undefined) {
        return {
          kind: 'unknown-key',
          seq,
          reason: `event ${seq} is signed with key '${
            record.keyId ?? ''
          }', which is not among the keys given`,
        };
      }
    }
    if (
      (await computeHistoryHash(record, secret, this.options.digest)) !==
      record.hash
    ) {
      return {
        kind: 'changed',
        seq,
        reason: `event ${seq} was changed after it was recorded`,
      };
    }
    return undefined;
  }
}
