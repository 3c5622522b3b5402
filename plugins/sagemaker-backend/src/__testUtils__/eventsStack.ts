import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { sagemakerPlugin } from '../plugin';
import { createEventsQueue, EventsQueue } from './eventsQueue';
import { awsConfig, groupArn, modelEntity, REGISTRY } from './fixtures';
import { LocalEmulator, startLocalEmulator } from './localEmulator';
import {
  clientInAccount,
  registerGroup,
  sageMakerInAccount,
} from './registrySeed';

/** What the events tests run against: the emulator, its queue, a backend. */
export interface EventsStack {
  emulator: LocalEmulator;
  queue: EventsQueue;
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  /** Stops the emulator and restores the process's environment. */
  stop(): Promise<void>;
}

/**
 * A private emulator with fraud-detection (3 versions) in the registry
 * account, the SageMaker events queue, and a backend on SQLite whose AWS
 * SQS module reads that queue for the plugin; the entity `fraud` names the
 * group. `routeEmulatorEvents` adds the rule that sends the registry's own
 * SageMaker events to the queue, as the demo's seed does.
 */
export async function startEventsStack(options: {
  databases: TestDatabases;
  /** The scheduler: a mock one's factory, or the real one. */
  scheduler: unknown;
  accounts?: string[];
  sagemaker?: Record<string, unknown>;
  features?: unknown[];
  routeEmulatorEvents?: boolean;
  /** Runs after the seed, before the backend starts. */
  prepare?: (emulator: LocalEmulator) => Promise<void>;
}): Promise<EventsStack> {
  const saved = { ...process.env };
  const emulator = await startLocalEmulator();
  process.env.AWS_ENDPOINT_URL = emulator.endpoint;
  await registerGroup(
    await sageMakerInAccount(emulator.endpoint, REGISTRY),
    'fraud-detection',
    3,
  );
  await options.prepare?.(emulator);
  const queue = await createEventsQueue(emulator.endpoint);
  if (options.routeEmulatorEvents) {
    await routeRegistryEventsTo(emulator.endpoint, queue);
  }
  const knex = await options.databases.init('SQLITE_3');
  const { server } = await startTestBackend({
    features: [
      sagemakerPlugin,
      ...(queue.features as any[]),
      ...((options.features ?? []) as any[]),
      mockServices.rootConfig.factory({
        data: {
          aws: awsConfig(options.accounts ?? [REGISTRY]),
          sagemaker: { cache: { ttl: { seconds: 0 } }, ...options.sagemaker },
          events: queue.config,
        },
      }),
      mockServices.database.factory({ knex }),
      options.scheduler as any,
      catalogServiceMock.factory({
        entities: [modelEntity('fraud', groupArn('fraud-detection'))],
      }),
    ],
  });
  return {
    emulator,
    queue,
    server,
    async stop() {
      process.env = saved;
      await emulator.stop();
    },
  };
}

/** The rule on the registry's default bus that delivers SageMaker's events to the queue. */
async function routeRegistryEventsTo(endpoint: string, queue: EventsQueue) {
  const events = await clientInAccount(EventBridgeClient, endpoint, REGISTRY);
  await events.send(
    new PutRuleCommand({
      Name: 'backstage-sagemaker-events',
      EventPattern: JSON.stringify({
        source: ['aws.sagemaker'],
        'detail-type': [
          'SageMaker Model Package State Change',
          'SageMaker Endpoint State Change',
        ],
      }),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: 'backstage-sagemaker-events',
      Targets: [{ Id: 'backstage-queue', Arn: queue.arn }],
    }),
  );
}
