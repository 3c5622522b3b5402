import {
  computeHistoryHash,
  GENESIS_HASH,
  HistoryRecordContent,
} from '@internal/backstage-plugin-sagemaker-common';
import { nodeHistoryDigest } from './nodeHistoryDigest';

describe('nodeHistoryDigest', () => {
  it('hashes every version as the offline verifier (Web Crypto) does', async () => {
    const content: HistoryRecordContent = {
      seq: 7,
      at: '2026-11-21T10:00:00.000Z',
      actor: 'user:default/zoë',
      action: 'approve',
      outcome: 'succeeded',
      source: 'backstage',
      entityRef: 'component:default/fraud',
      comment: 'non-ASCII: ✓ «ok» 検証',
      prevHash: GENESIS_HASH,
      hashVersion: 1,
    };
    const secret = 'a secret with non-ASCII: ключ ✓ and 32+ characters';
    for (const record of [
      content,
      { ...content, hashVersion: 2 as const, keyId: 'k1' },
    ]) {
      const key = record.hashVersion === 2 ? secret : undefined;
      await expect(
        computeHistoryHash(record, key, nodeHistoryDigest),
      ).resolves.toBe(await computeHistoryHash(record, key));
    }
  });
});
