import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  SageMakerClient,
  Tag,
} from '@aws-sdk/client-sagemaker';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { sagemakerPlugin } from './plugin';
import { GROUP_TAG } from './service/EndpointResolver';
import { FaultProxy, startFaultProxy } from './__testUtils__/faultProxy';
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

jest.setTimeout(60_000);

/** Endpoints in staging that serve versions of other groups, tagged by the plugin. */
const OTHER_ENDPOINTS = 30;

/** A model and endpoint config in staging serving one registry version. */
async function configFor(staging: SageMakerClient, group: string, v: number) {
  const name = `${group}-v${v}`;
  await staging.send(
    new CreateModelCommand({
      ModelName: name,
      ExecutionRoleArn: `arn:aws:iam::${STAGING}:role/SageMakerExecutionRole`,
      Containers: [
        {
          ModelPackageName: `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package/${group}/${v}`,
        },
      ],
    }),
  );
  await staging.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: name,
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: name,
          InstanceType: 'ml.m5.large',
          InitialInstanceCount: 1,
        },
      ],
    }),
  );
  return name;
}

/** Two targets in one account and region, as the demo's instance and serverless targets in staging. */
const TARGETS = [
  deploymentTarget('staging', STAGING),
  deploymentTarget('staging-serverless', STAGING, {
    instanceTypes: undefined,
    serverless: { memorySizeInMB: 2048, maxConcurrency: 5 },
  }),
];

async function startBackend(sagemaker: Record<string, unknown> = {}) {
  const { server } = await startTestBackend({
    features: [
      sagemakerPlugin,
      mockServices.rootConfig.factory({
        data: {
          aws: awsConfig([REGISTRY, STAGING]),
          sagemaker: { deploymentTargets: TARGETS, ...sagemaker },
        },
      }),
      catalogServiceMock.factory({
        entities: [modelEntity('fraud', groupArn('fraud-detection', REGISTRY))],
      }),
    ],
  });
  return server;
}

describe('the endpoints panel against the emulator', () => {
  let emulator: LocalEmulator;
  let proxy: FaultProxy;
  let server: Awaited<ReturnType<typeof startBackend>>;
  const previousEndpoint = process.env.AWS_ENDPOINT_URL;

  beforeAll(async () => {
    emulator = await startLocalEmulator();
    proxy = await startFaultProxy(emulator.endpoint);
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;

    const registry = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    await registerGroup(registry, 'fraud-detection', 3);
    await registerGroup(registry, 'other-team', 1);
    await grantDeploys(emulator.endpoint, {
      registry: REGISTRY,
      groups: [
        { name: 'fraud-detection', versions: 3 },
        { name: 'other-team', versions: 1 },
      ],
      targets: [STAGING],
    });
    const staging = await sageMakerInAccount(
      emulator.endpoint,
      STAGING,
      'us-east-1',
      'BackstageSageMakerAccess',
    );
    const fraud = await configFor(staging, 'fraud-detection', 2);
    const other = await configFor(staging, 'other-team', 1);
    const create = (name: string, config: string, tags: Tag[]) =>
      staging.send(
        new CreateEndpointCommand({
          EndpointName: name,
          EndpointConfigName: config,
          Tags: tags,
        }),
      );
    // What the plugin's executor writes, and one made in the console.
    await create('fraud-tagged', fraud, [
      { Key: GROUP_TAG, Value: groupArn('fraud-detection') },
    ]);
    await create('fraud-outside', fraud, []);
    await Promise.all(
      Array.from({ length: OTHER_ENDPOINTS }, (_, i) =>
        create(`other-${i}`, other, [
          { Key: GROUP_TAG, Value: groupArn('other-team') },
        ]),
      ),
    );

    server = await startBackend();
  }, 60_000);

  afterAll(async () => {
    process.env.AWS_ENDPOINT_URL = previousEndpoint;
    await proxy?.stop();
    await emulator?.stop();
  });

  it('finds the tagged endpoint and the one made outside Backstage in a few calls, whatever else the account holds, once for targets sharing the account', async () => {
    const before = proxy.stats.operations.length;
    const res = await request(server).get(
      '/api/sagemaker/entities/component/default/fraud/endpoints',
    );
    expect(res.body.error).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.body.discoveryTruncated).toEqual([]);
    expect(
      res.body.endpoints
        .map((e: any) => [e.endpointName, e.variants[0].version])
        .sort(),
    ).toEqual([
      ['fraud-outside', 2],
      ['fraud-tagged', 2],
    ]);
    expect(res.body.endpoints[0]).toMatchObject({
      target: 'staging',
      accountId: STAGING,
      variants: [{ groupName: 'fraud-detection', instanceType: 'ml.m5.large' }],
    });

    // One tag query, one discovery page, config and model per endpoint
    // found, for both targets together: none of the other team's endpoints
    // is described.
    const cold = proxy.stats.operations.slice(before).sort();
    expect(cold).toEqual([
      'DescribeEndpointConfig',
      'DescribeEndpointConfig',
      'DescribeModel',
      'DescribeModel',
      'Search',
      'Search',
    ]);

    const warmFrom = proxy.stats.operations.length;
    const warm = await request(server).get(
      '/api/sagemaker/entities/component/default/fraud/endpoints',
    );
    expect(warm.body.endpoints).toHaveLength(2);
    expect(proxy.stats.operations.slice(warmFrom)).toEqual([]);
  });

  it('reads an account and region once for the targets that share it, even with the cache off', async () => {
    const uncached = await startBackend({
      cache: { ttl: { seconds: 0 } },
    });
    const before = proxy.stats.operations.length;
    const res = await request(uncached).get(
      '/api/sagemaker/entities/component/default/fraud/endpoints',
    );
    expect(res.status).toBe(200);
    expect(res.body.endpoints.map((e: any) => e.target)).toEqual([
      'staging',
      'staging',
    ]);
    expect(
      proxy.stats.operations.slice(before).filter(op => op === 'Search'),
    ).toEqual(['Search', 'Search']);
  });
});
