import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  BatchDescribeModelPackageCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  SearchCommand,
} from '@aws-sdk/client-sagemaker';
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

jest.setTimeout(60_000);

const model = modelEntity;

describe('reading versions through STS from the emulated registry account', () => {
  let emulator: LocalEmulator;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  const previousEndpoint = process.env.AWS_ENDPOINT_URL;

  beforeAll(async () => {
    emulator = await startLocalEmulator();
    // The plugin has no emulator-specific code: the SDK's standard variable
    // points every client, STS included, at the emulator.
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;

    await registerGroup(
      await sageMakerInAccount(emulator.endpoint, REGISTRY),
      'fraud-detection',
      7,
    );
    await registerGroup(
      await sageMakerInAccount(emulator.endpoint, STAGING),
      'staging-only',
      2,
    );
    await registerGroup(
      await sageMakerInAccount(emulator.endpoint, REGISTRY),
      'at-scale',
      200,
    );

    ({ server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        mockServices.rootConfig.factory({
          data: {
            aws: awsConfig([REGISTRY, STAGING]),
            sagemaker: {
              deploymentTargets: [deploymentTarget('staging', STAGING)],
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            model('fraud', groupArn('fraud-detection', REGISTRY)),
            model('at-scale', groupArn('at-scale', REGISTRY)),
            model(
              'two-accounts',
              `${groupArn('fraud-detection', REGISTRY)},${groupArn(
                'staging-only',
                STAGING,
              )}`,
            ),
            model('unconfigured', groupArn('elsewhere', '999999999999')),
            model('missing-group', groupArn('never-registered', REGISTRY)),
          ],
        }),
      ],
    }));
  }, 60_000);

  afterAll(async () => {
    process.env.AWS_ENDPOINT_URL = previousEndpoint;
    await emulator?.stop();
  });

  it('lists the versions of the group the entity names, newest first, from the registry account', async () => {
    const response = await request(server).get(
      '/api/sagemaker/entities/component/default/fraud/versions',
    );
    expect(response.body.error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.body.entityRef).toBe('component:default/fraud');
    const [group] = response.body.groups;
    expect(group).toMatchObject({
      groupArn: groupArn('fraud-detection', REGISTRY),
      accountId: REGISTRY,
      region: 'us-east-1',
    });
    expect(group.versions.map((v: any) => v.version)).toEqual([
      7, 6, 5, 4, 3, 2, 1,
    ]);
    const v6 = group.versions[1];
    expect(v6.arn).toBe(
      `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package/fraud-detection/6`,
    );
    expect(v6.approvalStatus).toBe('Approved');
    expect(group.versions[0].approvalStatus).toBe('PendingManualApproval');
    expect(v6.description).toBe('fraud-detection v6');
    expect(v6.images).toEqual([
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost-inference:1.7-6',
    ]);
    expect(v6.realtimeInstanceTypes).toEqual(['ml.m5.large']);
  });

  it('pages with a cursor and filters by approval status', async () => {
    const base = '/api/sagemaker/entities/component/default/fraud/versions';
    const group = groupArn('fraud-detection', REGISTRY);
    const first = await request(server).get(base).query({ group, limit: 4 });
    expect(first.status).toBe(200);
    expect(first.body.groups[0].versions).toHaveLength(4);
    const cursor = first.body.groups[0].nextCursor;
    expect(cursor).toEqual(expect.any(String));

    const second = await request(server)
      .get(base)
      .query({ group, limit: 4, cursor });
    expect(second.body.groups[0].versions.map((v: any) => v.version)).toEqual([
      3, 2, 1,
    ]);
    expect(second.body.groups[0].nextCursor).toBeUndefined();

    const approved = await request(server)
      .get(base)
      .query({ status: 'Approved' });
    expect(approved.body.groups[0].versions.map((v: any) => v.version)).toEqual(
      [6, 3],
    );
  });

  it('reads groups in two accounts for one entity', async () => {
    const response = await request(server).get(
      '/api/sagemaker/entities/component/default/two-accounts/versions',
    );
    expect(response.status).toBe(200);
    expect(
      response.body.groups.map((g: any) => [g.accountId, g.versions.length]),
    ).toEqual([
      [REGISTRY, 7],
      [STAGING, 2],
    ]);
  });

  it('refuses a group the entity does not name, an unknown entity and an unconfigured account', async () => {
    const foreign = await request(server)
      .get('/api/sagemaker/entities/component/default/fraud/versions')
      .query({ group: groupArn('staging-only', STAGING) });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toContain(
      'does not name model package group',
    );

    const unknown = await request(server).get(
      '/api/sagemaker/entities/component/default/nobody/versions',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('component:default/nobody');

    const unconfigured = await request(server).get(
      '/api/sagemaker/entities/component/default/unconfigured/versions',
    );
    expect(unconfigured.status).toBe(400);
    expect(unconfigured.body.error.message).toContain('999999999999');
  });

  it('answers bad query parameters with 400 naming the parameter', async () => {
    const base = '/api/sagemaker/entities/component/default/fraud/versions';
    for (const [query, field] of [
      [{ limit: '0' }, 'limit'],
      [{ limit: '1000' }, 'limit'],
      [{ status: 'Maybe' }, 'status'],
      [{ sort: 'size' }, 'sort'],
      [{ cursor: 'abc' }, 'cursor'],
      [
        { group: groupArn('fraud-detection', REGISTRY), cursor: '!!' },
        'cursor',
      ],
      [{ surprise: '1' }, 'surprise'],
    ] as const) {
      const response = await request(server).get(base).query(query);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain(field);
    }
  });

  it('orders versions by number, highest or lowest first, past version 9', async () => {
    const path = '/api/sagemaker/entities/component/default/at-scale/versions';
    for (const sort of ['name', 'createdAt']) {
      const desc = await request(server)
        .get(path)
        .query({ sort, order: 'desc', limit: 12 });
      expect(desc.body.groups[0].versions.map((v: any) => v.version)).toEqual(
        Array.from({ length: 12 }, (_, i) => 200 - i),
      );
      const asc = await request(server)
        .get(path)
        .query({ sort, order: 'asc', limit: 12 });
      expect(asc.body.groups[0].versions.map((v: any) => v.version)).toEqual(
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
    }
  });

  it('reads the first page of 50 of a 200-version group in at most 3 SageMaker calls, and 0 within the TTL', async () => {
    const send = jest.spyOn(SageMakerClient.prototype, 'send');
    try {
      const path =
        '/api/sagemaker/entities/component/default/at-scale/versions';
      const cold = await request(server).get(path).query({ limit: 50 });
      expect(cold.status).toBe(200);
      const [group] = cold.body.groups;
      expect(group.versions).toHaveLength(50);
      expect(group.versions[0].version).toBe(200);
      expect(group.versions[49].version).toBe(151);
      expect(group.versions[0].metrics.accuracy).toBeCloseTo(1.0);
      expect(group.versions[0].createdBy).toBe('test-seed (TestSeeder)');
      const coldCalls = send.mock.calls.length;
      expect(coldCalls).toBeLessThanOrEqual(3);

      send.mockClear();
      const warm = await request(server).get(path).query({ limit: 50 });
      expect(warm.body).toEqual(cold.body);
      expect(send).not.toHaveBeenCalled();
      process.stdout.write(
        `[measure] first page of 50 of 200 versions: ${coldCalls} SageMaker calls cold, ${send.mock.calls.length} warm\n`,
      );
    } finally {
      send.mockRestore();
    }
  });

  it('finds the staging endpoint serving a registry version, across accounts', async () => {
    // A deploy made outside Backstage, with the grants it needs.
    await grantDeploys(emulator.endpoint, {
      registry: REGISTRY,
      groups: [{ name: 'fraud-detection', versions: 7 }],
      targets: [STAGING],
    });
    const staging = await sageMakerInAccount(
      emulator.endpoint,
      STAGING,
      'us-east-1',
      'BackstageSageMakerAccess',
    );
    const version = `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package/fraud-detection/6`;
    await staging.send(
      new CreateModelCommand({
        ModelName: 'fraud-detection-v6',
        ExecutionRoleArn: `arn:aws:iam::${STAGING}:role/SageMakerExecutionRole`,
        Containers: [{ ModelPackageName: version }],
      }),
    );
    await staging.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'fraud-detection-v6',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: 'fraud-detection-v6',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1,
          },
        ],
      }),
    );
    await staging.send(
      new CreateEndpointCommand({
        EndpointName: 'fraud-detection-staging',
        EndpointConfigName: 'fraud-detection-v6',
      }),
    );
    const res = await request(server).get(
      '/api/sagemaker/entities/component/default/fraud/endpoints',
    );
    expect(res.status).toBe(200);
    expect(res.body.endpoints).toEqual([
      expect.objectContaining({
        target: 'staging',
        accountId: STAGING,
        endpointName: 'fraud-detection-staging',
        // Creating for the emulator's 0.5 s, then InService.
        status: expect.stringMatching(/^(Creating|InService)$/),
        variants: [
          expect.objectContaining({
            versionArn: version,
            groupName: 'fraud-detection',
            version: 6,
            instanceType: 'ml.m5.large',
          }),
        ],
      }),
    ]);
    const other = await request(server).get(
      '/api/sagemaker/entities/component/default/at-scale/endpoints',
    );
    expect(other.body.endpoints).toEqual([]);
  });

  it('measures the versions route against direct SDK calls in the same run', async () => {
    const direct = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    const runs = 15;
    const time = async (fn: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        await fn();
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      return samples[Math.floor(samples.length / 2)];
    };
    const directP50 = await time(async () => {
      const listed = await direct.send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: 'at-scale',
          SortBy: 'CreationTime',
          SortOrder: 'Descending',
          MaxResults: 50,
        }),
      );
      await direct.send(
        new BatchDescribeModelPackageCommand({
          ModelPackageArnList: listed.ModelPackageSummaryList!.map(
            p => p.ModelPackageArn!,
          ),
        }),
      );
    });
    const directWithSearchP50 = await time(async () => {
      const listed = await direct.send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: 'at-scale',
          SortBy: 'CreationTime',
          SortOrder: 'Descending',
          MaxResults: 50,
        }),
      );
      const versions = listed.ModelPackageSummaryList!.map(
        p => p.ModelPackageVersion!,
      );
      await Promise.all([
        direct.send(
          new BatchDescribeModelPackageCommand({
            ModelPackageArnList: listed.ModelPackageSummaryList!.map(
              p => p.ModelPackageArn!,
            ),
          }),
        ),
        direct.send(
          new SearchCommand({
            Resource: 'ModelPackage',
            SearchExpression: {
              Filters: [
                {
                  Name: 'ModelPackageGroupName',
                  Operator: 'Equals',
                  Value: 'at-scale',
                },
                {
                  Name: 'ModelPackageVersion',
                  Operator: 'GreaterThanOrEqualTo',
                  Value: String(Math.min(...versions)),
                },
              ],
            },
            MaxResults: 100,
          }),
        ),
      ]);
    });
    const path = '/api/sagemaker/entities/component/default/at-scale/versions';
    let order = 0;
    // A new sort order each time misses the cache: the cold path.
    const coldP50 = await time(() =>
      request(server)
        .get(path)
        .query({ limit: 50 - order++ })
        .expect(200),
    );
    const warmP50 = await time(() =>
      request(server).get(path).query({ limit: 50 }).expect(200),
    );
    const ms = (n: number) => `${n.toFixed(1)} ms`;
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    process.stdout.write(
      [
        `[measure] versions route, first page of 50 of 200, p50 over ${runs} runs:`,
        `plugin cold ${ms(coldP50)}, plugin warm ${ms(warmP50)},`,
        `direct SDK List+BatchDescribe ${ms(directP50)},`,
        `direct SDK List+BatchDescribe+Search ${ms(directWithSearchP50)};`,
        `cold/direct ${ratio(coldP50, directP50)},`,
        `cold/direct-with-search ${ratio(coldP50, directWithSearchP50)},`,
        `warm/direct ${ratio(warmP50, directP50)}\n`,
      ].join(' '),
    );
    expect(warmP50).toBeLessThan(directP50);
  });
});
