import { AuditorService } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { registrationComment } from '@internal/backstage-plugin-sagemaker-common';
import { DatabaseSageMakerStore } from '../../database/DatabaseSageMakerStore';
import { NewHistoryEvent } from '../../database/SageMakerStore';
import { HistoryRecorder } from '../HistoryRecorder';
import { SageMakerNotifier } from './SageMakerNotifier';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const auditor: AuditorService = {
  async createEvent() {
    return { success: async () => {}, fail: async () => {} };
  },
};

const GROUP_ARN =
  'arn:aws:sagemaker:us-east-1:222222222222:model-package-group/fraud';
const VERSION_ARN =
  'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud/3';

/** The real recorder on SQLite, telling the notifier; the notification service is a fake. */
async function setUp(send?: NotificationService['send']) {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseSageMakerStore.create({
    database: { getClient: async () => knex },
  });
  const logger = mockServices.logger.mock();
  const sent: NotificationSendOptions[] = [];
  const notifications: NotificationService = {
    send:
      send ??
      (async options => {
        sent.push(options);
      }),
  };
  const recorder = new HistoryRecorder(store, auditor, logger);
  recorder.addListener(
    new SageMakerNotifier({ notifications, logger }).onRecorded,
  );
  return { recorder, store, sent, logger };
}

const registered: NewHistoryEvent = {
  actor: 'arn:aws:iam::222222222222:user/pipeline',
  action: 'register',
  outcome: 'succeeded',
  source: 'sagemaker',
  entityRef: 'component:Default/Fraud-Model',
  groupArn: GROUP_ARN,
  versionArn: VERSION_ARN,
  version: 3,
  comment: registrationComment('PendingManualApproval'),
  dedupeKey: `register:${VERSION_ARN}`,
};

function deployment(
  outcome: 'requested' | 'succeeded' | 'failed' | 'rolled-back' | 'denied',
  extra: Partial<NewHistoryEvent> = {},
): NewHistoryEvent {
  return {
    actor: 'user:default/ana',
    action: 'deploy',
    outcome,
    source: 'backstage',
    entityRef: 'component:default/fraud-model',
    versionArn: VERSION_ARN,
    version: 3,
    target: 'production',
    accountId: '333333333333',
    region: 'eu-west-1',
    endpointName: 'fraud-prod',
    deploymentId: 'd-1',
    dedupeKey: `deployment:d-1:${outcome}`,
    ...extra,
  };
}

describe('SageMakerNotifier', () => {
  it('tells the entity owners about a version registered outside Backstage that waits for approval, with a link to it', async () => {
    const { recorder, sent } = await setUp();
    await recorder.record(registered);

    expect(sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: 'component:Default/Fraud-Model',
        },
        payload: {
          title: 'Version 3 of Fraud-Model waits for approval',
          description: `Version 3 (${VERSION_ARN}) was registered outside Backstage by arn:aws:iam::222222222222:user/pipeline.`,
          link: `/catalog/default/component/Fraud-Model/sagemaker?group=${encodeURIComponent(
            GROUP_ARN,
          )}&version=3`,
          topic: 'SageMaker model approvals',
          severity: 'normal',
          scope: `sagemaker:approval:${VERSION_ARN}`,
        },
      },
    ]);
  });

  it('tells the owners when a version is set back to PendingManualApproval outside Backstage, in the same scope', async () => {
    const { recorder, sent } = await setUp();
    await recorder.record({
      ...registered,
      action: 'reset-approval',
      comment: undefined,
      dedupeKey: 'sync:reset',
    });
    expect(sent).toHaveLength(1);
    expect(sent[0].payload).toMatchObject({
      title: 'Version 3 of Fraud-Model waits for approval',
      scope: `sagemaker:approval:${VERSION_ARN}`,
      topic: 'SageMaker model approvals',
    });
  });

  it('tells no one of a version registered approved, of a reset in Backstage, or of approvals', async () => {
    const { recorder, sent } = await setUp();
    await recorder.record({
      ...registered,
      comment: registrationComment('Approved'),
    });
    await recorder.record({
      ...registered,
      action: 'reset-approval',
      source: 'backstage',
      actor: 'user:default/ana',
      comment: undefined,
      dedupeKey: undefined,
    });
    await recorder.record({
      ...registered,
      action: 'approve',
      comment: undefined,
      dedupeKey: undefined,
    });
    expect(sent).toEqual([]);
  });

  it('tells the deployer of a success, a failure with the AWS error and a rollback with its alarm', async () => {
    const { recorder, sent } = await setUp();
    await recorder.record(deployment('requested'));
    await recorder.record(deployment('succeeded'));
    await recorder.record(
      deployment('failed', {
        deploymentId: 'd-2',
        awsErrorCode: 'ResourceLimitExceeded',
        awsErrorMessage: 'The account-level service limit is 2 instances',
      }),
    );
    await recorder.record(
      deployment('rolled-back', {
        deploymentId: 'd-3',
        awsErrorCode: 'UpdateRolledBack',
        awsErrorMessage:
          'Rolled back by CloudWatch alarm fraud-prod-5xx: alarm in ALARM',
      }),
    );

    expect(sent.map(s => s.recipients)).toEqual([
      { type: 'entity', entityRef: 'user:default/ana' },
      { type: 'entity', entityRef: 'user:default/ana' },
      { type: 'entity', entityRef: 'user:default/ana' },
    ]);
    expect(sent.map(s => s.payload)).toEqual([
      {
        title: 'Deployment of version 3 to production (fraud-prod) succeeded',
        description:
          'fraud-prod in account 333333333333, eu-west-1 is InService with version 3.',
        link: '/catalog/default/component/fraud-model/sagemaker',
        topic: 'SageMaker deployments',
        severity: 'normal',
        scope: 'sagemaker:deployment:d-1',
      },
      expect.objectContaining({
        title: 'Deployment of version 3 to production (fraud-prod) failed',
        description:
          'fraud-prod in account 333333333333, eu-west-1: ResourceLimitExceeded: The account-level service limit is 2 instances',
        severity: 'high',
        scope: 'sagemaker:deployment:d-2',
      }),
      expect.objectContaining({
        title:
          'Deployment of version 3 to production (fraud-prod) was rolled back',
        description: expect.stringContaining('CloudWatch alarm fraud-prod-5xx'),
        severity: 'high',
        topic: 'SageMaker deployments',
      }),
    ]);
  });

  it('names a rollback as one', async () => {
    const { recorder, sent } = await setUp();
    await recorder.record(
      deployment('succeeded', { comment: 'Rollback of deployment d-0' }),
    );
    expect(sent[0].payload.title).toBe(
      'Rollback of version 3 to production (fraud-prod) succeeded',
    );
  });

  it('tells no one of a denied deployment, nor of one whose actor is not a user', async () => {
    const { recorder, sent } = await setUp();
    await recorder.record(deployment('denied'));
    await recorder.record(
      deployment('failed', {
        actor: 'arn:aws:iam::333333333333:role/ci',
        deploymentId: 'd-9',
      }),
    );
    expect(sent).toEqual([]);
  });

  it('notifies once when the same change is recorded twice (events and sync)', async () => {
    const { recorder, sent } = await setUp();
    await recorder.record(registered);
    await recorder.record(registered);
    await recorder.record(deployment('succeeded'));
    await recorder.record(deployment('succeeded'));
    expect(sent).toHaveLength(2);
  });

  it('logs a failed send and keeps the event recorded', async () => {
    const { recorder, store, logger } = await setUp(async () => {
      throw new Error('connect ECONNREFUSED notifications');
    });
    await expect(recorder.record(registered)).resolves.toMatchObject({
      action: 'register',
    });
    expect(await store.queryEvents({}, { limit: 10 })).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('ECONNREFUSED'),
    );
  });
});
