import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DeleteEndpointCommand } from '@aws-sdk/client-sagemaker';
import request from 'supertest';
import { sagemakerPlugin } from './plugin';
import {
  awsConfig,
  deploymentTarget,
  groupArn,
  modelEntity,
  REGISTRY,
  STAGING,
} from './__testUtils__/fixtures';
import {
  LocalEmulator,
  startLocalEmulator,
} from './__testUtils__/localEmulator';
import {
  grantDeploys,
  registerGroup,
  sageMakerInAccount,
} from './__testUtils__/registrySeed';
import {
  createEventsQueue,
  EventsQueue,
  SQS_TASK,
} from './__testUtils__/eventsQueue';
import { endpointEvent } from './__testUtils__/sageMakerEvents';

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
  let emulator: LocalEmulator;
  let queue: EventsQueue;
  let server: any;
  const scheduler = mockServices.scheduler();
  const saved = { ...process.env };

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
    emulator = await startLocalEmulator();
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    await registerGroup(
      await sageMakerInAccount(emulator.endpoint, REGISTRY),
      'fraud-detection',
      3,
    );
    await grantDeploys(emulator.endpoint, {
      registry: REGISTRY,
      groups: [{ name: 'fraud-detection', versions: 3 }],
      targets: [STAGING],
    });
    queue = await createEventsQueue(emulator.endpoint);
    const knex = await databases.init('SQLITE_3');
    ({ server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        ...(queue.features as any[]),
        mockServices.rootConfig.factory({
          data: {
            aws: awsConfig([REGISTRY, STAGING]),
            sagemaker: {
              cache: { ttl: { seconds: 0 } },
              deployments: {
                pollInterval: { minutes: 1 },
                lease: { minutes: 3 },
              },
              deploymentTargets: [deploymentTarget('staging', STAGING)],
            },
            events: queue.config,
          },
        }),
        mockServices.database.factory({ knex }),
        (scheduler as any).factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({
          entities: [modelEntity('fraud', groupArn('fraud-detection'))],
        }),
      ],
    }));
  });

  afterAll(async () => {
    process.env = saved;
    await emulator?.stop();
  });

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
    const staging = await sageMakerInAccount(emulator.endpoint, STAGING);
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
