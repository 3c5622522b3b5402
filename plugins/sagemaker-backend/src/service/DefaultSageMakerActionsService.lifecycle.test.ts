import {
  CreateModelCommand,
  DescribeModelPackageCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createUnitHarness,
  stagingTarget,
  unitRegistry,
} from '../__testUtils__/unitHarness';
import {
  REGISTRY,
  STAGING,
  groupArn,
  modelEntity,
  versionArn,
} from '../__testUtils__/fixtures';
import { readLifecycleConfig } from '../config/readGovernanceConfig';
import { DeploymentTarget } from '../config/SageMakerConfig';
import { EvidenceGateChecker } from '../gates/EvidenceGateChecker';
import { DefaultSageMakerActionsService } from './DefaultSageMakerActionsService';
import { DeploymentExecutor } from './DeploymentExecutor';
import { EntityGroupResolver } from './EntityGroupResolver';
import { FollowUpTask } from './FollowUpTask';

jest.setTimeout(30_000);

const sagemaker = mockClient(SageMakerClient);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const ENTITY = { kind: 'component', namespace: 'default', name: 'fraud' };
const ANA = { credentials: mockCredentials.user('user:default/ana') };
const TO_QA = { version: 3, stage: 'QA', stageStatus: 'InProgress' };

const gated: DeploymentTarget = {
  ...stagingTarget,
  gates: {
    metrics: [{ metric: 'auc', min: 0.9 }],
    lifecycleStage: 'PreProduction',
    approverNotRegistrant: false,
    deployerNotApprover: true,
  },
};

/** Version 3 of `fraud` as SageMaker holds it; UpdateModelPackage changes it. */
let lifecycle: { Stage: string; StageStatus: string } | undefined;
let modifiedAt: Date;

async function setUp() {
  const harness = await createUnitHarness(databases);
  const executor = new DeploymentExecutor({
    ...harness,
    leaseMs: 30_000,
    targets: [gated],
    pollIntervalMs: 1,
    onEndpointChange: async () => {},
  });
  const resolver = new EntityGroupResolver(
    catalogServiceMock({
      entities: [modelEntity('fraud', groupArn('fraud'))],
    }),
    new Set([REGISTRY, STAGING]),
  );
  const gates = new EvidenceGateChecker({
    ...harness,
    resolver,
    targets: [gated],
  });
  const actions = new DefaultSageMakerActionsService({
    ...harness,
    resolver,
    registry: unitRegistry(),
    endpoints: {
      endpointsServing: async () => ({
        endpoints: [],
        discoveryTruncated: false,
      }),
      describeEndpointInTarget: async () => undefined,
      invalidateTarget: async () => {},
    },
    executor,
    targets: [gated],
    lifecycle: readLifecycleConfig(undefined),
    gates,
  });
  const followUp = new FollowUpTask({ ...harness, executor });
  const events = async () =>
    (
      await harness.store.listEntityEvents('component:default/fraud', {
        limit: 100,
      })
    )
      .reverse()
      .map(e => `${e.actor} ${e.action} ${e.outcome}: ${e.comment}`);
  return { ...harness, actions, gates, followUp, events };
}

beforeEach(() => {
  sagemaker.reset();
  lifecycle = undefined;
  modifiedAt = new Date('2026-11-01T08:00:00Z');
  sagemaker.on(DescribeModelPackageCommand).callsFake(async () => ({
    ModelPackageArn: versionArn('fraud', 3),
    ModelPackageGroupName: 'fraud',
    ModelPackageVersion: 3,
    ModelApprovalStatus: 'Approved',
    ApprovalDescription: 'ok (approved by user:default/ana via Backstage)',
    CustomerMetadataProperties: { auc: '0.87' },
    ModelLifeCycle: lifecycle,
    CreationTime: new Date('2026-10-01T08:00:00Z'),
    LastModifiedTime: modifiedAt,
  }));
  sagemaker.on(UpdateModelPackageCommand).callsFake(async input => {
    lifecycle = input.ModelLifeCycle;
    modifiedAt = new Date(modifiedAt.getTime() + 60_000);
    return { $metadata: { requestId: 'req-stage' } };
  });
});

describe('DefaultSageMakerActionsService lifecycle stages', () => {
  it('records the intent, sets the stage as the user with attribution, and records the outcome', async () => {
    const t = await setUp();

    const response = await t.actions.setLifecycle(
      ENTITY,
      { ...TO_QA, stageDescription: 'ready for QA' },
      ANA,
    );

    expect(response.version.modelLifeCycle).toMatchObject({
      stage: 'QA',
      stageStatus: 'InProgress',
    });
    expect(
      sagemaker.commandCalls(UpdateModelPackageCommand)[0].args[0].input,
    ).toEqual({
      ModelPackageArn: versionArn('fraud', 3),
      ModelLifeCycle: {
        Stage: 'QA',
        StageStatus: 'InProgress',
        StageDescription:
          'ready for QA (stage set by user:default/ana via Backstage)',
      },
    });
    expect(await t.events()).toEqual([
      'user:default/ana lifecycle requested: Stage QA, status InProgress: ready for QA',
      'user:default/ana lifecycle succeeded: Stage QA, status InProgress: ready for QA',
    ]);
    expect(response.event).toMatchObject({ awsRequestId: 'req-stage' });
  });

  it('refuses a stage or status the config does not list, and the stage it already has, with no write', async () => {
    const t = await setUp();
    await expect(
      t.actions.setLifecycle(ENTITY, { ...TO_QA, stage: 'Staging' }, ANA),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        "stage: 'Staging' is not a configured lifecycle stage (Proposal, Development",
      ),
    });
    await expect(
      t.actions.setLifecycle(ENTITY, { ...TO_QA, stageStatus: 'Done' }, ANA),
    ).rejects.toMatchObject({ name: 'InputError' });
    lifecycle = { Stage: 'QA', StageStatus: 'InProgress' };
    await expect(t.actions.setLifecycle(ENTITY, TO_QA, ANA)).rejects.toThrow(
      'Version 3 of fraud is already in stage QA (InProgress)',
    );
    expect(sagemaker.commandCalls(UpdateModelPackageCommand)).toHaveLength(0);
    expect(await t.events()).toEqual([]);
  });

  it('makes one change for concurrent identical requests', async () => {
    const t = await setUp();
    const results = await Promise.allSettled([
      t.actions.setLifecycle(ENTITY, TO_QA, ANA),
      t.actions.setLifecycle(ENTITY, TO_QA, ANA),
    ]);
    expect(sagemaker.commandCalls(UpdateModelPackageCommand)).toHaveLength(1);
    expect(results.map(r => r.status).sort()).toEqual([
      'fulfilled',
      'rejected',
    ]);
  });

  it('completes an interrupted change from what SageMaker shows', async () => {
    const t = await setUp();
    lifecycle = { Stage: 'QA', StageStatus: 'InProgress' };
    await t.history.record({
      actor: 'user:default/ana',
      action: 'lifecycle',
      outcome: 'requested',
      source: 'backstage',
      at: new Date(Date.now() - 3_600_000).toISOString(),
      entityRef: 'component:default/fraud',
      groupArn: groupArn('fraud'),
      versionArn: versionArn('fraud', 3),
      version: 3,
      comment: 'Stage QA, status InProgress',
      dedupeKey: 'lifecycle:interrupted',
    });

    await t.followUp.run();

    expect((await t.events())[1]).toBe(
      'user:default/ana lifecycle succeeded: Stage QA, status InProgress. Outcome recorded by the follow-up task: SageMaker shows the change',
    );
  });
});

describe('evidence gates on deploy', () => {
  const DEPLOY = {
    version: 3,
    target: 'staging',
    endpointName: 'fraud-gated',
    instanceType: 'ml.m5.large',
    instanceCount: 1,
  };

  it('refuses a version that fails a gate with a 409 naming each rule and value, writing nothing', async () => {
    const t = await setUp();

    await expect(t.actions.deploy(ENTITY, DEPLOY, ANA)).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Version 3 of fraud cannot be deployed: staging requires auc >= 0.9 (auc is 0.87); lifecycle stage PreProduction (the version has no lifecycle stage); the deployer is not who approved the version (approved by user:default/ana, deployed by user:default/ana)',
    });
    expect(sagemaker.commandCalls(CreateModelCommand)).toHaveLength(0);
    expect(
      await t.store.listEntityDeployments('component:default/fraud', 10),
    ).toEqual([]);
  });

  it('previews the same results for the deploy dialog', async () => {
    const t = await setUp();
    lifecycle = { Stage: 'PreProduction', StageStatus: 'Approved' };

    const preview = await t.gates.preview(
      ENTITY,
      { target: 'staging', version: 3 },
      mockCredentials.user('user:default/ben'),
    );

    expect(preview).toMatchObject({ target: 'staging', passed: false });
    expect(preview.gates.map(g => [g.rule, g.passed])).toEqual([
      ['auc >= 0.9', false],
      ['lifecycle stage PreProduction', true],
      ['the deployer is not who approved the version', true],
    ]);
  });
});
