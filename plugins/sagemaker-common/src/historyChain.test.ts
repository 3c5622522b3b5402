/**
 * @jest-environment node
 */
// Web Crypto: jsdom has no crypto.subtle, Node and browsers do.
import {
  computeHistoryHash,
  GENESIS_HASH,
  HistoryChainVerifier,
  HistorySigningKey,
  sealHistoryRecord,
} from './historyChain';
import { HistoryRecord } from './types';

const KEYS: HistorySigningKey[] = [
  { id: 'k2', secret: 'a-second-secret-of-at-least-32-characters' },
  { id: 'k1', secret: 'the-first-secret-of-at-least-32-characters' },
];

const content = (seq: number, prevHash: string) => ({
  seq,
  at: `2026-11-21T10:0${seq}:00.000Z`,
  actor: 'user:default/ana',
  action: 'approve' as const,
  outcome: 'requested' as const,
  source: 'backstage' as const,
  entityRef: 'component:default/fraud',
  version: seq,
  comment: `comment ${seq}`,
  prevHash,
});

/** A chain whose first `unsigned` events predate the signing keys. */
async function chain(
  length: number,
  unsigned: number,
  keys: HistorySigningKey[] = KEYS,
) {
  const records: HistoryRecord[] = [];
  for (let seq = 1; seq <= length; seq++) {
    records.push(
      await sealHistoryRecord(
        content(seq, records[seq - 2]?.hash ?? GENESIS_HASH),
        seq <= unsigned ? [] : keys,
      ),
    );
  }
  return records;
}

async function verify(
  records: HistoryRecord[],
  keys: HistorySigningKey[] = KEYS,
  complete = true,
) {
  const verifier = new HistoryChainVerifier(keys, { complete });
  for (const record of records) {
    await verifier.add(record);
  }
  return { ...verifier.result(), gaps: verifier.gaps };
}

describe('the history hash', () => {
  it('computes version 1 exactly as the first release did', async () => {
    // Recorded by the first release's hashEvent for this content: chains
    // written before hash versions existed must still verify.
    await expect(
      computeHistoryHash({
        ...content(1, GENESIS_HASH),
        at: '2026-11-21T10:00:00.000Z',
        versionArn:
          'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud/3',
        version: 3,
        comment: 'looks good',
        hashVersion: 1,
      }),
    ).resolves.toBe(
      '8e7cfafd720415cf9458e7c167dd6f3ad3670757eb2422504e405aa6731aea24',
    );
  });

  it('signs with the first key and names it', async () => {
    const [record] = await chain(1, 0);
    expect(record).toMatchObject({ hashVersion: 2, keyId: 'k2' });
    // Without the secret, the published algorithm does not give the hash.
    expect(record.hash).not.toBe(
      await computeHistoryHash({ ...record, hashVersion: 1 }),
    );
  });
});

describe('HistoryChainVerifier', () => {
  it('accepts a chain that turns from unsigned to signed, with rotated keys', async () => {
    // Keys configured at event 3, rotated at event 7: k1 still verifies.
    const rotated = await chain(6, 2, [KEYS[1]]);
    for (let seq = 7; seq <= 8; seq++) {
      rotated.push(
        await sealHistoryRecord(content(seq, rotated[seq - 2].hash), KEYS),
      );
    }
    await expect(verify(rotated)).resolves.toMatchObject({
      intact: true,
      count: 8,
      unsignedCount: 2,
      signedFromSeq: 3,
      head: { seq: 8, hash: rotated[7].hash },
    });
    expect(rotated.map(r => r.keyId)).toEqual([
      undefined,
      undefined,
      'k1',
      'k1',
      'k1',
      'k1',
      'k2',
      'k2',
    ]);
  });

  it('reports a newest event rewritten and re-hashed with the published algorithm', async () => {
    const records = await chain(4, 0);
    const forged = { ...records[3], comment: 'approved by nobody' };
    // A database writer recomputes the hash as the code does, without the key.
    forged.hash = await computeHistoryHash({ ...forged, hashVersion: 1 });
    await expect(
      verify([...records.slice(0, 3), { ...forged, hashVersion: 1 }]),
    ).resolves.toMatchObject({
      intact: false,
      firstBrokenSeq: 4,
      reason: 'event 4 is unsigned, but event 1 before it was signed',
    });
    await expect(
      verify([...records.slice(0, 3), forged]),
    ).resolves.toMatchObject({
      intact: false,
      firstBrokenSeq: 4,
      reason: 'event 4 was changed after it was recorded',
    });
  });

  it('reports a missing, an unlinked and an unverifiable event', async () => {
    const records = await chain(4, 1);
    await expect(
      verify([records[0], records[2], records[3]]),
    ).resolves.toMatchObject({
      intact: false,
      count: 1,
      firstBrokenSeq: 2,
      reason: 'event 2 is missing',
    });
    await expect(
      verify([records[0], { ...records[1], prevHash: 'f'.repeat(64) }]),
    ).resolves.toMatchObject({
      firstBrokenSeq: 2,
      reason: 'event 2 does not follow event 1',
    });
    await expect(verify(records, [KEYS[1]])).resolves.toMatchObject({
      firstBrokenSeq: 2,
      reason:
        "event 2 is signed with key 'k2', which is not among the keys given",
    });
  });

  it('checks each event of a filtered export, and links where seqs follow', async () => {
    const records = await chain(6, 0);
    const filtered = [records[1], records[2], records[4]];
    await expect(verify(filtered, KEYS, false)).resolves.toMatchObject({
      intact: true,
      count: 3,
      gaps: 2,
    });
    await expect(
      verify(
        [records[1], { ...records[2], actor: 'user:default/eve' }],
        KEYS,
        false,
      ),
    ).resolves.toMatchObject({ intact: false, firstBrokenSeq: 3 });
  });
});
