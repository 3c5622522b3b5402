import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  CreateModelPackageCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import request from 'supertest';
import { REGISTRY } from './__testUtils__/fixtures';
import { LocalEmulator } from './__testUtils__/localEmulator';
import { sageMakerInAccount } from './__testUtils__/registrySeed';
import { SQS_TASK } from './__testUtils__/eventsQueue';
import { EventsStack, startEventsStack } from './__testUtils__/eventsStack';

jest.setTimeout(90_000);

const ENTITY = '/api/sagemaker/entities/component/default/fraud';
const auth = { Authorization: mockCredentials.user.header('user:default/ana') };
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * The whole way in, with no hand-made event: changes made with the SDK
 * make the emulator emit SageMaker's events, a rule on the registry's
 * default bus delivers them to the queue, the AWS SQS module reads them,
 * and the plugin records each change once, before any sync runs.
 */
describe("SageMaker's own events, end to end in the emulator", () => {
  let stack: EventsStack;
  let emulator: LocalEmulator;
  let server: EventsStack['server'];
  const scheduler = mockServices.scheduler();

  beforeAll(async () => {
    stack = await startEventsStack({
      databases,
      scheduler: (scheduler as any).factory({ skipTaskRunOnStartup: true }),
      routeEmulatorEvents: true,
    });
    ({ emulator, server } = stack);
    await scheduler.triggerTask('sagemaker-sync'); // the baseline
    // The registration above emitted events too: read them before the test.
    await scheduler.triggerTask(SQS_TASK);
  });

  afterAll(() => stack?.stop());

  it('records an approval and a registration made with the SDK once each, from their events alone', async () => {
    const before = (await request(server).get(`${ENTITY}/history`).set(auth))
      .body.events.length;
    const outside = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    await outside.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package/fraud-detection/1`,
        ModelApprovalStatus: 'Approved',
      }),
    );
    await outside.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: 'fraud-detection',
        ModelApprovalStatus: 'PendingManualApproval',
        InferenceSpecification: {
          Containers: [
            {
              Image:
                '763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost-inference:1.7-4',
            },
          ],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        },
      }),
    );
    for (let i = 0; i < 3; i++) {
      await scheduler.triggerTask(SQS_TASK);
    }
    await new Promise(r => setTimeout(r, 1500));

    const events = (await request(server).get(`${ENTITY}/history`).set(auth))
      .body.events;
    expect(
      events
        .slice(0, events.length - before)
        .map((e: any) => `${e.action} ${e.version} ${e.source}: ${e.comment}`)
        .sort(),
    ).toEqual([
      'approve 1 sagemaker: PendingManualApproval → Approved outside Backstage',
      'register 4 sagemaker: Registered outside Backstage with status PendingManualApproval',
    ]);
  });
});
