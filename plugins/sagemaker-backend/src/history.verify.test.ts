import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { computeHistoryHash } from '@internal/backstage-plugin-sagemaker-common';
import request from 'supertest';
import { startHistoryBackend } from './__testUtils__/historyBackend';
import { DatabaseSageMakerStore } from './database/DatabaseSageMakerStore';

const KEYS = [{ id: 'k1', secret: 'the-signing-key-of-32-characters' }];
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('GET /history/verify', () => {
  it('names the newest event when it was rewritten with the published algorithm', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseSageMakerStore.create({
      database: { getClient: async () => knex },
      signingKeys: KEYS,
    });
    for (const version of [1, 2, 3]) {
      await store.appendEvent({
        actor: 'user:default/ana',
        action: 'reject',
        outcome: 'succeeded',
        source: 'backstage',
        entityRef: 'component:default/fraud',
        version,
        comment: 'fails the fairness review',
      });
    }
    const server = await startHistoryBackend(knex, KEYS);
    const verify = () =>
      request(server)
        .get('/api/sagemaker/history/verify')
        .set('Authorization', mockCredentials.user.header());

    const [newest] = await store.queryEvents({}, { limit: 1 });
    const before = await verify();
    expect(before.body).toEqual({
      intact: true,
      count: 3,
      head: { seq: 3, hash: newest.hash },
      unsignedCount: 0,
      signedFromSeq: 1,
    });

    // The rejection becomes an approval, re-hashed as the code does.
    const forged = {
      ...newest,
      action: 'approve' as const,
      hashVersion: 1 as const,
      keyId: undefined,
    };
    await knex('sagemaker_history_events')
      .where({ seq: 3 })
      .update({
        action: 'approve',
        hash_version: 1,
        key_id: null,
        hash: await computeHistoryHash(forged),
      });
    const after = await verify();
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({
      intact: false,
      count: 2,
      firstBrokenSeq: 3,
      reason: 'event 3 is unsigned, but event 1 before it was signed',
    });
  });
});
