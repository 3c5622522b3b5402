import {
  AddTagsCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointCommandOutput,
  SageMakerClient,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  Deployment,
  DeploymentPhase,
} from '@internal/backstage-plugin-sagemaker-common';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  createUnitHarness,
  newDeployment,
  stagingTarget,
} from '../__testUtils__/unitHarness';
import { groupArn, versionArn } from '../__testUtils__/fixtures';
import { NewDeployment, SageMakerStore } from '../database/SageMakerStore';
import { DeploymentExecutor } from './DeploymentExecutor';

jest.setTimeout(30_000);

const sagemaker = mockClient(SageMakerClient);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const OURS = newDeployment().endpointConfigName;

function endpoint(
  status: string,
  config = OURS,
  extra: Partial<DescribeEndpointCommandOutput> = {},
) {
  return {
    EndpointName: 'fraud-staging',
    EndpointArn:
      'arn:aws:sagemaker:us-east-1:222222222222:endpoint/fraud-staging',
    EndpointStatus: status as any,
    EndpointConfigName: config,
    ...extra,
  };
}

/** The SDK commands sent, in order, by name. */
function sent(): string[] {
  return sagemaker.calls().map(call => call.args[0].constructor.name);
}

/**
 * A deployment as the actions service leaves it, or, with `phase`, as a
 * worker that died after saving that phase leaves it.
 */
async function setUp(
  options: {
    deployment?: Partial<NewDeployment>;
    phase?: DeploymentPhase;
    targets?: (typeof stagingTarget)[];
    onProgress?: (d: Deployment) => Promise<void>;
  } = {},
) {
  const harness = await createUnitHarness(databases);
  const onEndpointChange = jest.fn(async () => {});
  const executor = new DeploymentExecutor({
    ...harness,
    targets: options.targets ?? [stagingTarget],
    pollIntervalMs: 1,
    leaseMs: 30_000,
    onEndpointChange,
    onProgress: options.onProgress,
  });
  const { deployment } = await harness.store.createDeployment(
    newDeployment(options.deployment),
  );
  if (options.phase) {
    await harness.store.updateDeployment(deployment.id, {
      phase: options.phase,
    });
  }
  return {
    ...harness,
    executor,
    onEndpointChange,
    id: deployment.id,
    deployment: async () => (await harness.store.getDeployment(deployment.id))!,
    outcomes: async () =>
      (
        await harness.store.listEntityEvents(deployment.entityRef, {
          limit: 100,
        })
      ).filter(e => e.deploymentId === deployment.id),
  };
}

describe('DeploymentExecutor', () => {
  beforeEach(() => {
    sagemaker.reset();
    sagemaker.on(CreateModelCommand).resolves({});
    sagemaker.on(CreateEndpointConfigCommand).resolves({});
    sagemaker.on(CreateEndpointCommand).resolves({});
    sagemaker.on(UpdateEndpointCommand).resolves({});
    sagemaker.on(AddTagsCommand).resolves({});
    sagemaker.on(DeleteEndpointCommand).resolves({});
    sagemaker.on(DeleteEndpointConfigCommand).resolves({});
    sagemaker.on(DeleteModelCommand).resolves({});
    sagemaker.on(DescribeEndpointCommand).resolves(endpoint('InService'));
  });

  describe('each phase', () => {
    it('creates the model, the endpoint config and the endpoint, then follows the endpoint to InService', async () => {
      sagemaker
        .on(DescribeEndpointCommand)
        .resolvesOnce(endpoint('Creating'))
        .resolvesOnce(endpoint('Creating'))
        .resolves(endpoint('InService'));
      const t = await setUp();

      await t.executor.run(t.id);

      expect(sent()).toEqual([
        'CreateModelCommand',
        'CreateEndpointConfigCommand',
        'CreateEndpointCommand',
        'DescribeEndpointCommand',
        'DescribeEndpointCommand',
        'DescribeEndpointCommand',
      ]);
      expect(
        sagemaker.commandCalls(CreateModelCommand)[0].args[0].input,
      ).toEqual({
        ModelName: 'fraud-staging-v3-d1',
        ExecutionRoleArn: stagingTarget.executionRoleArn,
        Containers: [{ ModelPackageName: versionArn('fraud', 3) }],
        EnableNetworkIsolation: true,
        VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
        Tags: [
          { Key: 'team', Value: 'ml' },
          { Key: 'backstage:entity-ref', Value: 'component:default/fraud' },
          {
            Key: 'backstage:model-package-arn',
            Value: versionArn('fraud', 3),
          },
          // What the endpoints panel finds the endpoint by.
          {
            Key: 'backstage:model-package-group-arn',
            Value: groupArn('fraud'),
          },
          { Key: 'backstage:deployed-by', Value: 'user:default/ana' },
          { Key: 'backstage:deployment-id', Value: 'd-1' },
        ],
      });
      expect(
        sagemaker.commandCalls(CreateEndpointConfigCommand)[0].args[0].input,
      ).toMatchObject({
        EndpointConfigName: OURS,
        KmsKeyId: 'alias/endpoint-storage',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: 'fraud-staging-v3-d1',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1,
          },
        ],
      });
      expect(
        sagemaker.commandCalls(CreateEndpointCommand)[0].args[0].input,
      ).toMatchObject({
        EndpointName: 'fraud-staging',
        EndpointConfigName: OURS,
      });

      expect(await t.deployment()).toMatchObject({
        status: 'succeeded',
        phase: 'done',
        endpointStatus: 'InService',
        error: undefined,
      });
      const outcomes = await t.outcomes();
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]).toMatchObject({
        action: 'deploy',
        outcome: 'succeeded',
        actor: 'user:default/ana',
        target: 'staging',
        endpointName: 'fraud-staging',
        versionArn: versionArn('fraud', 3),
      });
      // The endpoint list is refreshed when the endpoint starts changing and
      // when it settles.
      expect(t.onEndpointChange).toHaveBeenCalledTimes(2);
      expect(t.onEndpointChange).toHaveBeenCalledWith(stagingTarget);
    });

    it('updates an existing endpoint and waits until it serves the new config', async () => {
      sagemaker
        .on(DescribeEndpointCommand)
        .resolvesOnce(
          endpoint('Updating', 'previous-config', {
            PendingDeploymentSummary: { EndpointConfigName: OURS },
          }),
        )
        .resolves(endpoint('InService'));
      const t = await setUp({ deployment: { mode: 'update' } });

      await t.executor.run(t.id);

      expect(sent()).toEqual([
        'CreateModelCommand',
        'CreateEndpointConfigCommand',
        'UpdateEndpointCommand',
        'AddTagsCommand',
        'DescribeEndpointCommand',
        'DescribeEndpointCommand',
      ]);
      expect(
        sagemaker.commandCalls(UpdateEndpointCommand)[0].args[0].input,
      ).toEqual({ EndpointName: 'fraud-staging', EndpointConfigName: OURS });
      // The endpoint's own tags now name this deployment, not the first one.
      const retag = sagemaker.commandCalls(AddTagsCommand)[0].args[0].input;
      expect(retag.ResourceArn).toMatch(/:endpoint\/fraud-staging$/);
      expect(retag.Tags).toEqual(
        expect.arrayContaining([
          { Key: 'backstage:deployment-id', Value: t.id },
          {
            Key: 'backstage:model-package-arn',
            Value: (await t.deployment()).versionArn,
          },
          {
            Key: 'backstage:model-package-group-arn',
            Value: (await t.deployment()).groupArn,
          },
        ]),
      );
      expect(await t.deployment()).toMatchObject({
        status: 'succeeded',
        endpointStatus: 'InService',
      });
      expect((await t.outcomes()).map(e => e.outcome)).toEqual(['succeeded']);
    });

    it("updates with the target's guardrails as UpdateEndpoint's DeploymentConfig", async () => {
      const guarded = {
        ...stagingTarget,
        deploymentConfig: {
          blueGreen: {
            trafficRouting: 'CANARY' as const,
            canarySize: { type: 'CAPACITY_PERCENT' as const, value: 10 },
            waitIntervalSeconds: 300,
            maximumExecutionTimeoutSeconds: 3600,
          },
          autoRollbackAlarms: ['fraud-5xx'],
        },
      };
      const t = await setUp({
        deployment: { mode: 'update' },
        targets: [guarded],
      });

      await t.executor.run(t.id);

      expect(
        sagemaker.commandCalls(UpdateEndpointCommand)[0].args[0].input
          .DeploymentConfig,
      ).toEqual({
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: 'CANARY',
            WaitIntervalInSeconds: 300,
            CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 },
          },
          MaximumExecutionTimeoutInSeconds: 3600,
        },
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'fraud-5xx' }] },
      });
    });

    it('gives a serverless target a ServerlessConfig and no instances', async () => {
      const serverless = {
        ...stagingTarget,
        instanceTypes: [],
        serverless: { memorySizeInMB: 2048, maxConcurrency: 5 },
      };
      const t = await setUp({ targets: [serverless] });

      await t.executor.run(t.id);

      expect(
        sagemaker.commandCalls(CreateEndpointConfigCommand)[0].args[0].input
          .ProductionVariants,
      ).toEqual([
        {
          VariantName: 'AllTraffic',
          ModelName: (await t.deployment()).modelName,
          ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
        },
      ]);
    });

    it('saves each new endpoint status while it waits', async () => {
      const t = await setUp({ phase: 'waiting' });
      const seen: Array<string | undefined> = [];
      sagemaker.on(DescribeEndpointCommand).callsFake(async () => {
        seen.push((await t.deployment()).endpointStatus);
        return seen.length === 1
          ? endpoint('SystemUpdating')
          : endpoint('InService');
      });

      await t.executor.run(t.id);

      // What the UI's stepper polls: SystemUpdating was saved before the
      // second look.
      expect(seen).toEqual([undefined, 'SystemUpdating']);
      expect((await t.deployment()).endpointStatus).toBe('InService');
    });
  });

  describe('progress reports', () => {
    it('reports each stored change of phase, endpoint status and status, as stored', async () => {
      sagemaker
        .on(DescribeEndpointCommand)
        .resolvesOnce(endpoint('Creating'))
        .resolvesOnce(endpoint('Creating'))
        .resolves(endpoint('InService'));
      const reported: Array<Partial<Deployment>> = [];
      const t = await setUp({
        onProgress: async d => {
          reported.push({
            id: d.id,
            status: d.status,
            phase: d.phase,
            endpointStatus: d.endpointStatus,
          });
        },
      });

      await t.executor.run(t.id);

      expect(reported).toEqual([
        { id: t.id, status: 'in-progress', phase: 'endpoint-config' },
        { id: t.id, status: 'in-progress', phase: 'endpoint' },
        {
          id: t.id,
          status: 'in-progress',
          phase: 'waiting',
          endpointStatus: 'Creating',
        },
        {
          id: t.id,
          status: 'succeeded',
          phase: 'done',
          endpointStatus: 'InService',
        },
      ]);
    });

    it('a failing report is logged and the deployment goes on', async () => {
      const t = await setUp({
        onProgress: async () => {
          throw new Error('signals are down');
        },
      });

      await t.executor.run(t.id);

      expect(await t.deployment()).toMatchObject({ status: 'succeeded' });
      expect(t.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('signals are down'),
      );
    });
  });

  describe('each failure', () => {
    it('records a refused CreateModel with its AWS code, message and request id, and creates nothing else', async () => {
      sagemaker
        .on(CreateModelCommand)
        .rejects(
          awsError(
            'AccessDeniedException',
            'not authorized to perform iam:PassRole',
            400,
            'req-model',
          ),
        );
      const t = await setUp();

      await t.executor.run(t.id);

      expect(sent()).toEqual(['CreateModelCommand']);
      expect(await t.deployment()).toMatchObject({
        status: 'failed',
        phase: 'done',
        error: {
          code: 'AccessDeniedException',
          message: 'not authorized to perform iam:PassRole',
          requestId: 'req-model',
        },
      });
      expect(await t.outcomes()).toEqual([
        expect.objectContaining({
          outcome: 'failed',
          awsErrorCode: 'AccessDeniedException',
          awsErrorMessage: 'not authorized to perform iam:PassRole',
          awsRequestId: 'req-model',
        }),
      ]);
      expect(t.onEndpointChange).toHaveBeenCalledTimes(1);
    });

    it('deletes the model when CreateEndpointConfig fails', async () => {
      sagemaker
        .on(CreateEndpointConfigCommand)
        .rejects(
          awsError(
            'ValidationException',
            'Invalid value for InstanceType',
            400,
          ),
        );
      const t = await setUp();

      await t.executor.run(t.id);

      expect(sent()).toEqual([
        'CreateModelCommand',
        'CreateEndpointConfigCommand',
        'DeleteModelCommand',
      ]);
      expect(
        sagemaker.commandCalls(DeleteModelCommand)[0].args[0].input,
      ).toEqual({ ModelName: 'fraud-staging-v3-d1' });
      expect((await t.deployment()).error?.code).toBe('ValidationException');
    });

    it('deletes the endpoint config and the model, newest first, when CreateEndpoint fails', async () => {
      sagemaker
        .on(CreateEndpointCommand)
        .rejects(
          awsError(
            'ResourceLimitExceeded',
            'The account-level service limit for ml.m5.large is 0',
          ),
        );
      sagemaker
        .on(DescribeEndpointCommand)
        .rejects(
          awsError(
            'ValidationException',
            'Could not find endpoint "fraud-staging".',
          ),
        );
      const t = await setUp();

      await t.executor.run(t.id);

      expect(sent()).toEqual([
        'CreateModelCommand',
        'CreateEndpointConfigCommand',
        'CreateEndpointCommand',
        'DescribeEndpointCommand',
        'DeleteEndpointConfigCommand',
        'DeleteModelCommand',
      ]);
      expect(await t.deployment()).toMatchObject({
        status: 'failed',
        error: { code: 'ResourceLimitExceeded' },
      });
    });

    it('deletes the endpoint it created, its config and its model when the endpoint ends Failed', async () => {
      sagemaker
        .on(DescribeEndpointCommand)
        .resolvesOnce(endpoint('Creating'))
        .resolves(
          endpoint('Failed', OURS, {
            FailureReason:
              'The primary container did not pass the ping health check',
          }),
        );
      const t = await setUp();

      await t.executor.run(t.id);

      expect(sent().slice(-3)).toEqual([
        'DeleteEndpointCommand',
        'DeleteEndpointConfigCommand',
        'DeleteModelCommand',
      ]);
      expect(await t.deployment()).toMatchObject({
        status: 'failed',
        endpointStatus: 'Failed',
        error: {
          code: 'EndpointFailed',
          message: 'The primary container did not pass the ping health check',
        },
      });
      expect((await t.outcomes())[0]).toMatchObject({
        outcome: 'failed',
        awsErrorCode: 'EndpointFailed',
      });
    });

    it('keeps an updated endpoint that rolled back to its previous config, and deletes only what it created', async () => {
      sagemaker
        .on(DescribeEndpointCommand)
        .resolves(endpoint('InService', 'previous-config'));
      const t = await setUp({
        deployment: { mode: 'update' },
        phase: 'waiting',
      });

      await t.executor.run(t.id);

      expect(sent()).toEqual([
        'DescribeEndpointCommand',
        'DeleteEndpointConfigCommand',
        'DeleteModelCommand',
      ]);
      expect(await t.deployment()).toMatchObject({
        status: 'failed',
        endpointStatus: 'InService',
        error: {
          code: 'UpdateRolledBack',
          message:
            'Endpoint fraud-staging is InService on its previous configuration',
        },
      });
    });

    it("records a guarded update's phases, then a rollback by an alarm as rolled-back naming the alarm", async () => {
      const guarded = {
        ...stagingTarget,
        deploymentConfig: {
          blueGreen: {
            trafficRouting: 'CANARY' as const,
            canarySize: { type: 'CAPACITY_PERCENT' as const, value: 10 },
            waitIntervalSeconds: 60,
          },
          autoRollbackAlarms: ['fraud-latency', 'fraud-5xx'],
        },
      };
      const t = await setUp({
        deployment: { mode: 'update' },
        phase: 'waiting',
        targets: [guarded],
      });
      const baking = endpoint('Updating', 'previous-config', {
        PendingDeploymentSummary: {
          EndpointConfigName: OURS,
          ProductionVariants: [
            {
              VariantName: 'AllTraffic',
              VariantStatus: [
                {
                  Status: 'Baking',
                  StatusMessage: '10% of traffic on the new fleet',
                  StartTime: new Date('2026-11-30T12:00:00Z'),
                },
              ],
            },
          ],
        },
      });
      const seen: Array<unknown> = [];
      sagemaker.on(DescribeEndpointCommand).callsFake(async () => {
        seen.push((await t.deployment()).traffic);
        if (seen.length === 1) return baking;
        if (seen.length === 2)
          return endpoint('RollingBack', 'previous-config');
        return endpoint('InService', 'previous-config', {
          FailureReason:
            'Rolled back because CloudWatch alarm(s) [fraud-5xx] went into ALARM state.',
        });
      });

      await t.executor.run(t.id);

      // What the stepper saw while the canary baked: the bake ends 60 s
      // (the target's wait interval) after it started.
      expect(seen[1]).toEqual({
        status: 'Baking',
        message: '10% of traffic on the new fleet',
        startedAt: '2026-11-30T12:00:00.000Z',
        bakeEndsAt: '2026-11-30T12:01:00.000Z',
      });
      const done = await t.deployment();
      expect(done).toMatchObject({
        status: 'failed',
        endpointStatus: 'InService',
        error: {
          code: 'UpdateRolledBack',
          message:
            'Rolled back by CloudWatch alarm fraud-5xx: Rolled back because CloudWatch alarm(s) [fraud-5xx] went into ALARM state.',
        },
      });
      expect(done.traffic).toBeUndefined();
      expect(await t.outcomes()).toEqual([
        expect.objectContaining({
          outcome: 'rolled-back',
          awsErrorCode: 'UpdateRolledBack',
          awsErrorMessage: expect.stringContaining('alarm fraud-5xx'),
        }),
      ]);
      expect(sent()).toContain('DeleteEndpointConfigCommand');
      expect(sent()).not.toContain('DeleteEndpointCommand');
    });

    it('fails a deployment whose endpoint went OutOfService', async () => {
      sagemaker.on(DescribeEndpointCommand).resolves(endpoint('OutOfService'));
      const t = await setUp({ phase: 'waiting' });

      await t.executor.run(t.id);

      expect((await t.deployment()).error).toEqual({
        code: 'EndpointOutOfService',
        message: 'Endpoint fraud-staging is OutOfService',
      });
    });

    it('fails a deployment whose endpoint was deleted while it waited, and deletes what it created', async () => {
      sagemaker
        .on(DescribeEndpointCommand)
        .rejects(
          awsError(
            'ValidationException',
            'Could not find endpoint "fraud-staging".',
          ),
        );
      const t = await setUp({ phase: 'waiting' });

      await t.executor.run(t.id);

      expect(sent()).toEqual([
        'DescribeEndpointCommand',
        'DeleteEndpointConfigCommand',
        'DeleteModelCommand',
      ]);
      expect((await t.deployment()).error?.code).toBe('ValidationException');
    });

    it('does not fail a deployment because SageMaker was throttling while it waited: the next run looks again', async () => {
      sagemaker
        .on(DescribeEndpointCommand)
        .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
        .resolves(endpoint('InService'));
      const t = await setUp({ phase: 'waiting' });

      await t.executor.run(t.id);
      expect(await t.deployment()).toMatchObject({
        status: 'in-progress',
        phase: 'waiting',
      });
      // The lease is let go at once, for the follow-up task's next run.
      expect(await t.store.claimDeployment(t.id, 1, 'test')).toBe(true);
      await t.store.releaseDeployment(t.id, 'test');
      await t.executor.run(t.id);

      expect(sent()).toEqual([
        'DescribeEndpointCommand',
        'DescribeEndpointCommand',
      ]);
      expect((await t.deployment()).status).toBe('succeeded');
    });

    it('records the outcome even when a cleanup call fails, and logs the cleanup failure', async () => {
      sagemaker
        .on(CreateEndpointCommand)
        .rejects(awsError('ResourceLimitExceeded', 'limit'));
      sagemaker
        .on(DescribeEndpointCommand)
        .rejects(awsError('ValidationException', 'Could not find endpoint'));
      sagemaker
        .on(DeleteEndpointConfigCommand)
        .rejects(awsError('ThrottlingException', 'Rate exceeded'));
      const t = await setUp();

      await t.executor.run(t.id);

      expect(sagemaker.commandCalls(DeleteModelCommand)).toHaveLength(1);
      expect((await t.deployment()).status).toBe('failed');
      expect((await t.outcomes()).map(e => e.awsErrorCode)).toEqual([
        'ResourceLimitExceeded',
      ]);
      expect(t.logger.warn).toHaveBeenCalledWith(
        'Deployment d-1: cleanup DeleteEndpointConfig failed with ThrottlingException',
      );
    });

    it('fails a deployment whose target was removed from the config, with no AWS call', async () => {
      const t = await setUp({ targets: [] });

      await t.executor.run(t.id);

      expect(sent()).toEqual([]);
      expect(await t.deployment()).toMatchObject({
        status: 'failed',
        error: {
          code: 'TargetRemoved',
          message: "Deployment target 'staging' is no longer configured",
        },
      });
      expect((await t.outcomes())[0].awsErrorCode).toBe('TargetRemoved');
    });
  });

  describe('replay after a crash', () => {
    it('after CreateModel went through but before the phase was saved: takes "already exists" as done', async () => {
      sagemaker
        .on(CreateModelCommand)
        .rejects(
          awsError(
            'ValidationException',
            'Cannot create already existing model "arn:aws:sagemaker:us-east-1:222222222222:model/fraud-staging-v3-d1".',
          ),
        );
      const t = await setUp();

      await t.executor.run(t.id);

      expect(sent()).toEqual([
        'CreateModelCommand',
        'CreateEndpointConfigCommand',
        'CreateEndpointCommand',
        'DescribeEndpointCommand',
      ]);
      expect((await t.deployment()).status).toBe('succeeded');
    });

    it('after CreateEndpointConfig went through: does not create the model again', async () => {
      sagemaker
        .on(CreateEndpointConfigCommand)
        .rejects(
          awsError(
            'ValidationException',
            'Cannot create already existing endpoint configuration "fraud-staging-v3-d1".',
          ),
        );
      const t = await setUp({ phase: 'endpoint-config' });

      await t.executor.run(t.id);

      expect(sent()).toEqual([
        'CreateEndpointConfigCommand',
        'CreateEndpointCommand',
        'DescribeEndpointCommand',
      ]);
      expect((await t.deployment()).status).toBe('succeeded');
    });

    it('after CreateEndpoint went through: recognises its own endpoint and follows it', async () => {
      sagemaker
        .on(CreateEndpointCommand)
        .rejects(
          awsError(
            'ValidationException',
            'Cannot create already existing endpoint "arn:aws:sagemaker:us-east-1:222222222222:endpoint/fraud-staging".',
          ),
        );
      sagemaker
        .on(DescribeEndpointCommand)
        .resolvesOnce(endpoint('Creating'))
        .resolves(endpoint('InService'));
      const t = await setUp({ phase: 'endpoint' });

      await t.executor.run(t.id);

      expect(sent()).toEqual([
        'CreateEndpointCommand',
        'DescribeEndpointCommand',
        'DescribeEndpointCommand',
      ]);
      expect(await t.deployment()).toMatchObject({
        status: 'succeeded',
        endpointStatus: 'InService',
      });
      expect(sagemaker.commandCalls(DeleteEndpointCommand)).toHaveLength(0);
    });

    it('after UpdateEndpoint went through: recognises its config as the pending one', async () => {
      sagemaker
        .on(UpdateEndpointCommand)
        .rejects(
          awsError('ValidationException', 'Cannot update in-progress endpoint'),
        );
      sagemaker
        .on(DescribeEndpointCommand)
        .resolvesOnce(
          endpoint('Updating', 'previous-config', {
            PendingDeploymentSummary: { EndpointConfigName: OURS },
          }),
        )
        .resolves(endpoint('InService'));
      const t = await setUp({
        deployment: { mode: 'update' },
        phase: 'endpoint',
      });

      await t.executor.run(t.id);

      expect(sent()).toEqual([
        'UpdateEndpointCommand',
        'DescribeEndpointCommand',
        'AddTagsCommand',
        'DescribeEndpointCommand',
      ]);
      expect((await t.deployment()).status).toBe('succeeded');
    });

    it('after an update, a refused AddTags is logged and the deployment still succeeds', async () => {
      sagemaker
        .on(AddTagsCommand)
        .rejects(awsError('AccessDeniedException', 'not authorized'));
      sagemaker.on(DescribeEndpointCommand).resolves(endpoint('InService'));
      const t = await setUp({
        deployment: { mode: 'update' },
        phase: 'endpoint',
      });

      await t.executor.run(t.id);

      expect((await t.deployment()).status).toBe('succeeded');
      expect(sagemaker.commandCalls(DeleteEndpointConfigCommand)).toHaveLength(
        0,
      );
    });

    it('at the endpoint step, fails when the endpoint that exists is not on its config, and leaves that endpoint alone', async () => {
      sagemaker
        .on(CreateEndpointCommand)
        .rejects(
          awsError(
            'ValidationException',
            'Cannot create already existing endpoint "fraud-staging".',
          ),
        );
      sagemaker
        .on(DescribeEndpointCommand)
        .resolves(endpoint('InService', 'someone-elses-config'));
      const t = await setUp({ phase: 'endpoint' });

      await t.executor.run(t.id);

      expect(sent()).toEqual([
        'CreateEndpointCommand',
        'DescribeEndpointCommand',
        'DeleteEndpointConfigCommand',
        'DeleteModelCommand',
      ]);
      expect((await t.deployment()).error?.message).toBe(
        'Cannot create already existing endpoint "fraud-staging".',
      );
    });

    it('while waiting: only looks at the endpoint again', async () => {
      const t = await setUp({ phase: 'waiting' });

      await t.executor.run(t.id);

      expect(sent()).toEqual(['DescribeEndpointCommand']);
      expect((await t.deployment()).status).toBe('succeeded');
      expect(await t.outcomes()).toHaveLength(1);
    });

    it('after the end: makes no call and records nothing more', async () => {
      const t = await setUp();
      await t.executor.run(t.id);
      sagemaker.resetHistory();

      await t.executor.run(t.id);

      expect(sent()).toEqual([]);
      expect(await t.outcomes()).toHaveLength(1);
    });
  });

  describe('a failure of the database or the cache', () => {
    /** The store, but the first write that ends a deployment fails. */
    function losingTheEnd(store: SageMakerStore): SageMakerStore {
      const flaky = Object.create(store) as SageMakerStore;
      let failed = false;
      flaky.updateDeployment = async (id, patch) => {
        if (patch.status && !failed) {
          failed = true;
          throw new Error('Connection terminated unexpectedly');
        }
        return store.updateDeployment(id, patch);
      };
      return flaky;
    }

    it('as a successful deployment ends: deletes nothing, and the replay closes it as succeeded, once', async () => {
      const t = await setUp({ phase: 'waiting' });
      const dying = new DeploymentExecutor({
        ...t,
        store: losingTheEnd(t.store),
        targets: [stagingTarget],
        pollIntervalMs: 1,
        leaseMs: 30_000,
        onEndpointChange: async () => {},
      });

      await dying.run(t.id);
      expect((await t.deployment()).status).toBe('in-progress');
      expect(t.logger.error).toHaveBeenCalledWith(
        expect.stringContaining('Connection terminated unexpectedly'),
      );
      sagemaker.resetHistory();
      await t.executor.run(t.id);

      expect(sent()).toEqual([]);
      expect(await t.deployment()).toMatchObject({
        status: 'succeeded',
        endpointStatus: 'InService',
      });
      expect((await t.outcomes()).map(e => e.outcome)).toEqual(['succeeded']);
      expect(t.onEndpointChange).toHaveBeenCalledWith(stagingTarget);
    });

    it('as a failed deployment ends: the replay closes it with the recorded error, with no AWS call', async () => {
      sagemaker
        .on(CreateModelCommand)
        .rejectsOnce(
          awsError('AccessDeniedException', 'not authorized', 400, 'req-9'),
        );
      const t = await setUp();
      const dying = new DeploymentExecutor({
        ...t,
        store: losingTheEnd(t.store),
        targets: [stagingTarget],
        pollIntervalMs: 1,
        leaseMs: 30_000,
        onEndpointChange: async () => {},
      });

      await dying.run(t.id);
      sagemaker.resetHistory();
      await t.executor.run(t.id);

      expect(sent()).toEqual([]);
      expect(await t.deployment()).toMatchObject({
        status: 'failed',
        phase: 'done',
        error: {
          code: 'AccessDeniedException',
          message: 'not authorized',
          requestId: 'req-9',
        },
      });
      expect((await t.outcomes()).map(e => e.outcome)).toEqual(['failed']);
    });

    it('when the endpoint list cannot be refreshed after the endpoint started: the replay follows the endpoint on', async () => {
      const t = await setUp({ phase: 'endpoint' });
      t.onEndpointChange.mockRejectedValueOnce(new Error('cache unavailable'));

      await t.executor.run(t.id);
      expect(await t.deployment()).toMatchObject({
        status: 'in-progress',
        phase: 'waiting',
      });
      await t.executor.run(t.id);

      expect(sent()).toEqual([
        'CreateEndpointCommand',
        'DescribeEndpointCommand',
      ]);
      expect((await t.deployment()).status).toBe('succeeded');
    });
  });

  describe('leases', () => {
    it('leaves alone a deployment another worker holds', async () => {
      const t = await setUp();
      expect(await t.store.claimDeployment(t.id, 30_000, 'other')).toBe(true);

      await t.executor.run(t.id);

      expect(sent()).toEqual([]);
      expect(await t.deployment()).toMatchObject({
        status: 'in-progress',
        phase: 'model',
      });
    });

    it('stops at the next step once another worker has taken its lease over', async () => {
      const t = await setUp();
      // The lease ran out (the database was out of reach) and another
      // replica claimed the deployment: this worker's renewal finds out.
      const takenOver = new DeploymentExecutor({
        ...t,
        store: Object.assign(Object.create(t.store), {
          extendLease: async () => false,
        }),
        targets: [stagingTarget],
        pollIntervalMs: 1,
        leaseMs: 30_000,
        onEndpointChange: async () => {},
      });

      await takenOver.run(t.id);

      expect(sent()).toEqual(['CreateModelCommand']);
      expect(await t.deployment()).toMatchObject({
        status: 'in-progress',
        phase: 'endpoint-config',
      });
      expect(await t.outcomes()).toEqual([]);
    });

    it('renews its lease while a step takes longer than the lease', async () => {
      sagemaker
        .on(CreateModelCommand)
        .callsFake(() => new Promise(r => setTimeout(() => r({}), 300)));
      const t = await setUp();
      const shortLease = new DeploymentExecutor({
        ...t,
        targets: [stagingTarget],
        pollIntervalMs: 1,
        leaseMs: 90,
        onEndpointChange: async () => {},
      });
      const running = shortLease.run(t.id);
      await new Promise(r => setTimeout(r, 200));

      expect(await t.store.listClaimableDeployments()).toEqual([]);
      await running;
      expect((await t.deployment()).status).toBe('succeeded');
    });

    it('runs a deployment once when two workers start it at the same time', async () => {
      const t = await setUp();
      const other = new DeploymentExecutor({
        ...t,
        targets: [stagingTarget],
        pollIntervalMs: 1,
        leaseMs: 30_000,
        onEndpointChange: async () => {},
      });

      await Promise.all([t.executor.run(t.id), other.run(t.id)]);

      expect(sagemaker.commandCalls(CreateModelCommand)).toHaveLength(1);
      expect(sagemaker.commandCalls(CreateEndpointCommand)).toHaveLength(1);
      expect(await t.outcomes()).toHaveLength(1);
    });
  });

  describe('following an endpoint now (a SageMaker event about it)', () => {
    const ENDPOINT = {
      accountId: '222222222222',
      region: 'us-east-1',
      endpointName: 'fraud-staging',
    };

    it('wakes a deployment waiting between two polls, which reads the endpoint at once', async () => {
      const harness = await createUnitHarness(databases);
      const executor = new DeploymentExecutor({
        ...harness,
        targets: [stagingTarget],
        pollIntervalMs: 60_000,
        leaseMs: 30_000,
        onEndpointChange: async () => {},
      });
      const { deployment } = await harness.store.createDeployment(
        newDeployment(),
      );
      sagemaker
        .on(DescribeEndpointCommand)
        .resolvesOnce(endpoint('Creating'))
        .resolves(endpoint('InService'));
      const running = executor.run(deployment.id);
      while (sagemaker.commandCalls(DescribeEndpointCommand).length === 0) {
        await new Promise(r => setTimeout(r, 5));
      }
      await new Promise(r => setTimeout(r, 50));

      await expect(
        executor.followEndpoint({ ...ENDPOINT, endpointName: 'other' }),
      ).resolves.toBe(0);
      await expect(executor.followEndpoint(ENDPOINT)).resolves.toBe(1);
      await running; // well before the 60 s poll

      expect((await harness.store.getDeployment(deployment.id))!.status).toBe(
        'succeeded',
      );
    });

    it('runs a deployment no worker holds, and leaves one another worker holds', async () => {
      const t = await setUp({ phase: 'waiting' });
      await expect(t.executor.followEndpoint(ENDPOINT)).resolves.toBe(1);
      for (let i = 0; i < 100; i++) {
        if ((await t.deployment()).status !== 'in-progress') break;
        await new Promise(r => setTimeout(r, 10));
      }
      expect((await t.deployment()).status).toBe('succeeded');

      const held = await setUp({ phase: 'waiting' });
      await held.store.claimDeployment(held.id, 30_000, 'another-replica');
      sagemaker.resetHistory();
      await expect(held.executor.followEndpoint(ENDPOINT)).resolves.toBe(0);
      expect(sagemaker.commandCalls(DescribeEndpointCommand)).toHaveLength(0);
    });
  });
});
