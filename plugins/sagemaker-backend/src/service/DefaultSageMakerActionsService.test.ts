import {
  DescribeModelPackageCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
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
import { DefaultSageMakerActionsService } from './DefaultSageMakerActionsService';
import { DeploymentExecutor } from './DeploymentExecutor';
import { EntityGroupResolver } from './EntityGroupResolver';
import { FollowUpTask } from './FollowUpTask';
import { readLifecycleConfig } from '../config/readGovernanceConfig';

jest.setTimeout(30_000);

const sagemaker = mockClient(SageMakerClient);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const ENTITY = { kind: 'component', namespace: 'default', name: 'fraud' };
const ANA = { credentials: mockCredentials.user('user:default/ana') };
const BEN = { credentials: mockCredentials.user('user:default/ben') };
const APPROVE = { version: 3, status: 'Approved' as const, comment: 'ok' };

/** Version 3 of `fraud` as SageMaker holds it; UpdateModelPackage changes it. */
let version: { status: string; modifiedAt: Date };
/** Errors the next UpdateModelPackage calls fail with, one each. */
let failures: Error[];

async function setUp() {
  const harness = await createUnitHarness(databases);
  const executor = new DeploymentExecutor({
    ...harness,
    targets: [stagingTarget],
    pollIntervalMs: 1,
    leaseMs: 30_000,
    onEndpointChange: async () => {},
  });
  const registry = unitRegistry();
  const actions = new DefaultSageMakerActionsService({
    ...harness,
    resolver: new EntityGroupResolver(
      catalogServiceMock({
        entities: [modelEntity('fraud', groupArn('fraud'))],
      }),
      new Set([REGISTRY, STAGING]),
    ),
    registry,
    endpoints: {
      endpointsServing: async () => ({
        endpoints: [],
        discoveryTruncated: false,
      }),
      describeEndpointInTarget: async () => undefined,
      invalidateTarget: async () => {},
    },
    executor,
    targets: [stagingTarget],
    lifecycle: readLifecycleConfig(undefined),
  });
  const followUp = new FollowUpTask({ ...harness, executor });
  const events = async () =>
    (
      await harness.store.listEntityEvents('component:default/fraud', {
        limit: 100,
      })
    )
      .reverse()
      .map(e => `${e.actor} ${e.action} ${e.outcome}`);
  return { ...harness, actions, registry, followUp, events };
}

describe('DefaultSageMakerActionsService approvals', () => {
  beforeEach(() => {
    sagemaker.reset();
    version = {
      status: 'PendingManualApproval',
      modifiedAt: new Date('2026-11-01T08:00:00Z'),
    };
    sagemaker.on(DescribeModelPackageCommand).callsFake(async () => ({
      ModelPackageArn: versionArn('fraud', 3),
      ModelPackageGroupName: 'fraud',
      ModelPackageVersion: 3,
      ModelPackageStatus: 'Completed',
      ModelApprovalStatus: version.status,
      CreationTime: new Date('2026-10-01T08:00:00Z'),
      LastModifiedTime: version.modifiedAt,
    }));
    failures = [];
    sagemaker.on(UpdateModelPackageCommand).callsFake(async input => {
      // SageMaker answers after a moment, as it does: long enough for
      // concurrent requests to meet.
      await new Promise(r => setTimeout(r, 50));
      const failure = failures.shift();
      if (failure) {
        throw failure;
      }
      version = {
        status: input.ModelApprovalStatus,
        modifiedAt: new Date(version.modifiedAt.getTime() + 60_000),
      };
      return {
        ModelPackageArn: versionArn('fraud', 3),
        $metadata: { requestId: 'req-update' },
      };
    });
  });

  it('records the intent, makes the change as the user, records the outcome and invalidates the group', async () => {
    const t = await setUp();

    const response = await t.actions.setApproval(ENTITY, APPROVE, ANA);

    expect(response.version.approvalStatus).toBe('Approved');
    expect(response.event).toMatchObject({
      outcome: 'succeeded',
      awsRequestId: 'req-update',
    });
    expect(
      sagemaker.commandCalls(UpdateModelPackageCommand)[0].args[0].input,
    ).toEqual({
      ModelPackageArn: versionArn('fraud', 3),
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: 'ok (approved by user:default/ana via Backstage)',
    });
    expect(await t.events()).toEqual([
      'user:default/ana approve requested',
      'user:default/ana approve succeeded',
    ]);
    expect(t.registry.invalidateGroup).toHaveBeenCalledWith(groupArn('fraud'));
  });

  it('makes one change for concurrent identical requests, and answers the others as arriving after it', async () => {
    const t = await setUp();

    const results = await Promise.allSettled([
      t.actions.setApproval(ENTITY, APPROVE, ANA),
      t.actions.setApproval(ENTITY, APPROVE, BEN),
      t.actions.setApproval(ENTITY, APPROVE, ANA),
    ]);

    expect(sagemaker.commandCalls(UpdateModelPackageCommand)).toHaveLength(1);
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      results.flatMap(r => (r.status === 'rejected' ? [r.reason] : [])),
    ).toEqual([
      expect.objectContaining({
        name: 'ConflictError',
        message: 'Version 3 of fraud is already Approved',
      }),
      expect.objectContaining({
        name: 'ConflictError',
        message: 'Version 3 of fraud is already Approved',
      }),
    ]);
    expect(
      (await t.events()).filter(e => e.endsWith('succeeded')),
    ).toHaveLength(1);
  });

  it('makes the change when the user tries again after a failed write', async () => {
    failures.push(awsError('ThrottlingException', 'Rate exceeded'));
    const t = await setUp();

    await expect(
      t.actions.setApproval(ENTITY, APPROVE, ANA),
    ).rejects.toMatchObject({ name: 'ServiceUnavailableError' });
    const retried = await t.actions.setApproval(ENTITY, APPROVE, ANA);

    expect(retried.version.approvalStatus).toBe('Approved');
    expect(await t.events()).toEqual([
      'user:default/ana approve requested',
      'user:default/ana approve failed',
      'user:default/ana approve requested',
      'user:default/ana approve succeeded',
    ]);
  });

  it('makes one change when two requests try again after the same failure', async () => {
    failures.push(awsError('ThrottlingException', 'Rate exceeded'));
    const t = await setUp();
    await expect(t.actions.setApproval(ENTITY, APPROVE, ANA)).rejects.toThrow();
    sagemaker.resetHistory();

    const results = await Promise.allSettled([
      t.actions.setApproval(ENTITY, APPROVE, ANA),
      t.actions.setApproval(ENTITY, APPROVE, BEN),
    ]);

    expect(sagemaker.commandCalls(UpdateModelPackageCommand)).toHaveLength(1);
    expect(results.map(r => r.status).sort()).toEqual([
      'fulfilled',
      'rejected',
    ]);
  });

  it('makes the change when the user tries again after a request that stopped before its write', async () => {
    const t = await setUp();
    // What a request that died after its intent leaves, an hour ago.
    await t.history.record({
      actor: 'user:default/ana',
      action: 'approve',
      outcome: 'requested',
      source: 'backstage',
      at: new Date(Date.now() - 3_600_000).toISOString(),
      entityRef: 'component:default/fraud',
      groupArn: groupArn('fraud'),
      versionArn: versionArn('fraud', 3),
      version: 3,
      accountId: REGISTRY,
      region: 'us-east-1',
      dedupeKey: `approval:${versionArn(
        'fraud',
        3,
      )}:PendingManualApproval->Approved:${version.modifiedAt.toISOString()}`,
    });
    await t.followUp.run();

    const retried = await t.actions.setApproval(ENTITY, APPROVE, ANA);

    expect(retried.version.approvalStatus).toBe('Approved');
    expect((await t.events()).slice(1)).toEqual([
      'user:default/ana approve failed',
      'user:default/ana approve requested',
      'user:default/ana approve succeeded',
    ]);
  });
});
