import { AuditorService } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  HistoryEvent,
  computeHistoryHash,
  verifyHistoryExport,
} from '@internal/backstage-plugin-sagemaker-common';
import { DatabaseSageMakerStore } from '../database/DatabaseSageMakerStore';
import { HistoryRecorder } from './HistoryRecorder';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** An audit log outside the database, as the organisation's pipeline keeps it. */
function auditLog() {
  const entries: Array<{ eventId: string; meta: Record<string, unknown> }> = [];
  const auditor: AuditorService = {
    async createEvent({ eventId, meta }) {
      entries.push({ eventId, meta: { ...meta } });
      return { success: async () => {}, fail: async () => {} };
    },
  };
  return { auditor, entries };
}

describe('HistoryRecorder', () => {
  it('sends the head of the chain to the auditor with each event', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseSageMakerStore.create({
      database: { getClient: async () => knex },
      signingKeys: [{ id: 'k1', secret: 'k'.repeat(32) }],
    });
    const { auditor, entries } = auditLog();
    const recorder = new HistoryRecorder(
      store,
      auditor,
      mockServices.logger.mock(),
    );
    for (const version of [1, 2]) {
      await recorder.record({
        actor: 'user:default/ana',
        action: 'approve',
        outcome: 'succeeded',
        source: 'backstage',
        entityRef: 'component:default/fraud',
        version,
      });
    }
    const stored = await store.queryEvents({}, { limit: 10 });
    expect(entries.map(e => e.meta)).toEqual(
      [...stored].reverse().map(event =>
        expect.objectContaining({
          historySeq: event.seq,
          historyHash: event.hash,
          historyHashVersion: 2,
          historyKeyId: 'k1',
        }),
      ),
    );
  });

  it('lets the audit log expose a rewritten newest event even without a signing key', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseSageMakerStore.create({
      database: { getClient: async () => knex },
    });
    const { auditor, entries } = auditLog();
    const recorder = new HistoryRecorder(
      store,
      auditor,
      mockServices.logger.mock(),
    );
    for (const outcome of ['requested', 'denied'] as const) {
      await recorder.record({
        actor: 'user:default/ana',
        action: 'deploy',
        outcome,
        source: 'backstage',
        entityRef: 'component:default/fraud',
        target: 'production',
      });
    }
    // Unkeyed, the published algorithm lets a database writer re-hash.
    const [newest] = await store.queryEvents({}, { limit: 1 });
    const forged = { ...newest, outcome: 'succeeded' as const };
    await knex('sagemaker_history_events')
      .where({ seq: newest.seq })
      .update({
        outcome: forged.outcome,
        hash: await computeHistoryHash(forged),
      });
    await expect(store.verifyChain()).resolves.toMatchObject({ intact: true });

    const anchor = entries[entries.length - 1].meta;
    const records = await store.queryEvents({}, { limit: 10 });
    await expect(
      verifyHistoryExport(records, [], {
        seq: anchor.historySeq as number,
        hash: anchor.historyHash as string,
      }),
    ).resolves.toMatchObject({
      anchorMismatch: `event 2 has a different hash than the auditor log holds: it or an event before it was rewritten`,
    });
  });

  describe('listeners', () => {
    async function recorderWithListener() {
      const knex = await databases.init('SQLITE_3');
      const store = await DatabaseSageMakerStore.create({
        database: { getClient: async () => knex },
      });
      const logger = mockServices.logger.mock();
      const recorder = new HistoryRecorder(store, auditLog().auditor, logger);
      const heard: HistoryEvent[] = [];
      recorder.addListener(async event => {
        heard.push(event);
      });
      return { store, recorder, logger, heard };
    }

    const approval = {
      actor: 'arn:aws:iam::222222222222:user/pipeline',
      action: 'reset-approval',
      outcome: 'succeeded',
      source: 'sagemaker',
      entityRef: 'component:default/fraud',
      version: 3,
      dedupeKey: 'sync:approval:fraud/3:PendingManualApproval',
    } as const;

    it('are told of each new event as recorded, once, and not of a deduplicated one', async () => {
      const { store, recorder, heard } = await recorderWithListener();
      const first = await recorder.record(approval);
      const again = await recorder.record(approval);

      expect(again).toBeUndefined();
      expect(heard).toEqual([first]);
      const [stored] = await store.queryEvents({}, { limit: 10 });
      expect(heard[0]).toMatchObject({ seq: stored.seq, hash: stored.hash });
    });

    it('cannot fail or undo the write, nor keep the other listeners from hearing it', async () => {
      const { store, recorder, logger, heard } = await recorderWithListener();
      recorder.addListener(async () => {
        throw new Error('notifications backend is down');
      });
      const second: number[] = [];
      recorder.addListener(async event => {
        second.push(event.seq);
      });

      const recorded = await recorder.record(approval);

      expect(recorded).toMatchObject({ action: 'reset-approval', version: 3 });
      expect(await store.queryEvents({}, { limit: 10 })).toHaveLength(1);
      expect(heard).toHaveLength(1);
      expect(second).toEqual([recorded!.seq]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('notifications backend is down'),
      );
    });

    it('hear nothing when the append fails', async () => {
      const { store, recorder, heard } = await recorderWithListener();
      jest
        .spyOn(store, 'appendEvent')
        .mockRejectedValueOnce(new Error('database is gone'));

      await expect(recorder.record(approval)).rejects.toThrow(
        'database is gone',
      );
      expect(heard).toEqual([]);
    });
  });
});
