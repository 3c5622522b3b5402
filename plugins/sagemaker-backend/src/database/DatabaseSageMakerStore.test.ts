import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  computeHistoryHash,
  GENESIS_HASH,
  HistorySigningKey,
} from '@internal/backstage-plugin-sagemaker-common';
import { Knex } from 'knex';
import { DatabaseSageMakerStore } from './DatabaseSageMakerStore';
import { NewDeployment } from './SageMakerStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
});

const KEY_1 = { id: 'key-1', secret: 'the-first-key-of-32-characters!!' };
const KEY_2 = { id: 'key-2', secret: 'the-second-key-of-32-characters!' };

async function createStore(
  databaseId: TestDatabaseId,
  signingKeys: HistorySigningKey[] = [],
) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseSageMakerStore.create({
    database: { getClient: async () => knex },
    signingKeys,
  });
  return { knex, store };
}

const approval = (entityRef: string, version: number, comment?: string) => ({
  actor: 'user:default/ana',
  action: 'approve' as const,
  outcome: 'requested' as const,
  source: 'backstage' as const,
  entityRef,
  versionArn: `arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud/${version}`,
  version,
  comment,
});

const deployment = (overrides: Partial<NewDeployment> = {}): NewDeployment =>
  ({
    id: 'd-1',
    requestedBy: 'user:default/ana',
    idempotencyKey: 'key-00000001',
    requestHash: 'h1',
    entityRef: 'component:default/fraud',
    groupArn:
      'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud',
    versionArn:
      'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud/3',
    version: 3,
    target: 'staging',
    accountId: '222222222222',
    region: 'us-east-1',
    endpointName: 'fraud-staging',
    instanceType: 'ml.m5.large',
    instanceCount: 1,
    mode: 'create',
    ...overrides,
  } as NewDeployment);

describe.each(databases.eachSupportedId())(
  'DatabaseSageMakerStore on %p',
  databaseId => {
    it('appends a hash chain and lists an entity newest first, with a cursor', async () => {
      const { store } = await createStore(databaseId);
      for (let v = 1; v <= 5; v++) {
        await store.appendEvent(
          approval('component:default/fraud', v, `c${v}`),
        );
      }
      await store.appendEvent(approval('component:default/other', 9));

      const page = await store.listEntityEvents('component:default/fraud', {
        limit: 3,
      });
      expect(page.map(e => e.version)).toEqual([5, 4, 3]);
      expect(page[0].prevHash).toBe(
        (
          await store.listEntityEvents('component:default/fraud', { limit: 5 })
        )[1].hash,
      );
      const next = await store.listEntityEvents('component:default/fraud', {
        limit: 3,
        beforeSeq: page[2].seq,
      });
      expect(next.map(e => e.version)).toEqual([2, 1]);
      await expect(store.verifyChain()).resolves.toEqual({
        intact: true,
        count: 6,
        head: { seq: 6, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
        unsignedCount: 6,
      });
    });

    it('keeps one chain when two replicas append 50 events each at once', async () => {
      const { knex, store } = await createStore(databaseId);
      const other = new DatabaseSageMakerStore(knex);
      const appends = Array.from({ length: 100 }, (_, i) =>
        (i % 2 ? other : store).appendEvent({
          ...approval('component:default/fraud', i + 1),
          dedupeKey: `replica-test-${i % 50}`,
        }),
      );
      const appended = (await Promise.all(appends)).filter(Boolean);
      // Each dedupe key was sent by both replicas: recorded once.
      expect(appended).toHaveLength(50);
      expect(appended.map(e => e!.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      await expect(store.verifyChain()).resolves.toMatchObject({
        intact: true,
        count: 50,
      });
    });

    it('keeps the chain linear under 20 concurrent appends', async () => {
      const { store } = await createStore(databaseId);
      const appended = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.appendEvent(approval('component:default/fraud', i + 1)),
        ),
      );
      expect(new Set(appended.map(e => e!.seq)).size).toBe(20);
      await expect(store.verifyChain()).resolves.toMatchObject({
        intact: true,
        count: 20,
      });
    });

    it('detects an edited row and a deleted row', async () => {
      const { knex, store } = await createStore(databaseId);
      for (let v = 1; v <= 4; v++) {
        await store.appendEvent(approval('component:default/fraud', v, 'ok'));
      }
      await knex('sagemaker_history_events')
        .where({ seq: 2 })
        .update({ comment: 'rewritten' });
      await expect(store.verifyChain()).resolves.toMatchObject({
        intact: false,
        count: 1,
        firstBrokenSeq: 2,
        reason: 'event 2 was changed after it was recorded',
      });
      await knex('sagemaker_history_events')
        .where({ seq: 2 })
        .update({ comment: 'ok' });
      await knex('sagemaker_history_events').where({ seq: 3 }).delete();
      await expect(store.verifyChain()).resolves.toMatchObject({
        intact: false,
        firstBrokenSeq: 3,
        reason: 'event 3 is missing',
      });
    });

    it('signs with the first key, and detects a newest event rewritten with the published algorithm', async () => {
      const { knex, store } = await createStore(databaseId, [KEY_1]);
      for (let v = 1; v <= 3; v++) {
        await store.appendEvent(approval('component:default/fraud', v, 'ok'));
      }
      const [newest] = await store.queryEvents({}, { limit: 1 });
      expect(newest).toMatchObject({ seq: 3, hashVersion: 2, keyId: 'key-1' });

      // A database writer turns the newest rejection into an approval and
      // recomputes its hash as the published code does, without the key:
      // unkeyed (version 1), or keyed with a guess.
      const forged = { ...newest, actor: 'user:default/mallory' };
      const unkeyed = { ...forged, hashVersion: 1 as const, keyId: undefined };
      await knex('sagemaker_history_events')
        .where({ seq: 3 })
        .update({
          actor: forged.actor,
          hash_version: 1,
          key_id: null,
          hash: await computeHistoryHash(unkeyed),
        });
      await expect(store.verifyChain()).resolves.toMatchObject({
        intact: false,
        count: 2,
        firstBrokenSeq: 3,
        reason: 'event 3 is unsigned, but event 1 before it was signed',
      });
      await knex('sagemaker_history_events')
        .where({ seq: 3 })
        .update({
          hash_version: 2,
          key_id: 'key-1',
          hash: await computeHistoryHash(forged, 'a guessed key'),
        });
      await expect(store.verifyChain()).resolves.toMatchObject({
        intact: false,
        firstBrokenSeq: 3,
        reason: 'event 3 was changed after it was recorded',
      });
    });

    it('verifies across a key rotation, and names a key that is no longer configured', async () => {
      const { knex, store: before } = await createStore(databaseId, [KEY_1]);
      const database = { getClient: async () => knex };
      await before.appendEvent(approval('component:default/fraud', 1));
      const rotated = await DatabaseSageMakerStore.create({
        database,
        signingKeys: [KEY_2, KEY_1],
      });
      const appended = await rotated.appendEvent(
        approval('component:default/fraud', 2),
      );
      expect(appended).toMatchObject({ keyId: 'key-2' });
      await expect(rotated.verifyChain()).resolves.toMatchObject({
        intact: true,
        count: 2,
        head: { seq: 2, hash: appended!.hash },
        unsignedCount: 0,
        signedFromSeq: 1,
      });
      const oldKeyDropped = await DatabaseSageMakerStore.create({
        database,
        signingKeys: [KEY_2],
      });
      await expect(oldKeyDropped.verifyChain()).resolves.toMatchObject({
        intact: false,
        firstBrokenSeq: 1,
        reason:
          "event 1 is signed with key 'key-1', which is not among the keys given",
      });
    });

    it('keeps verifying events recorded before hash versions, and signs after them', async () => {
      const knex: Knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@internal/backstage-plugin-sagemaker-backend',
        'migrations',
      );
      // The schema and the hash of the first release.
      await knex.migrate.up({ directory, name: '202611211400_init.js' });
      const legacy = {
        seq: 1,
        at: '2026-11-21T10:00:00.000Z',
        actor: 'user:default/ana',
        action: 'approve' as const,
        outcome: 'requested' as const,
        source: 'backstage' as const,
        entityRef: 'component:default/fraud',
        version: 1,
        dedupeKey: 'sync:1',
        prevHash: GENESIS_HASH,
      };
      const legacyHash = await computeHistoryHash({
        ...legacy,
        hashVersion: 1,
      });
      await knex('sagemaker_history_events').insert({
        seq: 1,
        at: legacy.at,
        actor: legacy.actor,
        action: legacy.action,
        outcome: legacy.outcome,
        source: legacy.source,
        entity_ref: legacy.entityRef,
        version: 1,
        dedupe_key: legacy.dedupeKey,
        prev_hash: GENESIS_HASH,
        hash: legacyHash,
      });

      const store = await DatabaseSageMakerStore.create({
        database: { getClient: async () => knex },
        signingKeys: [KEY_1],
      });
      await store.appendEvent(approval('component:default/fraud', 2));
      const events = await store.queryEvents({}, { limit: 10 });
      expect(events.map(e => [e.seq, e.hashVersion, e.keyId])).toEqual([
        [2, 2, 'key-1'],
        [1, 1, undefined],
      ]);
      await expect(store.verifyChain()).resolves.toMatchObject({
        intact: true,
        count: 2,
        unsignedCount: 1,
        signedFromSeq: 2,
      });
    });

    it('records a deduplicated event once', async () => {
      const { store } = await createStore(databaseId);
      const event = {
        ...approval('component:default/fraud', 1),
        dedupeKey: 'sync:1',
      };
      const first = await store.appendEvent(event);
      expect(first).toBeDefined();
      expect(await store.appendEvent(event)).toBeUndefined();
      await expect(store.verifyChain()).resolves.toMatchObject({
        intact: true,
        count: 1,
      });
      // The loser of a race finds the event that won.
      await expect(store.findEventByDedupeKey('sync:1')).resolves.toEqual(
        first,
      );
      await expect(
        store.findEventByDedupeKey('sync:2'),
      ).resolves.toBeUndefined();
    });

    it('finds the latest event Backstage made of some actions on a version, whatever its outcome', async () => {
      const { store } = await createStore(databaseId);
      const arn = approval('component:default/fraud', 1).versionArn;
      await expect(store.latestOwnEvent(arn, ['approve'])).resolves.toBe(
        undefined,
      );
      await store.appendEvent(approval('component:default/fraud', 1));
      await store.appendEvent({
        ...approval('component:default/fraud', 1),
        action: 'reject',
        outcome: 'failed',
        source: 'agent',
      });
      // Outside Backstage, another version, another action: not ours here.
      await store.appendEvent({
        ...approval('component:default/fraud', 1),
        source: 'sagemaker',
        outcome: 'succeeded',
      });
      await store.appendEvent(approval('component:default/fraud', 2));
      await store.appendEvent({
        ...approval('component:default/fraud', 1),
        action: 'lifecycle',
      });

      await expect(
        store.latestOwnEvent(arn, ['approve', 'reject']),
      ).resolves.toMatchObject({
        action: 'reject',
        outcome: 'failed',
        source: 'agent',
      });
      await expect(
        store.latestOwnEvent(arn, ['approve']),
      ).resolves.toMatchObject({
        action: 'approve',
        outcome: 'requested',
        source: 'backstage',
      });
    });

    it('finds approvals whose outcome was never recorded', async () => {
      const { store } = await createStore(databaseId);
      await store.appendEvent(approval('component:default/fraud', 1));
      await store.appendEvent({
        ...approval('component:default/fraud', 1),
        outcome: 'succeeded',
      });
      await store.appendEvent(approval('component:default/fraud', 2));
      const unfinished = await store.listUnfinishedApprovals(
        new Date(Date.now() + 1000).toISOString(),
      );
      expect(unfinished.map(e => e.version)).toEqual([2]);
    });

    it('makes one deployment of one idempotency key, and one in flight per endpoint', async () => {
      const { store } = await createStore(databaseId);
      const first = await store.createDeployment(deployment());
      expect(first.created).toBe(true);
      const again = await store.createDeployment(deployment({ id: 'd-2' }));
      expect(again).toMatchObject({
        created: false,
        deployment: { id: 'd-1' },
      });

      await expect(
        store.createDeployment(
          deployment({
            id: 'd-3',
            idempotencyKey: 'key-00000002',
            requestedBy: 'user:default/bob',
          }),
        ),
      ).rejects.toThrow('already has a deployment in progress');

      await store.updateDeployment('d-1', {
        status: 'succeeded',
        phase: 'done',
      });
      const later = await store.createDeployment(
        deployment({ id: 'd-4', idempotencyKey: 'key-00000003' }),
      );
      expect(later.created).toBe(true);
    });

    it('leases in-progress deployments to one worker at a time', async () => {
      const { store } = await createStore(databaseId);
      await store.createDeployment(deployment());
      expect(await store.claimDeployment('d-1', 60_000, 'worker-a')).toBe(true);
      expect(await store.claimDeployment('d-1', 60_000, 'worker-b')).toBe(
        false,
      );
      expect(await store.listClaimableDeployments()).toEqual([]);
      // Only the holder renews or frees it.
      expect(await store.extendLease('d-1', 60_000, 'worker-b')).toBe(false);
      await store.releaseDeployment('d-1', 'worker-b');
      expect(await store.listClaimableDeployments()).toEqual([]);
      expect(await store.extendLease('d-1', 60_000, 'worker-a')).toBe(true);
      await store.releaseDeployment('d-1', 'worker-a');
      expect((await store.listClaimableDeployments()).map(d => d.id)).toEqual([
        'd-1',
      ]);

      const updated = await store.updateDeployment('d-1', {
        phase: 'done',
        status: 'failed',
        error: {
          code: 'ValidationException',
          message: 'bad',
          requestId: 'r-1',
        },
      });
      expect(updated.error).toEqual({
        code: 'ValidationException',
        message: 'bad',
        requestId: 'r-1',
      });
      expect(await store.claimDeployment('d-1', 60_000, 'worker-a')).toBe(
        false,
      );
      expect(await store.extendLease('d-1', 60_000, 'worker-a')).toBe(false);
    });

    it('lets another worker take over an expired lease, and the first finds out', async () => {
      const { store } = await createStore(databaseId);
      await store.createDeployment(deployment());
      expect(await store.claimDeployment('d-1', 1, 'worker-a')).toBe(true);
      await new Promise(r => setTimeout(r, 20));
      expect((await store.listClaimableDeployments()).map(d => d.id)).toEqual([
        'd-1',
      ]);
      expect(await store.claimDeployment('d-1', 60_000, 'worker-b')).toBe(true);
      expect(await store.extendLease('d-1', 60_000, 'worker-a')).toBe(false);
      expect(await store.extendLease('d-1', 60_000, 'worker-b')).toBe(true);
    });

    it('filters the org-wide history and pages it newest first', async () => {
      const { store } = await createStore(databaseId);
      const at = (day: number) =>
        new Date(Date.UTC(2026, 10, day)).toISOString();
      await store.appendEvent({
        ...approval('component:default/fraud', 1),
        at: at(1),
      });
      await store.appendEvent({
        ...approval('component:default/fraud', 1),
        outcome: 'succeeded',
        at: at(2),
      });
      for (const [day, target] of [
        [3, 'staging'],
        [4, 'production'],
        [5, 'staging'],
      ] as const) {
        await store.appendEvent({
          actor: 'user:default/bob',
          action: 'deploy',
          outcome: 'succeeded',
          source: 'backstage',
          entityRef: 'component:default/churn',
          target,
          accountId: target === 'staging' ? '222222222222' : '333333333333',
          region: 'us-east-1',
          endpointName: `churn-${target}`,
          at: at(day),
        });
      }
      const seqs = (events: { seq: number }[]) => events.map(e => e.seq);

      expect(seqs(await store.queryEvents({}, { limit: 10 }))).toEqual([
        5, 4, 3, 2, 1,
      ]);
      expect(
        seqs(
          await store.queryEvents(
            { action: 'deploy', target: 'staging' },
            { limit: 10 },
          ),
        ),
      ).toEqual([5, 3]);
      expect(
        seqs(
          await store.queryEvents({ accountId: '333333333333' }, { limit: 10 }),
        ),
      ).toEqual([4]);
      expect(
        seqs(
          await store.queryEvents(
            { entityRef: 'component:default/fraud', outcome: 'succeeded' },
            { limit: 10 },
          ),
        ),
      ).toEqual([2]);
      expect(
        seqs(
          await store.queryEvents({ from: at(2), to: at(4) }, { limit: 10 }),
        ),
      ).toEqual([3, 2]);
      expect(
        seqs(
          await store.queryEvents({ actor: 'user:default/bob' }, { limit: 2 }),
        ),
      ).toEqual([5, 4]);
      expect(
        seqs(
          await store.queryEvents(
            { actor: 'user:default/bob' },
            { limit: 2, beforeSeq: 4 },
          ),
        ),
      ).toEqual([3]);
      // A name alone matches the refs ending with it; LIKE's wildcards in
      // the value are taken literally.
      expect(
        seqs(
          await store.queryEvents(
            { entityRefSuffix: '/churn', actorSuffix: '/bob' },
            { limit: 10 },
          ),
        ),
      ).toEqual([5, 4, 3]);
      expect(
        seqs(
          await store.queryEvents({ entityRefSuffix: '/fr_ud' }, { limit: 10 }),
        ),
      ).toEqual([]);
      expect(
        seqs(await store.queryEvents({ entityRefSuffix: '/%' }, { limit: 10 })),
      ).toEqual([]);
    });

    it('lists the entities, users, targets and endpoints the history names, for pickers', async () => {
      const { store } = await createStore(databaseId);
      await store.appendEvent(approval('component:default/fraud', 1));
      for (const [target, account] of [
        ['staging', '222222222222'],
        ['production', '333333333333'],
        ['staging', '222222222222'],
      ]) {
        await store.appendEvent({
          actor: 'user:default/bob',
          action: 'deploy',
          outcome: 'succeeded',
          source: 'backstage',
          entityRef: 'component:default/churn',
          target,
          accountId: account,
          region: 'us-east-1',
          endpointName: `churn-${target}`,
        });
      }
      await expect(store.historyFacets(100)).resolves.toEqual({
        entities: ['component:default/churn', 'component:default/fraud'],
        actors: ['user:default/ana', 'user:default/bob'],
        targets: ['production', 'staging'],
        endpoints: [
          {
            accountId: '333333333333',
            region: 'us-east-1',
            endpointName: 'churn-production',
          },
          {
            accountId: '222222222222',
            region: 'us-east-1',
            endpointName: 'churn-staging',
          },
        ],
      });
      expect((await store.historyFacets(1)).entities).toEqual([
        'component:default/churn',
      ]);
    });

    it('migrates down and up again', async () => {
      const knex: Knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@internal/backstage-plugin-sagemaker-backend',
        'migrations',
      );
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable('sagemaker_history_events')).toBe(true);
      await knex.migrate.rollback({ directory }, true);
      expect(await knex.schema.hasTable('sagemaker_history_events')).toBe(
        false,
      );
      expect(await knex.schema.hasTable('sagemaker_deployments')).toBe(false);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable('sagemaker_deployments')).toBe(true);
      expect(
        await knex.schema.hasColumn('sagemaker_history_events', 'key_id'),
      ).toBe(true);
      expect(
        await knex.schema.hasColumn('sagemaker_deployments', 'requested_via'),
      ).toBe(true);
      expect(
        await knex.schema.hasColumn('sagemaker_deployments', 'traffic'),
      ).toBe(true);
      await knex.migrate.down({ directory });
      expect(
        await knex.schema.hasColumn('sagemaker_deployments', 'traffic'),
      ).toBe(false);
      expect(
        await knex.schema.hasColumn('sagemaker_deployments', 'claimed_by'),
      ).toBe(true);
      await knex.migrate.down({ directory });
      expect(
        await knex.schema.hasColumn('sagemaker_deployments', 'claimed_by'),
      ).toBe(false);
      expect(
        await knex.schema.hasColumn('sagemaker_deployments', 'requested_via'),
      ).toBe(true);
      await knex.migrate.down({ directory });
      expect(
        await knex.schema.hasColumn('sagemaker_deployments', 'requested_via'),
      ).toBe(false);
      await knex.migrate.down({ directory });
      expect(
        await knex.schema.hasColumn('sagemaker_history_events', 'key_id'),
      ).toBe(false);
      expect(
        await knex.schema.hasColumn('sagemaker_history_events', 'hash_version'),
      ).toBe(false);
      await knex.migrate.latest({ directory });
    });
  },
);
