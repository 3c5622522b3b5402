import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  ListEndpointConfigsCommand,
  ListModelsCommand,
  SageMakerClient,
  ListTagsCommand,
} from '@aws-sdk/client-sagemaker';
import { Deployment } from '@internal/backstage-plugin-sagemaker-common';
import { Knex } from 'knex';
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
  versionArn,
} from './__testUtils__/fixtures';
import { DatabaseSageMakerStore } from './database/DatabaseSageMakerStore';
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
const fraudVersion = (v: number) => versionArn('fraud-detection', v);
const ENTITY = '/api/sagemaker/entities/component/default/fraud';
const USER = mockCredentials.user('user:default/ana');
const auth = { Authorization: mockCredentials.user.header('user:default/ana') };

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function config() {
  return {
    aws: awsConfig([REGISTRY, STAGING, PRODUCTION]),
    sagemaker: {
      cache: { ttl: { seconds: 0 } },
      deployments: { pollInterval: { milliseconds: 200 } },
      deploymentTargets: [
        deploymentTarget('staging', STAGING, {
          instanceTypes: ['ml.m5.large', 'ml.fake.large'],
          maxInstanceCount: 2,
          tags: { environment: 'staging' },
        }),
        deploymentTarget('production', PRODUCTION, {
          maxInstanceCount: 2,
          requires: ['staging'],
        }),
      ],
    },
  };
}

async function startBackend(
  knex: Knex,
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const { server } = await startTestBackend({
    features: [
      sagemakerPlugin,
      mockServices.rootConfig.factory({ data: config() }),
      mockServices.database.factory({ knex }),
      mockServices.permissions.factory({ result: permission }),
      // Runs the follow-up task once at startup, as a restarted backend does.
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
      catalogServiceMock.factory({
        entities: [modelEntity('fraud', GROUP)],
      }),
    ],
  });
  return server;
}

async function waitForDeployment(
  server: any,
  id: string,
  until: (d: Deployment) => boolean = d => d.status !== 'in-progress',
): Promise<Deployment> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await request(server)
      .get(`/api/sagemaker/deployments/${id}`)
      .set(auth);
    expect(res.status).toBe(200);
    if (until(res.body) || Date.now() > deadline) {
      return res.body;
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('approvals and deployments against the emulator, across accounts', () => {
  let emulator: LocalEmulator;
  let knex: Knex;
  let server: any;
  let registry: SageMakerClient;
  let staging: SageMakerClient;
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await startLocalEmulator({
      SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS: '1',
    });
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    registry = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    // As the backend's role: the half-done deploy below passes the
    // execution role, which the emulator allows only to that role.
    staging = await sageMakerInAccount(
      emulator.endpoint,
      STAGING,
      'us-east-1',
      'BackstageSageMakerAccess',
    );
    // Versions 3 and 6 are Approved, the others pending (see registerGroup).
    await registerGroup(registry, 'fraud-detection', 7);
    await grantDeploys(emulator.endpoint, {
      registry: REGISTRY,
      groups: [{ name: 'fraud-detection', versions: 7 }],
      targets: [STAGING, PRODUCTION],
    });
    knex = await databases.init('SQLITE_3');
    server = await startBackend(knex);
  });

  afterAll(async () => {
    process.env = saved;
    await emulator?.stop();
  });

  const describeVersion = (v: number) =>
    registry.send(
      new DescribeModelPackageCommand({ ModelPackageName: fraudVersion(v) }),
    );

  it('approves a pending version as the user, with the comment, and records intent and outcome', async () => {
    const res = await request(server)
      .post(`${ENTITY}/versions/1/approval`)
      .set(auth)
      .send({ status: 'Approved', comment: 'AUC above baseline' });
    expect(res.status).toBe(200);
    expect(res.body.version.approvalStatus).toBe('Approved');
    expect(res.body.event).toMatchObject({
      action: 'approve',
      outcome: 'succeeded',
    });

    const described = await describeVersion(1);
    expect(described.ModelApprovalStatus).toBe('Approved');
    expect(described.ApprovalDescription).toBe(
      'AUC above baseline (approved by user:default/ana via Backstage)',
    );
    // The write was made with a session named after the user.
    expect(described.LastModifiedBy?.IamIdentity?.Arn).toBe(
      `arn:aws:sts::${REGISTRY}:assumed-role/BackstageSageMakerAccess/ana@default`,
    );

    const history = await request(server).get(`${ENTITY}/history`).set(auth);
    expect(
      history.body.events.map((e: any) => [
        e.action,
        e.outcome,
        e.version,
        e.actor,
      ]),
    ).toEqual([
      ['approve', 'succeeded', 1, 'user:default/ana'],
      ['approve', 'requested', 1, 'user:default/ana'],
    ]);
    expect(history.body.events[1].comment).toBe('AUC above baseline');
  });

  it('refuses a reject without a comment, and an invalid transition with the current status', async () => {
    const noComment = await request(server)
      .post(`${ENTITY}/versions/2/approval`)
      .set(auth)
      .send({ status: 'Rejected' });
    expect(noComment.status).toBe(400);
    expect(noComment.body.error.message).toContain('comment');
    expect((await describeVersion(2)).ModelApprovalStatus).toBe(
      'PendingManualApproval',
    );

    const again = await request(server)
      .post(`${ENTITY}/versions/3/approval`)
      .set(auth)
      .send({ status: 'Approved' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('is already Approved');
  });

  it('deploys an approved registry version into staging through STS and sees Creating, then InService', async () => {
    const res = await request(server)
      .post(`${ENTITY}/deployments`)
      .set({ ...auth, 'Idempotency-Key': 'deploy-staging-0001' })
      .send({
        version: 3,
        target: 'staging',
        endpointName: 'fraud-staging',
        instanceType: 'ml.m5.large',
        instanceCount: 1,
      });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'in-progress', mode: 'create' });

    const creating = await waitForDeployment(
      server,
      res.body.id,
      d => d.endpointStatus === 'Creating' || d.status !== 'in-progress',
    );
    expect(creating.endpointStatus).toBe('Creating');
    const done = await waitForDeployment(server, res.body.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      phase: 'done',
      endpointStatus: 'InService',
      accountId: STAGING,
    });

    const endpoint = await staging.send(
      new DescribeEndpointCommand({ EndpointName: 'fraud-staging' }),
    );
    expect(endpoint.EndpointStatus).toBe('InService');
    const model = await staging.send(
      new DescribeModelCommand({ ModelName: done.modelName }),
    );
    expect(model.ExecutionRoleArn).toBe(
      `arn:aws:iam::${STAGING}:role/SageMakerExecutionRole`,
    );
    expect(model.Containers?.[0].ModelPackageName).toBe(fraudVersion(3));

    const endpoints = await request(server)
      .get(`${ENTITY}/endpoints`)
      .set(auth);
    expect(endpoints.body.endpoints).toEqual([
      expect.objectContaining({
        endpointName: 'fraud-staging',
        status: 'InService',
        variants: [expect.objectContaining({ version: 3 })],
      }),
    ]);
  });

  it('gives one deployment for a double POST with the same Idempotency-Key', async () => {
    const body = {
      version: 6,
      target: 'staging',
      endpointName: 'fraud-staging-b',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    };
    const headers = { ...auth, 'Idempotency-Key': 'double-click-0001' };
    const [a, b] = await Promise.all([
      request(server).post(`${ENTITY}/deployments`).set(headers).send(body),
      request(server).post(`${ENTITY}/deployments`).set(headers).send(body),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.id).toBe(b.body.id);
    const other = await request(server)
      .post(`${ENTITY}/deployments`)
      .set(headers)
      .send({ ...body, instanceCount: 2 });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toContain('Idempotency-Key');
    await waitForDeployment(server, a.body.id);
  });

  it('refuses production before the version is InService on staging, and allows it after', async () => {
    // Version 4: approved now, never deployed.
    const approved = await request(server)
      .post(`${ENTITY}/versions/4/approval`)
      .set(auth)
      .send({ status: 'Approved' });
    expect(approved.status).toBe(200);
    const body = {
      version: 4,
      target: 'production',
      endpointName: 'fraud-production',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    };
    const before = await request(server)
      .post(`${ENTITY}/deployments`)
      .set(auth)
      .send(body);
    expect(before.status).toBe(409);
    expect(before.body.error.message).toContain('InService on staging');

    const stagingDeploy = await request(server)
      .post(`${ENTITY}/deployments`)
      .set(auth)
      .send({ ...body, target: 'staging', endpointName: 'fraud-staging-v4' });
    expect(
      (await waitForDeployment(server, stagingDeploy.body.id)).status,
    ).toBe('succeeded');

    const after = await request(server)
      .post(`${ENTITY}/deployments`)
      .set(auth)
      .send(body);
    expect(after.status).toBe(202);
    const done = await waitForDeployment(server, after.body.id);
    expect(done).toMatchObject({ status: 'succeeded', accountId: PRODUCTION });
  });

  it('updates an existing endpoint to a newer version', async () => {
    const res = await request(server)
      .post(`${ENTITY}/deployments`)
      .set(auth)
      .send({
        version: 6,
        target: 'staging',
        endpointName: 'fraud-staging',
        instanceType: 'ml.m5.large',
        instanceCount: 2,
      });
    expect(res.status).toBe(202);
    expect(res.body.mode).toBe('update');
    const busy = await request(server)
      .post(`${ENTITY}/deployments`)
      .set(auth)
      .send({
        version: 3,
        target: 'staging',
        endpointName: 'fraud-staging',
        instanceType: 'ml.m5.large',
        instanceCount: 1,
      });
    expect(busy.status).toBe(409);

    const done = await waitForDeployment(server, res.body.id);
    expect(done.status).toBe('succeeded');
    const endpoint = await staging.send(
      new DescribeEndpointCommand({ EndpointName: 'fraud-staging' }),
    );
    expect(endpoint.EndpointConfigName).toBe(done.endpointConfigName);
    // The endpoint's own tags name the deployment that updated it.
    const { Tags } = await staging.send(
      new ListTagsCommand({ ResourceArn: endpoint.EndpointArn }),
    );
    expect(Tags).toEqual(
      expect.arrayContaining([
        { Key: 'backstage:deployment-id', Value: done.id },
        { Key: 'backstage:model-package-arn', Value: done.versionArn },
      ]),
    );
  });

  it('records a forced Failed endpoint with its reason, and cleans up what it created', async () => {
    const res = await request(server)
      .post(`${ENTITY}/deployments`)
      .set(auth)
      .send({
        version: 3,
        target: 'staging',
        endpointName: 'fraud-force-fail',
        instanceType: 'ml.m5.large',
        instanceCount: 1,
      });
    const done = await waitForDeployment(server, res.body.id);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('EndpointFailed');
    expect(done.error?.message).toEqual(expect.any(String));

    const models = await staging.send(new ListModelsCommand({}));
    expect(models.Models?.map(m => m.ModelName)).not.toContain(done.modelName);
    const history = await request(server).get(`${ENTITY}/history`).set(auth);
    expect(history.body.events[0]).toMatchObject({
      action: 'deploy',
      outcome: 'failed',
      deploymentId: done.id,
      awsErrorCode: 'EndpointFailed',
    });
  });

  it('cleans up the model after a failed EndpointConfig and keeps the AWS error', async () => {
    const res = await request(server)
      .post(`${ENTITY}/deployments`)
      .set(auth)
      .send({
        version: 3,
        target: 'staging',
        endpointName: 'fraud-bad-config',
        instanceType: 'ml.fake.large',
        instanceCount: 1,
      });
    expect(res.status).toBe(202);
    const done = await waitForDeployment(server, res.body.id);
    expect(done).toMatchObject({ status: 'failed', phase: 'done' });
    expect(done.error?.code).toBe('ValidationException');
    const models = await staging.send(new ListModelsCommand({}));
    expect(models.Models?.map(m => m.ModelName)).not.toContain(done.modelName);
    const configs = await staging.send(new ListEndpointConfigsCommand({}));
    expect(
      configs.EndpointConfigs?.map(c => c.EndpointConfigName),
    ).not.toContain(done.endpointConfigName);
  });

  it('refuses bad deploy input with 400 and a Pending version with 409, without writing', async () => {
    const base = {
      version: 3,
      target: 'staging',
      endpointName: 'fraud-x',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    };
    for (const [body, message] of [
      [{ ...base, target: 'moon' }, 'target'],
      [{ ...base, instanceType: 'ml.p4d.24xlarge' }, 'instanceType'],
      [{ ...base, instanceCount: 3 }, 'instanceCount'],
      [{ ...base, endpointName: 'bad_name!' }, 'endpointName'],
      [
        { ...base, ExecutionRoleArn: 'arn:aws:iam::222222222222:role/Admin' },
        'ExecutionRoleArn',
      ],
      [{ ...base, accountId: PRODUCTION }, 'accountId'],
    ] as const) {
      const res = await request(server)
        .post(`${ENTITY}/deployments`)
        .set(auth)
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
    }
    const pending = await request(server)
      .post(`${ENTITY}/deployments`)
      .set(auth)
      .send({ ...base, version: 7 });
    expect(pending.status).toBe(409);
    expect(pending.body.error.message).toContain('PendingManualApproval');
  });

  it('finishes a deployment that a stopped backend left half-done, with every event once', async () => {
    const store = await DatabaseSageMakerStore.create({
      database: { getClient: async () => knex },
    });
    // What a backend that died right after CreateModel leaves behind.
    const id = '7d1f8a52-0c3e-4c59-9d55-2b1d6f1e9a01';
    const name = `fraud-restart-v6-${id.slice(0, 8)}`;
    await store.createDeployment({
      id,
      requestedBy: 'user:default/ana',
      requestHash: 'h',
      entityRef: 'component:default/fraud',
      groupArn: GROUP,
      versionArn: fraudVersion(6),
      version: 6,
      target: 'staging',
      accountId: STAGING,
      region: 'us-east-1',
      endpointName: 'fraud-restart',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
      mode: 'create',
      modelName: name,
      endpointConfigName: name,
    });
    await store.appendEvent({
      actor: 'user:default/ana',
      action: 'deploy',
      outcome: 'requested',
      source: 'backstage',
      entityRef: 'component:default/fraud',
      versionArn: fraudVersion(6),
      version: 6,
      target: 'staging',
      deploymentId: id,
    });
    await staging.send(
      new CreateModelCommand({
        ModelName: name,
        ExecutionRoleArn: `arn:aws:iam::${STAGING}:role/SageMakerExecutionRole`,
        Containers: [{ ModelPackageName: fraudVersion(6) }],
      }),
    );

    // A new backend on the same database: its follow-up task resumes it.
    const restarted = await startBackend(knex);
    const done = await waitForDeployment(restarted, id);
    expect(done.status).toBe('succeeded');
    const events = (
      await request(restarted).get(`${ENTITY}/history?limit=200`).set(auth)
    ).body.events.filter((e: any) => e.deploymentId === id);
    expect(events.map((e: any) => e.outcome)).toEqual([
      'succeeded',
      'requested',
    ]);
    await expect(store.verifyChain()).resolves.toMatchObject({ intact: true });
  });
});

describe('a caller the permission policy denies', () => {
  let emulator: LocalEmulator;
  const saved = { ...process.env };
  afterAll(async () => {
    process.env = saved;
    await emulator?.stop();
  });

  it('gets 403 with no AWS write, and the history records the denial', async () => {
    emulator = await startLocalEmulator();
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    const registry = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    await registerGroup(registry, 'fraud-detection', 1);
    const knex = await databases.init('SQLITE_3');
    const server = await startBackend(knex, AuthorizeResult.DENY);

    const approve = await request(server)
      .post(`${ENTITY}/versions/1/approval`)
      .set(auth)
      .send({ status: 'Approved' });
    expect(approve.status).toBe(403);
    expect(approve.body.error.message).toContain(
      'sagemaker.model-version.approve',
    );
    const deploy = await request(server)
      .post(`${ENTITY}/deployments`)
      .set(auth)
      .send({
        version: 1,
        target: 'staging',
        endpointName: 'x',
        instanceType: 'ml.m5.large',
        instanceCount: 1,
      });
    expect(deploy.status).toBe(403);

    const described = await registry.send(
      new DescribeModelPackageCommand({ ModelPackageName: fraudVersion(1) }),
    );
    expect(described.ModelApprovalStatus).toBe('PendingManualApproval');
    const history = await request(server).get(`${ENTITY}/history`).set(auth);
    expect(history.body.events.map((e: any) => [e.action, e.outcome])).toEqual([
      ['deploy', 'denied'],
      ['approve', 'denied'],
    ]);
    expect(USER.principal.userEntityRef).toBe('user:default/ana');
  });
});
