import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import request from 'supertest';
import { REGISTRY, UNCONFIGURED, versionArn } from '../__testUtils__/fixtures';
import { LocalEmulator } from '../__testUtils__/localEmulator';
import { sageMakerInAccount } from '../__testUtils__/registrySeed';
import { EventsQueue, SQS_TASK } from '../__testUtils__/eventsQueue';
import { modelPackageEvent } from '../__testUtils__/sageMakerEvents';
import { scoreScenario } from '../__testUtils__/scoreboard';
import { EventsStack, startEventsStack } from '../__testUtils__/eventsStack';

jest.setTimeout(90_000);

const ENTITY = '/api/sagemaker/entities/component/default/fraud';
const auth = { Authorization: mockCredentials.user.header('user:default/ana') };
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const eventFor = (group: string, version: number, status: string) =>
  modelPackageEvent({
    id: `${group}-${version}-${status}-${Math.random()}`,
    resources: [versionArn(group, version)],
    detail: {
      ModelPackageGroupName: group,
      ModelPackageVersion: version,
      ModelPackageArn: versionArn(group, version),
      ModelApprovalStatus: status,
      ModelPackageStatus: 'Completed',
    },
  });

/**
 * SageMaker's events through a real SQS queue in the emulator, read by the
 * real AWS SQS module of the events backend, into the plugin: an approval
 * made outside through the SDK is recorded once, however often its event
 * comes; forged or broken messages record nothing and are logged.
 */
describe('SageMaker events through SQS against the emulator', () => {
  let stack: EventsStack;
  let emulator: LocalEmulator;
  let server: EventsStack['server'];
  let queue: EventsQueue;
  const scheduler = mockServices.scheduler();
  const logger = mockServices.logger.mock();

  async function history() {
    const res = await request(server).get(`${ENTITY}/history`).set(auth);
    expect(res.status).toBe(200);
    return res.body.events as Array<Record<string, any>>;
  }

  /** One receive of the module (up to 10 messages), then its handlers. */
  async function deliver() {
    await scheduler.triggerTask(SQS_TASK);
    // The module publishes without waiting for subscribers; the handler
    // re-reads SageMaker before it records.
    await new Promise(r => setTimeout(r, 1500));
  }

  const send = (body: unknown) => queue.send(body);

  const warnings = () => logger.warn.mock.calls.map(([line]) => String(line));

  beforeAll(async () => {
    // Versions 1 and 2 are PendingManualApproval, 3 Approved.
    stack = await startEventsStack({
      databases,
      scheduler: (scheduler as any).factory({ skipTaskRunOnStartup: true }),
      features: [logger.factory],
    });
    ({ emulator, queue, server } = stack);
    await scheduler.triggerTask('sagemaker-sync'); // the baseline
  });

  afterAll(() => stack?.stop());

  it('records an approval made outside once, however often its event comes', async () => {
    const outside = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    await outside.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: versionArn('fraud-detection', 1),
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'approved in Studio',
      }),
    );
    const event = eventFor('fraud-detection', 1, 'Approved');
    await send(event);
    await send(event); // SageMaker may send an event more than once

    await deliver();
    const after = await history();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      action: 'approve',
      source: 'sagemaker',
      version: 1,
      comment:
        'PendingManualApproval → Approved outside Backstage: approved in Studio',
    });

    // The same event again later, and the scheduled sync, record nothing.
    await send(event);
    await deliver();
    await scheduler.triggerTask('sagemaker-sync');
    const recorded = (await history()).length;
    scoreScenario({
      area: 'Concurrency',
      scenario:
        'A SageMaker event delivered three times (twice together, once later) and seen by the sync too',
      requests: 4,
      problems:
        recorded === 1 ? [] : [`${recorded} history events for one approval`],
    });
  });

  it('records nothing for forged messages, logging one line for each', async () => {
    const before = (await history()).length;
    logger.warn.mockClear();
    const forged: Array<[string, unknown, RegExp]> = [
      [
        'claims Approved for a version that is Pending',
        eventFor('fraud-detection', 2, 'Approved'),
        /$^/,
      ],
      [
        'names an account not configured',
        modelPackageEvent({ account: UNCONFIGURED }),
        /account 999999999999 is not a configured SageMaker account/,
      ],
      [
        'has another source',
        { ...eventFor('fraud-detection', 2, 'Approved'), source: 'my.app' },
        /source/,
      ],
      [
        'names a version SageMaker does not know',
        eventFor('fraud-detection', 99, 'Approved'),
        /SageMaker could not confirm it/,
      ],
      ['is JSON but no object', '"Approved"', /Expected object/],
    ];
    for (const [, body] of forged) {
      await send(body);
    }
    await deliver();

    const problems: string[] = [];
    const recorded = (await history()).length - before;
    if (recorded !== 0) {
      problems.push(`${recorded} history events recorded from forged messages`);
    }
    const lines = warnings();
    for (const [what, , reason] of forged.slice(1)) {
      if (lines.filter(line => reason.test(line)).length !== 1) {
        problems.push(
          `a message that ${what}: not one log line matching ${reason}`,
        );
      }
    }
    // The forged approval is read from SageMaker, which says Pending: there
    // is nothing to record and nothing wrong to log.
    if (lines.length !== forged.length - 1) {
      problems.push(
        `${lines.length} warnings for ${
          forged.length - 1
        } bad messages: ${lines.join(' | ')}`,
      );
    }
    scoreScenario({
      area: 'Bad input',
      scenario:
        'Forged SageMaker events on the queue (pending claimed approved, foreign account, other source, unknown version, not an object)',
      requests: forged.length,
      problems,
    });
  });

  it('survives a message that is not JSON: the module logs it, nothing is recorded, the backend goes on', async () => {
    const before = (await history()).length;
    logger.error.mockClear();
    await send('{"source": "aws.sagemaker", garbage');
    await deliver();

    const problems: string[] = [];
    if ((await history()).length !== before) {
      problems.push('a history event was recorded');
    }
    const errors = logger.error.mock.calls.map(([line]) => String(line));
    if (
      !errors.some(line =>
        line.startsWith('Failed to receive events from AWS SQS'),
      )
    ) {
      problems.push(`no log line for it: ${errors.join(' | ')}`);
    }
    const health = await request(server).get(`${ENTITY}/history`).set(auth);
    if (health.status !== 200) {
      problems.push(`the backend answers ${health.status}`);
    }
    // The module does not delete a batch it could not parse: without a
    // redrive policy the message comes back after its visibility timeout.
    const { Attributes } = await queue.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.url,
        AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    scoreScenario({
      area: 'Bad input',
      scenario: 'A message on the SageMaker events queue that is not JSON',
      requests: 1,
      problems,
      note: `left on the queue (not visible): ${Attributes?.ApproximateNumberOfMessagesNotVisible}; configure a redrive policy`,
    });
  });
});
