import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { Deployment } from '@internal/backstage-plugin-sagemaker-common';
import request from 'supertest';
import { sagemakerPlugin } from '../plugin';
import {
  awsConfig,
  deploymentTarget,
  groupArn,
  modelEntity,
  PRODUCTION,
  REGISTRY,
  STAGING,
  UNCONFIGURED,
} from './fixtures';
import { FaultProxy, startFaultProxy } from './faultProxy';
import { LocalEmulator, startLocalEmulator } from './localEmulator';
import {
  grantDeploys,
  registerGroup,
  sageMakerInAccount,
} from './registrySeed';

/** The entity routes of `component:default/<name>`. */
export const entityPath = (name: string) =>
  `/api/sagemaker/entities/component/default/${name}`;
export const AUTH = {
  Authorization: mockCredentials.user.header('user:default/ana'),
};

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * A real plugin in a test backend, reaching a private emulator through STS
 * in three accounts. SageMaker calls go through a wire-level proxy that counts
 * them (and can throttle them), unless `direct` is set.
 *
 * Entities: `fraud` names fraud-detection (versions 3 and 6 Approved),
 * `churn` names churn-prediction (version 3 Approved), `foreign` names a
 * group in an account the config does not list.
 */
export interface ReliabilityStack {
  server: any;
  emulator: LocalEmulator;
  proxy: FaultProxy;
  registry: SageMakerClient;
  staging: SageMakerClient;
  stop(): Promise<void>;
}

export async function startReliabilityStack(
  options: {
    sagemaker?: Record<string, unknown>;
    direct?: boolean;
    stsEndpoint?: string;
  } = {},
): Promise<ReliabilityStack> {
  const saved = { ...process.env };
  const emulator = await startLocalEmulator({
    SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS: '1',
  });
  const proxy = await startFaultProxy(emulator.endpoint);
  const registry = await sageMakerInAccount(emulator.endpoint, REGISTRY);
  const staging = await sageMakerInAccount(emulator.endpoint, STAGING);
  await registerGroup(registry, 'fraud-detection', 7);
  await registerGroup(registry, 'churn-prediction', 3);
  await grantDeploys(emulator.endpoint, {
    registry: REGISTRY,
    groups: [
      { name: 'fraud-detection', versions: 7 },
      { name: 'churn-prediction', versions: 3 },
    ],
    targets: [STAGING, PRODUCTION],
  });

  process.env.AWS_ENDPOINT_URL = emulator.endpoint;
  if (!options.direct) {
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = proxy.endpoint;
  }
  if (options.stsEndpoint) {
    process.env.AWS_ENDPOINT_URL_STS = options.stsEndpoint;
  }
  const { server } = await startTestBackend({
    features: [
      sagemakerPlugin,
      mockServices.rootConfig.factory({
        data: {
          aws: awsConfig([REGISTRY, STAGING, PRODUCTION]),
          sagemaker: {
            cache: { ttl: { seconds: 0 } },
            deployments: { pollInterval: { milliseconds: 200 } },
            deploymentTargets: [
              deploymentTarget('staging', STAGING, { maxInstanceCount: 2 }),
              deploymentTarget('production', PRODUCTION, {
                maxInstanceCount: 2,
                requires: ['staging'],
              }),
            ],
            ...options.sagemaker,
          },
        },
      }),
      mockServices.database.factory({
        knex: await databases.init('SQLITE_3'),
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      catalogServiceMock.factory({
        entities: [
          modelEntity('fraud', groupArn('fraud-detection')),
          modelEntity('churn', groupArn('churn-prediction')),
          modelEntity('foreign', groupArn('fraud-detection', UNCONFIGURED)),
        ],
      }),
    ],
  });
  return {
    server,
    emulator,
    proxy,
    registry,
    staging,
    async stop() {
      process.env = saved;
      await proxy.stop();
      await emulator.stop();
    },
  };
}

/** Polls a deployment until it settles (or 30 s pass). */
export async function settled(server: any, id: string): Promise<Deployment> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await request(server)
      .get(`/api/sagemaker/deployments/${id}`)
      .set(AUTH);
    if (res.body.status !== 'in-progress' || Date.now() > deadline) {
      return res.body;
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

/** A deploy body for `fraud`, to staging. */
export const deployBody = (overrides: Record<string, unknown> = {}) => ({
  version: 3,
  target: 'staging',
  endpointName: 'fraud-staging',
  instanceType: 'ml.m5.large',
  instanceCount: 1,
  ...overrides,
});
