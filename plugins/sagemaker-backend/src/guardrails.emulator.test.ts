import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeEndpointCommand,
  ListEndpointConfigsCommand,
  ListModelsCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { Deployment } from '@internal/backstage-plugin-sagemaker-common';
import request from 'supertest';
import { sagemakerPlugin } from './plugin';
import {
  awsConfig,
  deploymentTarget,
  groupArn,
  modelEntity,
  PRODUCTION,
  REGISTRY,
  STAGING,
} from './__testUtils__/fixtures';
import {
  LocalEmulator,
  startLocalEmulator,
} from './__testUtils__/localEmulator';
import {
  clientInAccount,
  grantDeploys,
  registerGroup,
  sageMakerInAccount,
} from './__testUtils__/registrySeed';

jest.setTimeout(90_000);

const GROUP = groupArn('fraud-detection');
const ENTITY = '/api/sagemaker/entities/component/default/fraud';
const auth = { Authorization: mockCredentials.user.header('user:default/ana') };
const ALARM = 'fraud-5xx';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function config() {
  return {
    aws: awsConfig([REGISTRY, STAGING, PRODUCTION]),
    sagemaker: {
      cache: { ttl: { seconds: 0 } },
      // One earlier deployment per endpoint keeps its model and config.
      deployments: { pollInterval: { milliseconds: 200 }, keepPrevious: 1 },
      deploymentTargets: [
        deploymentTarget('canary', STAGING, {
          deploymentConfig: {
            blueGreen: {
              trafficRouting: 'CANARY',
              canarySize: { type: 'CAPACITY_PERCENT', value: 50 },
              waitInterval: { seconds: 2 },
            },
            autoRollbackAlarms: [ALARM],
          },
        }),
        deploymentTarget('serverless', PRODUCTION, {
          instanceTypes: undefined,
          serverless: { memorySizeInMB: 2048, maxConcurrency: 5 },
        }),
      ],
    },
  };
}

/** Every deployment state the API shows until it ends, and the end. */
async function follow(
  server: any,
  id: string,
  onEach: (d: Deployment) => Promise<void> = async () => {},
): Promise<{ seen: Deployment[]; done: Deployment }> {
  const seen: Deployment[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await request(server)
      .get(`/api/sagemaker/deployments/${id}`)
      .set(auth);
    expect(res.status).toBe(200);
    seen.push(res.body);
    await onEach(res.body);
    if (res.body.status !== 'in-progress') {
      return { seen, done: res.body };
    }
    if (Date.now() > deadline) {
      throw new Error(`deployment ${id} still in progress`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('guarded updates and serverless targets against the emulator', () => {
  let emulator: LocalEmulator;
  let server: any;
  let staging: SageMakerClient;
  let production: SageMakerClient;
  let cloudwatch: CloudWatchClient;
  let first: Deployment;
  const saved = { ...process.env };

  const deploy = (body: Record<string, unknown>) =>
    request(server)
      .post(`${ENTITY}/deployments`)
      .set(auth)
      .send({ group: GROUP, ...body });

  beforeAll(async () => {
    emulator = await startLocalEmulator();
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    const registry = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    staging = await sageMakerInAccount(emulator.endpoint, STAGING);
    production = await sageMakerInAccount(emulator.endpoint, PRODUCTION);
    cloudwatch = await clientInAccount(
      CloudWatchClient,
      emulator.endpoint,
      STAGING,
    );
    // Versions 3 and 6 are Approved (see registerGroup).
    await registerGroup(registry, 'fraud-detection', 6);
    await grantDeploys(emulator.endpoint, {
      registry: REGISTRY,
      groups: [{ name: 'fraud-detection', versions: 6 }],
      targets: [STAGING, PRODUCTION],
    });
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: ALARM,
        MetricName: 'Invocation5XXErrors',
        Namespace: 'AWS/SageMaker',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    const knex = await databases.init('SQLITE_3');
    ({ server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        mockServices.rootConfig.factory({ data: config() }),
        mockServices.database.factory({ knex }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        catalogServiceMock.factory({
          entities: [modelEntity('fraud', GROUP)],
        }),
      ],
    }));
    const created = await deploy({
      version: 3,
      target: 'canary',
      endpointName: 'fraud-canary',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    });
    first = (await follow(server, created.body.id)).done;
    if (created.status !== 202 || first.status !== 'succeeded') {
      throw new Error(
        `setup: the first deploy answered ${created.status} and ended ${first.status}`,
      );
    }
  });

  afterAll(async () => {
    process.env = saved;
    await emulator?.stop();
  });

  it('walks a canary update through its traffic shifts to the new version', async () => {
    const res = await deploy({
      version: 6,
      target: 'canary',
      endpointName: 'fraud-canary',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    });
    expect(res.body.mode).toBe('update');
    const { seen, done } = await follow(server, res.body.id);

    expect(done.status).toBe('succeeded');
    const messages = [
      ...new Set(
        seen.flatMap(d => (d.traffic?.message ? [d.traffic.message] : [])),
      ),
    ];
    expect(messages).toEqual(
      expect.arrayContaining([
        'Baking: 50% of traffic on the new fleet',
        'Baking: 100% of traffic on the new fleet',
      ]),
    );
    // Each bake ends the target's 2 s wait interval after SageMaker started it.
    const bakes = seen.flatMap(d =>
      d.traffic?.status === 'Baking' ? [d.traffic] : [],
    );
    expect(bakes.length).toBeGreaterThan(0);
    for (const bake of bakes) {
      expect(Date.parse(bake.bakeEndsAt!) - Date.parse(bake.startedAt!)).toBe(
        2000,
      );
    }
    const endpoint = await staging.send(
      new DescribeEndpointCommand({ EndpointName: 'fraud-canary' }),
    );
    expect(endpoint.EndpointConfigName).toBe(done.endpointConfigName);
    expect(
      endpoint.LastDeploymentConfig?.BlueGreenUpdatePolicy
        ?.TrafficRoutingConfiguration,
    ).toEqual({
      Type: 'CANARY',
      CanarySize: { Type: 'CAPACITY_PERCENT', Value: 50 },
      WaitIntervalInSeconds: 2,
    });
  });

  it('rolls back when the alarm goes into ALARM while the canary bakes, and the history names the alarm', async () => {
    const before = await staging.send(
      new DescribeEndpointCommand({ EndpointName: 'fraud-canary' }),
    );
    const res = await deploy({
      version: 3,
      target: 'canary',
      endpointName: 'fraud-canary',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    });
    let tripped = false;
    const { done } = await follow(server, res.body.id, async d => {
      if (!tripped && d.traffic?.status === 'Baking') {
        tripped = true;
        await cloudwatch.send(
          new SetAlarmStateCommand({
            AlarmName: ALARM,
            StateValue: 'ALARM',
            StateReason: '5xx errors on the canary',
          }),
        );
      }
    });
    await cloudwatch.send(
      new SetAlarmStateCommand({
        AlarmName: ALARM,
        StateValue: 'OK',
        StateReason: 'test over',
      }),
    );

    expect(tripped).toBe(true);
    expect(done).toMatchObject({
      status: 'failed',
      error: {
        code: 'UpdateRolledBack',
        message: expect.stringMatching(
          /^Rolled back by CloudWatch alarm fraud-5xx: /,
        ),
      },
    });
    const after = await staging.send(
      new DescribeEndpointCommand({ EndpointName: 'fraud-canary' }),
    );
    expect(after.EndpointStatus).toBe('InService');
    expect(after.EndpointConfigName).toBe(before.EndpointConfigName);
    // The config the rollback left behind is deleted.
    const configs = await staging.send(new ListEndpointConfigsCommand({}));
    expect(
      configs.EndpointConfigs?.map(c => c.EndpointConfigName),
    ).not.toContain(done.endpointConfigName);
    const history = await request(server).get(`${ENTITY}/history`).set(auth);
    expect(
      history.body.events.find(
        (e: any) => e.deploymentId === done.id && e.outcome !== 'requested',
      ),
    ).toMatchObject({
      outcome: 'rolled-back',
      awsErrorCode: 'UpdateRolledBack',
      awsErrorMessage: expect.stringContaining('fraud-5xx'),
    });
  });

  it('rolls the endpoint back to the version that served before, linked to the deployment it undoes, with tags that say so', async () => {
    const listed = await request(server).get(`${ENTITY}/deployments`).set(auth);
    const option = listed.body.rollbacks.find(
      (o: any) => o.endpointName === 'fraud-canary',
    );
    expect(option).toMatchObject({
      target: 'canary',
      version: 3,
      undoesVersion: 6,
    });

    const res = await request(server)
      .post(`${ENTITY}/rollbacks`)
      .set(auth)
      .send({ target: 'canary', endpointName: 'fraud-canary' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      version: 3,
      mode: 'update',
      rollbackOf: option.undoes,
    });
    const { done } = await follow(server, res.body.id);
    expect(done.status).toBe('succeeded');

    const endpoint = await staging.send(
      new DescribeEndpointCommand({ EndpointName: 'fraud-canary' }),
    );
    expect(endpoint.EndpointConfigName).toBe(done.endpointConfigName);
    const { Tags } = await staging.send(
      new ListTagsCommand({ ResourceArn: endpoint.EndpointArn }),
    );
    expect(Tags).toEqual(
      expect.arrayContaining([
        { Key: 'backstage:deployment-id', Value: done.id },
        { Key: 'backstage:model-package-arn', Value: done.versionArn },
      ]),
    );
    // Kept: the deployment undone (one earlier); deleted: the first one's.
    const models = (await staging.send(new ListModelsCommand({}))).Models?.map(
      m => m.ModelName,
    );
    const configs = (
      await staging.send(new ListEndpointConfigsCommand({}))
    ).EndpointConfigs?.map(c => c.EndpointConfigName);
    const undone = listed.body.deployments.find(
      (x: Deployment) => x.id === option.undoes,
    );
    expect(models).toEqual(
      expect.arrayContaining([done.modelName, undone.modelName]),
    );
    expect(configs).toEqual(
      expect.arrayContaining([
        done.endpointConfigName,
        undone.endpointConfigName,
      ]),
    );
    expect(models).not.toContain(first.modelName);
    expect(configs).not.toContain(first.endpointConfigName);

    const history = await request(server).get(`${ENTITY}/history`).set(auth);
    const events = history.body.events.filter(
      (e: any) => e.deploymentId === done.id,
    );
    expect(events.map((e: any) => [e.outcome, e.comment])).toEqual([
      ['succeeded', `Rollback of deployment ${option.undoes}`],
      ['requested', `Rollback of deployment ${option.undoes}`],
    ]);

    const nothingLeft = await request(server)
      .post(`${ENTITY}/rollbacks`)
      .set(auth)
      .send({ target: 'serverless', endpointName: 'fraud-canary' });
    expect(nothingLeft.status).toBe(404);
  });

  it('deploys to a serverless target with no instance type or count, and refuses one', async () => {
    const refused = await deploy({
      version: 6,
      target: 'serverless',
      endpointName: 'fraud-serverless',
      instanceType: 'ml.m5.large',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain(
      'instanceType: serverless is serverless',
    );

    const res = await deploy({
      version: 6,
      target: 'serverless',
      endpointName: 'fraud-serverless',
    });
    expect(res.status).toBe(202);
    const { done } = await follow(server, res.body.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      instanceType: 'serverless',
      instanceCount: 0,
    });
    const endpoint = await production.send(
      new DescribeEndpointCommand({ EndpointName: 'fraud-serverless' }),
    );
    expect(endpoint.ProductionVariants?.[0].CurrentServerlessConfig).toEqual({
      MemorySizeInMB: 2048,
      MaxConcurrency: 5,
    });
  });
});
