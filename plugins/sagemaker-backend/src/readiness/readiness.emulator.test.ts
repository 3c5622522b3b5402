import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteModelPackageGroupPolicyCommand,
  DescribeEndpointCommand,
  GetModelPackageGroupPolicyCommand,
  PutModelPackageGroupPolicyCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetKeyPolicyCommand,
  KMSClient,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import {
  DeleteRepositoryPolicyCommand,
  ECRClient,
  GetRepositoryPolicyCommand,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import {
  Deployment,
  ReadinessCheckKind,
  ReadinessReport,
} from '@internal/backstage-plugin-sagemaker-common';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import request from 'supertest';
import { sagemakerPlugin } from '../plugin';
import {
  awsConfig,
  modelEntity,
  PRODUCTION,
  REGISTRY,
  STAGING,
} from '../__testUtils__/fixtures';
import {
  LocalEmulator,
  startLocalEmulator,
} from '../__testUtils__/localEmulator';
import { clientInAccount } from '../__testUtils__/registrySeed';
import { scoreScenario } from '../__testUtils__/scoreboard';

/**
 * Preflight against the seeded demo world, where the emulator refuses what
 * AWS refuses: every grant the emulator's deploy needs is predicted, the
 * demo's one missing grant is found with its fix, and the fix, applied
 * through the AWS SDK, lets the deploy reach InService.
 */
jest.setTimeout(240_000);

const EMULATOR_DIR = resolvePackagePath(
  '@internal/backstage-plugin-sagemaker-backend',
  '../../dev/sagemaker-local',
);
const auth = { Authorization: mockCredentials.user.header('user:default/ana') };
const arn = (region: string, name: string) =>
  `arn:aws:sagemaker:${region}:${REGISTRY}:model-package-group/${name}`;
const ENTITIES = {
  'fraud-detection': arn('us-east-1', 'fraud-detection'),
  'churn-prediction': arn('us-east-1', 'churn-prediction'),
  'demand-forecast': arn('us-east-1', 'demand-forecast'),
  'image-classifier': arn('eu-west-1', 'image-classifier'),
};
const EXEC = (account: string) =>
  `arn:aws:iam::${account}:role/SageMakerExecutionRole`;

function config() {
  const target = (name: string, accountId: string, extra: object = {}) => ({
    name,
    title: `${name} (${accountId})`,
    accountId,
    region: 'us-east-1',
    executionRoleArn: EXEC(accountId),
    instanceTypes: ['ml.m5.large'],
    ...extra,
  });
  return {
    backend: { baseUrl: 'http://localhost:7007' },
    aws: awsConfig([REGISTRY, STAGING, PRODUCTION]),
    sagemaker: {
      deployments: { pollInterval: { milliseconds: 200 } },
      deploymentTargets: [
        target('staging', STAGING),
        // As in app-config.yaml, which the seed creates these for.
        target('production', PRODUCTION, {
          vpcConfig: {
            subnets: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
            securityGroupIds: ['sg-0a1b2c3d4e5f60003'],
          },
          kmsKeyId:
            'arn:aws:kms:us-east-1:333333333333:key/2f9c1d7e-5b8a-4c3e-9f10-6d2b7a8e4c11',
        }),
      ],
    },
  };
}

describe('preflight against the seeded demo world', () => {
  let emulator: LocalEmulator;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await startLocalEmulator({
      SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS: '0.3',
    });
    // Asynchronously: the emulator's output pipe must keep draining.
    await promisify(execFile)(resolve(EMULATOR_DIR, '.venv/bin/python'), [
      resolve(EMULATOR_DIR, 'seed.py'),
      '--endpoint',
      emulator.endpoint,
    ]);
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    ({ server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        mockServices.rootConfig.factory({ data: config() }),
        catalogServiceMock.factory({
          entities: Object.entries(ENTITIES).map(([name, group]) =>
            modelEntity(name, group),
          ),
        }),
      ],
    }));
  });

  afterAll(async () => {
    process.env = saved;
    await emulator?.stop();
  });

  async function readiness(
    entity: string,
    target: string,
    version?: number,
  ): Promise<{ report: ReadinessReport; ms: number }> {
    const started = Date.now();
    const res = await request(server)
      .get(`/api/sagemaker/entities/component/default/${entity}/readiness`)
      .query({
        target,
        fresh: 'true',
        ...(version
          ? { group: ENTITIES[entity as keyof typeof ENTITIES], version }
          : {}),
      })
      .set(auth);
    expect(res.status).toBe(200);
    return { report: res.body, ms: Date.now() - started };
  }

  const missingKinds = (report: ReadinessReport) =>
    report.pairs.flatMap(p =>
      p.checks.filter(c => c.status === 'missing').map(c => c.kind),
    );

  /** What the emulator does with a deploy made directly, as the backend's role. */
  async function deployDirectly(
    entity: string,
    targetAccount: string,
    name: string,
  ): Promise<string> {
    const sm = await clientInAccount(
      SageMakerClient,
      emulator.endpoint,
      targetAccount,
      'us-east-1',
      'BackstageSageMakerAccess',
    );
    const group = ENTITIES[entity as keyof typeof ENTITIES];
    try {
      await sm.send(
        new CreateModelCommand({
          ModelName: name,
          ExecutionRoleArn: EXEC(targetAccount),
          Containers: [
            {
              ModelPackageName: `${group.replace('-group/', '/')}/1`,
            },
          ],
        }),
      );
      await sm.send(
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
      await sm.send(
        new CreateEndpointCommand({
          EndpointName: name,
          EndpointConfigName: name,
        }),
      );
    } catch (error) {
      return `refused (${(error as Error).name})`;
    }
    for (;;) {
      const { EndpointStatus, FailureReason } = await sm.send(
        new DescribeEndpointCommand({ EndpointName: name }),
      );
      if (EndpointStatus === 'Failed') {
        return `Failed (${FailureReason?.slice(0, 40)}…)`;
      }
      if (EndpointStatus === 'InService') {
        return 'InService';
      }
      await new Promise(r => setTimeout(r, 100));
    }
  }

  it('finds every grant whose absence makes the emulator refuse a deploy, and never calls one of them ok', async () => {
    const registry = (c: any) =>
      clientInAccount(c, emulator.endpoint, REGISTRY);
    const production = (c: any) =>
      clientInAccount(c, emulator.endpoint, PRODUCTION);
    const sm = (await registry(SageMakerClient)) as SageMakerClient;
    const iam = (await production(IAMClient)) as IAMClient;
    const s3 = (await registry(S3Client)) as S3Client;
    const ecr = (await registry(ECRClient)) as ECRClient;
    const backendRole = 'BackstageSageMakerAccess';

    type Case = {
      name: string;
      entity: string;
      target: 'staging' | 'production';
      kind: ReadinessCheckKind;
      breakIt?: () => Promise<() => Promise<unknown>>;
    };
    const cases: Case[] = [
      {
        name: 'group policy removed',
        entity: 'churn-prediction',
        target: 'production',
        kind: 'group-policy',
        breakIt: async () => {
          const { ResourcePolicy } = await sm.send(
            new GetModelPackageGroupPolicyCommand({
              ModelPackageGroupName: 'churn-prediction',
            }),
          );
          await sm.send(
            new DeleteModelPackageGroupPolicyCommand({
              ModelPackageGroupName: 'churn-prediction',
            }),
          );
          return () =>
            sm.send(
              new PutModelPackageGroupPolicyCommand({
                ModelPackageGroupName: 'churn-prediction',
                ResourcePolicy,
              }),
            );
        },
      },
      {
        name: 'PassRole denied to the backend role',
        entity: 'fraud-detection',
        target: 'production',
        kind: 'pass-role',
        breakIt: async () => {
          await iam.send(
            new PutRolePolicyCommand({
              RoleName: backendRole,
              PolicyName: 'NoPassRole',
              PolicyDocument: JSON.stringify({
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' },
                ],
              }),
            }),
          );
          return () =>
            iam.send(
              new DeleteRolePolicyCommand({
                RoleName: backendRole,
                PolicyName: 'NoPassRole',
              }),
            );
        },
      },
      {
        name: 'execution role trusts EC2, not SageMaker',
        entity: 'fraud-detection',
        target: 'production',
        kind: 'execution-role-trust',
        breakIt: async () => {
          const { Role } = await iam.send(
            new GetRoleCommand({ RoleName: 'SageMakerExecutionRole' }),
          );
          await iam.send(
            new UpdateAssumeRolePolicyCommand({
              RoleName: 'SageMakerExecutionRole',
              PolicyDocument: JSON.stringify({
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { Service: 'ec2.amazonaws.com' },
                    Action: 'sts:AssumeRole',
                  },
                ],
              }),
            }),
          );
          return () =>
            iam.send(
              new UpdateAssumeRolePolicyCommand({
                RoleName: 'SageMakerExecutionRole',
                PolicyDocument: decodeURIComponent(
                  Role!.AssumeRolePolicyDocument!,
                ),
              }),
            );
        },
      },
      {
        name: 'bucket policy grants staging only',
        entity: 'fraud-detection',
        target: 'production',
        kind: 'artifacts-bucket',
        breakIt: async () => {
          const Bucket = 'ml-models-111111111111';
          const { Policy } = await s3.send(
            new GetBucketPolicyCommand({ Bucket }),
          );
          await s3.send(
            new PutBucketPolicyCommand({
              Bucket,
              Policy: Policy!.replace(
                /,?\s*"arn:aws:iam::333333333333:role\/SageMakerExecutionRole"/g,
                '',
              ),
            }),
          );
          return () => s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
        },
      },
      {
        name: "execution role's own policy removed",
        entity: 'fraud-detection',
        target: 'production',
        kind: 'artifacts-bucket',
        breakIt: async () => {
          const { PolicyDocument } = await iam.send(
            new GetRolePolicyCommand({
              RoleName: 'SageMakerExecutionRole',
              PolicyName: 'ModelArtifactsAccess',
            }),
          );
          await iam.send(
            new DeleteRolePolicyCommand({
              RoleName: 'SageMakerExecutionRole',
              PolicyName: 'ModelArtifactsAccess',
            }),
          );
          return () =>
            iam.send(
              new PutRolePolicyCommand({
                RoleName: 'SageMakerExecutionRole',
                PolicyName: 'ModelArtifactsAccess',
                PolicyDocument: decodeURIComponent(PolicyDocument!),
              }),
            );
        },
      },
      {
        name: 'repository policy removed',
        entity: 'demand-forecast',
        target: 'staging',
        kind: 'image-repository',
        breakIt: async () => {
          const repositoryName = 'demand-forecast-inference';
          const { policyText } = await ecr.send(
            new GetRepositoryPolicyCommand({ repositoryName }),
          );
          await ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName }));
          return () =>
            ecr.send(
              new SetRepositoryPolicyCommand({ repositoryName, policyText }),
            );
        },
      },
      {
        name: 'key policy misses production (the demo as seeded)',
        entity: 'demand-forecast',
        target: 'production',
        kind: 'artifacts-key',
      },
      {
        name: 'group in eu-west-1, target in us-east-1',
        entity: 'image-classifier',
        target: 'production',
        kind: 'region',
      },
    ];

    const rows: string[] = [];
    const problems: string[] = [];
    for (const [i, c] of cases.entries()) {
      const restore = await c.breakIt?.();
      const { report } = await readiness(c.entity, c.target, 1);
      const missing = missingKinds(report);
      const outcome = await deployDirectly(
        c.entity,
        c.target === 'staging' ? STAGING : PRODUCTION,
        `readiness-case-${i}`,
      );
      await restore?.();
      const caught = missing.includes(c.kind);
      rows.push(
        `${c.name.padEnd(50)} | emulator: ${outcome.padEnd(
          52,
        )} | preflight: ${report.pairs[0].status.padEnd(7)} (${
          missing.join(', ') || 'nothing missing'
        })`,
      );
      if (outcome === 'InService') {
        problems.push(`${c.name}: the emulator let the deploy through`);
      }
      if (!caught || report.pairs[0].status === 'ok') {
        problems.push(`${c.name}: preflight did not say ${c.kind} is missing`);
      }
    }
    // The control: the intact world deploys, and preflight calls it ok.
    const { report } = await readiness('fraud-detection', 'production', 1);
    const control = await deployDirectly(
      'fraud-detection',
      PRODUCTION,
      'readiness-control',
    );
    rows.push(
      `${'nothing broken (control)'.padEnd(50)} | emulator: ${control.padEnd(
        52,
      )} | preflight: ${report.pairs[0].status}`,
    );
    if (control !== 'InService' || missingKinds(report).length) {
      problems.push(
        `the intact world: emulator ${control}, preflight missing ${missingKinds(
          report,
        )}`,
      );
    }
    process.stdout.write(
      `[measure] readiness cases × outcomes:\n${rows.join('\n')}\n`,
    );
    scoreScenario({
      area: 'Readiness',
      scenario: `${cases.length} missing grants: the emulator refuses each deploy and preflight says missing for each`,
      requests: cases.length * 2 + 2,
      problems,
    });
  });

  it("shows the demo's missing grant with its fix; applying the fix lets the deploy reach InService", async () => {
    const cold = await readiness('demand-forecast', 'production');
    const warmStarted = Date.now();
    const warmRes = await request(server)
      .get(
        '/api/sagemaker/entities/component/default/demand-forecast/readiness',
      )
      .query({ target: 'production' })
      .set(auth);
    const warmMs = Date.now() - warmStarted;
    const warm: ReadinessReport = warmRes.body;
    process.stdout.write(
      `[measure] preflight demand-forecast × production: cold ${
        cold.report.awsCalls.total
      } AWS calls in ${cold.ms} ms ${JSON.stringify(
        cold.report.awsCalls.byAction,
      )}; warm ${warm.awsCalls.total} calls in ${warmMs} ms\n`,
    );
    expect(warm.awsCalls.total).toBe(0);
    const missing = cold.report.pairs[0].checks.filter(
      c => c.status === 'missing',
    );
    expect(missing.map(c => c.kind)).toEqual(['artifacts-key']);
    const fix = missing[0].fix!.policy!;
    expect(fix.document.Statement[0].Principal).toEqual({
      AWS: [EXEC(PRODUCTION)],
    });

    // The deploy is refused before any AWS write, naming the check.
    const deployToProduction = () =>
      request(server)
        .post(
          '/api/sagemaker/entities/component/default/demand-forecast/deployments',
        )
        .set(auth)
        .send({
          version: 1,
          target: 'production',
          endpointName: 'demand-forecast-production',
          instanceType: 'ml.m5.large',
          instanceCount: 1,
        });
    const refused = await deployToProduction();
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(
      'Execution role can decrypt the model data',
    );

    // Apply the generated statement to the key policy, as an admin would.
    const kms = await clientInAccount(KMSClient, emulator.endpoint, REGISTRY);
    const { Policy } = await kms.send(
      new GetKeyPolicyCommand({
        KeyId: missing[0].resource,
        PolicyName: 'default',
      }),
    );
    const merged = JSON.parse(Policy!);
    merged.Statement.push(...fix.document.Statement);
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: missing[0].resource,
        PolicyName: 'default',
        Policy: JSON.stringify(merged),
      }),
    );

    const after = await readiness('demand-forecast', 'production');
    expect(missingKinds(after.report)).toEqual([]);

    const started = await deployToProduction();
    expect(started.status).toBe(202);
    let deployment: Deployment = started.body;
    const deadline = Date.now() + 60_000;
    while (deployment.status === 'in-progress' && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 200));
      deployment = (
        await request(server)
          .get(`/api/sagemaker/deployments/${deployment.id}`)
          .set(auth)
      ).body;
    }
    expect(deployment).toMatchObject({
      status: 'succeeded',
      endpointStatus: 'InService',
    });
  });
});
