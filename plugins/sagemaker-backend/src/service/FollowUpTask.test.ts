import {
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeModelPackageCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { TestDatabases } from '@backstage/backend-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  createUnitHarness,
  eventually,
  newDeployment,
  stagingTarget,
} from '../__testUtils__/unitHarness';
import { REGISTRY, groupArn, versionArn } from '../__testUtils__/fixtures';
import { DeploymentExecutor } from './DeploymentExecutor';
import { FollowUpTask } from './FollowUpTask';

jest.setTimeout(30_000);

const sagemaker = mockClient(SageMakerClient);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const ENTITY = 'component:default/fraud';
const minutesAgo = (n: number) =>
  new Date(Date.now() - n * 60_000).toISOString();

async function setUp() {
  const harness = await createUnitHarness(databases);
  const executor = new DeploymentExecutor({
    ...harness,
    targets: [stagingTarget],
    pollIntervalMs: 1,
    leaseMs: 30_000,
    onEndpointChange: async () => {},
  });
  const task = new FollowUpTask({ ...harness, executor });
  /** An approval intent, as the actions service records it before its write. */
  const intent = (
    at: string,
    action: 'approve' | 'reject' = 'approve',
    source: 'backstage' | 'agent' = 'backstage',
  ) =>
    harness.history.record({
      actor: 'user:default/ana',
      action,
      outcome: 'requested',
      source,
      at,
      entityRef: ENTITY,
      groupArn: groupArn('fraud'),
      versionArn: versionArn('fraud', 3),
      version: 3,
      accountId: REGISTRY,
      region: 'us-east-1',
      comment: 'looks good',
      dedupeKey: `approval:${versionArn('fraud', 3)}:${at}`,
    });
  const events = async () =>
    (await harness.store.listEntityEvents(ENTITY, { limit: 100 })).reverse();
  return { ...harness, task, intent, events };
}

describe('FollowUpTask', () => {
  beforeEach(() => {
    sagemaker.reset();
  });

  describe('deployments', () => {
    it('resumes a deployment no worker holds, from the phase it reached', async () => {
      sagemaker.on(DescribeEndpointCommand).resolves({
        EndpointName: 'fraud-staging',
        EndpointStatus: 'InService',
        EndpointConfigName: newDeployment().endpointConfigName,
      });
      const t = await setUp();
      await t.store.createDeployment(newDeployment());
      await t.store.updateDeployment('d-1', { phase: 'waiting' });

      await t.task.run();

      await eventually(
        async () =>
          (await t.store.getDeployment('d-1'))?.status !== 'in-progress',
      );
      expect(await t.store.getDeployment('d-1')).toMatchObject({
        status: 'succeeded',
        endpointStatus: 'InService',
      });
      expect(sagemaker.commandCalls(CreateModelCommand)).toHaveLength(0);
      expect((await t.events()).map(e => [e.action, e.outcome])).toEqual([
        ['deploy', 'succeeded'],
      ]);
    });

    it('leaves alone a deployment whose worker still holds the lease', async () => {
      const t = await setUp();
      await t.store.createDeployment(newDeployment());
      await t.store.claimDeployment('d-1', 30_000, 'other');

      await t.task.run();

      expect(sagemaker.calls()).toHaveLength(0);
      expect((await t.store.getDeployment('d-1'))?.phase).toBe('model');
    });
  });

  describe('interrupted approvals', () => {
    it('records the outcome SageMaker shows for an intent older than a minute, once', async () => {
      sagemaker
        .on(DescribeModelPackageCommand)
        .resolves({ ModelApprovalStatus: 'Approved' });
      const t = await setUp();
      const requested = await t.intent(minutesAgo(2));

      await t.task.run();
      await t.task.run();

      expect(
        sagemaker.commandCalls(DescribeModelPackageCommand)[0].args[0].input,
      ).toEqual({ ModelPackageName: versionArn('fraud', 3) });
      const events = await t.events();
      expect(events.map(e => e.outcome)).toEqual(['requested', 'succeeded']);
      expect(events[1]).toMatchObject({
        actor: 'user:default/ana',
        action: 'approve',
        source: 'backstage',
        versionArn: versionArn('fraud', 3),
        comment:
          'Outcome recorded by the follow-up task: SageMaker shows the change',
      });
      expect(
        await t.store.findEventByDedupeKey(`outcome:${requested!.seq}`),
      ).toMatchObject({ seq: events[1].seq });
      // The second run found nothing left to complete.
      expect(sagemaker.commandCalls(DescribeModelPackageCommand)).toHaveLength(
        1,
      );
    });

    it("completes an agent's interrupted approval with the agent's source", async () => {
      sagemaker
        .on(DescribeModelPackageCommand)
        .resolves({ ModelApprovalStatus: 'Approved' });
      const t = await setUp();
      await t.intent(minutesAgo(2), 'approve', 'agent');

      await t.task.run();

      expect(
        (await t.events()).map(e => [e.outcome, e.source, e.actor]),
      ).toEqual([
        ['requested', 'agent', 'user:default/ana'],
        ['succeeded', 'agent', 'user:default/ana'],
      ]);
    });

    it('records a failure when SageMaker shows that the change was not applied', async () => {
      sagemaker
        .on(DescribeModelPackageCommand)
        .resolves({ ModelApprovalStatus: 'PendingManualApproval' });
      const t = await setUp();
      await t.intent(minutesAgo(2), 'reject');

      await t.task.run();

      expect((await t.events())[1]).toMatchObject({
        action: 'reject',
        outcome: 'failed',
        comment:
          'Outcome recorded by the follow-up task: SageMaker shows PendingManualApproval, the change was not applied',
      });
    });

    it('leaves a recent intent to the request that is still making it', async () => {
      const t = await setUp();
      await t.intent(new Date().toISOString());

      await t.task.run();

      expect(sagemaker.calls()).toHaveLength(0);
      expect((await t.events()).map(e => e.outcome)).toEqual(['requested']);
    });

    it('tries again on the next run when SageMaker cannot be read', async () => {
      sagemaker
        .on(DescribeModelPackageCommand)
        .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
        .resolves({ ModelApprovalStatus: 'Approved' });
      const t = await setUp();
      await t.intent(minutesAgo(2));

      await t.task.run();
      expect((await t.events()).map(e => e.outcome)).toEqual(['requested']);
      expect(t.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('Could not complete interrupted approve #1'),
      );

      await t.task.run();
      expect((await t.events()).map(e => e.outcome)).toEqual([
        'requested',
        'succeeded',
      ]);
    });
  });
});
