import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DescribeModelPackageCommand,
  ListModelsCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import request from 'supertest';
import { sagemakerPlugin } from './plugin';
import {
  awsConfig,
  deploymentTarget,
  groupArn,
  modelEntity,
  REGISTRY,
  STAGING,
  versionArn,
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

const GROUP = groupArn('fraud-detection');
const ENTITY = '/api/sagemaker/entities/component/default/fraud';
const auth = { Authorization: mockCredentials.user.header('user:default/ana') };
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * Lifecycle stages and evidence gates through the real plugin and SDK
 * against the emulator: the stage lands in SageMaker as the user, a stage
 * set outside Backstage is recorded once, and a gate refuses a deploy before
 * any AWS write.
 */
describe('lifecycle stages and evidence gates against the emulator', () => {
  let emulator: LocalEmulator;
  let server: any;
  const scheduler = mockServices.scheduler();
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await startLocalEmulator({
      SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS: '0.3',
    });
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    // Version 3 is Approved, with accuracy 0.803.
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
    const knex = await databases.init('SQLITE_3');
    ({ server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        mockServices.rootConfig.factory({
          data: {
            aws: awsConfig([REGISTRY, STAGING]),
            sagemaker: {
              cache: { ttl: { seconds: 0 } },
              deploymentTargets: [
                deploymentTarget('staging', STAGING, {
                  gates: { metrics: [{ metric: 'accuracy', min: 0.9 }] },
                }),
              ],
            },
          },
        }),
        mockServices.database.factory({ knex }),
        (scheduler as any).factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({
          entities: [modelEntity('fraud', GROUP)],
        }),
      ],
    }));
  });

  afterAll(async () => {
    process.env = saved;
    await emulator?.stop();
  });

  it('sets the stage in SageMaker as the user and records it', async () => {
    const res = await request(server)
      .post(`${ENTITY}/versions/3/lifecycle`)
      .set(auth)
      .send({ stage: 'QA', stageStatus: 'InProgress', stageDescription: 'go' });
    expect(res.status).toBe(200);
    expect(res.body.version.modelLifeCycle).toEqual({
      stage: 'QA',
      stageStatus: 'InProgress',
      stageDescription: 'go (stage set by user:default/ana via Backstage)',
    });
    const registry = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    const described = await registry.send(
      new DescribeModelPackageCommand({
        ModelPackageName: versionArn('fraud-detection', 3),
      }),
    );
    expect(described.ModelLifeCycle?.Stage).toBe('QA');
    expect(described.LastModifiedBy?.IamIdentity?.Arn).toMatch(
      /assumed-role\/.+\/ana@default$/,
    );
    const history = await request(server).get(`${ENTITY}/history`).set(auth);
    expect(
      history.body.events.map((e: any) => `${e.action} ${e.outcome}`),
    ).toEqual(['lifecycle succeeded', 'lifecycle requested']);
  });

  it('records a stage set outside Backstage once, and not our own', async () => {
    await scheduler.triggerTask('sagemaker-sync'); // baseline
    const outside = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    await outside.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: versionArn('fraud-detection', 2),
        ModelLifeCycle: { Stage: 'Development', StageStatus: 'OnHold' },
      }),
    );
    await scheduler.triggerTask('sagemaker-sync');
    await scheduler.triggerTask('sagemaker-sync');

    const history = await request(server).get(`${ENTITY}/history`).set(auth);
    const synced = history.body.events.filter(
      (e: any) => e.source === 'sagemaker',
    );
    expect(synced).toHaveLength(1);
    expect(synced[0]).toMatchObject({
      action: 'lifecycle',
      version: 2,
      comment: 'Stage Development, status OnHold (outside Backstage; was none)',
    });
  });

  it('refuses a deploy below the gate with a 409 naming the rule and the value, and creates nothing', async () => {
    const preview = await request(server)
      .get(`${ENTITY}/gates`)
      .query({ target: 'staging', version: 3 })
      .set(auth);
    expect(preview.body).toMatchObject({
      passed: false,
      gates: [{ rule: 'accuracy >= 0.9', found: 'accuracy is 0.803' }],
    });

    const res = await request(server)
      .post(`${ENTITY}/deployments`)
      .set(auth)
      .send({
        version: 3,
        target: 'staging',
        endpointName: 'fraud-gated',
        instanceType: 'ml.m5.large',
        instanceCount: 1,
      });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      'Version 3 of fraud-detection cannot be deployed: staging requires accuracy >= 0.9 (accuracy is 0.803)',
    );
    const staging = await sageMakerInAccount(emulator.endpoint, STAGING);
    expect((await staging.send(new ListModelsCommand({}))).Models).toEqual([]);
  });
});
