import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { DeleteEndpointCommand } from '@aws-sdk/client-sagemaker';
import request from 'supertest';
import { deploymentTarget, REGISTRY, STAGING } from './__testUtils__/fixtures';
import { grantDeploys, sageMakerInAccount } from './__testUtils__/registrySeed';
import { EventsQueue, SQS_TASK } from './__testUtils__/eventsQueue';
import { endpointEvent } from './__testUtils__/sageMakerEvents';
import { EventsStack, startEventsStack } from './__testUtils__/eventsStack';

jest.setTimeout(90_000);

const ENTITY = '/api/sagemaker/entities/component/default/fraud';
const auth = { Authorization: mockCredentials.user.header('user:default/ana') };
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * Endpoint events through the real SQS module: a deployment waiting between
 * two (here one-minute) polls reads its endpoint as soon as the event comes,
 * and an endpoint deleted outside is recorded once.
 */
describe('SageMaker endpoint events against the emulator', () => {
  let stack: EventsStack;
  let queue: EventsQueue;
  let server: EventsStack['server'];
  const scheduler = mockServices.scheduler();

  const stagingEvent = () =>
    endpointEvent({
      id: `endpoint-${Math.random()}`,
      detail: { EndpointName: 'fraud-staging', EndpointStatus: 'IN_SERVICE' },
    });

  async function deliver() {
    await scheduler.triggerTask(SQS_TASK);
    await new Promise(r => setTimeout(r, 1000));
  }

  const deployment = async (id: string) =>
    (await request(server).get(`/api/sagemaker/deployments/${id}`).set(auth))
      .body;

  beforeAll(async () => {
    stack = await startEventsStack({
      databases,
      scheduler: (scheduler as any).factory({ skipTaskRunOnStartup: true }),
      accounts: [REGISTRY, STAGING],
      sagemaker: {
        deployments: {
          pollInterval: { minutes: 1 },
          lease: { minutes: 3 },
        },
        deploymentTargets: [deploymentTarget('staging', STAGING)],
      },
      prepare: emulator =>
        grantDeploys(emulator.endpoint, {
          registry: REGISTRY,
          groups: [{ name: 'fraud-detection', versions: 3 }],
          targets: [STAGING],
        }),
    });
    ({ queue, server } = stack);
  });

  afterAll(() => stack?.stop());

  it('follows a deployment as soon as its endpoint event comes, not at the next poll', async () => {
    const res = await request(server)
      .post(`${ENTITY}/deployments`)
      .set({ ...auth, 'Idempotency-Key': 'deploy-staging-events' })
      .send({
        version: 3,
        target: 'staging',
        endpointName: 'fraud-staging',
        instanceType: 'ml.m5.large',
        instanceCount: 1,
      });
    expect(res.status).toBe(202);
    for (let i = 0; i < 100; i++) {
      if ((await deployment(res.body.id)).endpointStatus === 'Creating') break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(await deployment(res.body.id)).toMatchObject({
      status: 'in-progress',
      endpointStatus: 'Creating',
    });
    // The emulator's endpoint is InService after 0.5 s; the executor's
    // next read would be a minute later.
    await new Promise(r => setTimeout(r, 1000));
    const sent = Date.now();
    await queue.send(stagingEvent());
    await deliver();

    expect(await deployment(res.body.id)).toMatchObject({
      status: 'succeeded',
      endpointStatus: 'InService',
    });
    expect(Date.now() - sent).toBeLessThan(10_000);
  });

  it('records an endpoint deleted outside once, from its events', async () => {
    await scheduler.triggerTask('sagemaker-sync'); // the endpoint's baseline
    const staging = await sageMakerInAccount(stack.emulator.endpoint, STAGING);
    await staging.send(
      new DeleteEndpointCommand({ EndpointName: 'fraud-staging' }),
    );
    await queue.send(stagingEvent());
    await queue.send(stagingEvent());
    await deliver();
    await queue.send(stagingEvent());
    await deliver();

    const history = await request(server).get(`${ENTITY}/history`).set(auth);
    const statuses = history.body.events.filter(
      (e: any) => e.action === 'endpoint-status',
    );
    expect(statuses).toHaveLength(1);
    expect(statuses[0]).toMatchObject({
      source: 'sagemaker',
      endpointName: 'fraud-staging',
      comment: 'InService → Deleted',
    });
  });
});
