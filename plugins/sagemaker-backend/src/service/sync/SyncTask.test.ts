import {
  DescribeEndpointCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  ListModelPackagesCommandInput,
  SearchCommand,
  SearchCommandInput,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  createUnitHarness,
  newDeployment,
} from '../../__testUtils__/unitHarness';
import {
  REGISTRY,
  STAGING,
  UNCONFIGURED,
  groupArn,
  modelEntity,
  versionArn,
} from '../../__testUtils__/fixtures';
import { EndpointChangeRecorder } from './EndpointChangeRecorder';
import { SyncTask } from './SyncTask';
import { VersionChangeRecorder } from './VersionChangeRecorder';

jest.setTimeout(30_000);

const sagemaker = mockClient(SageMakerClient);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const FRAUD = 'component:default/fraud';
const CHANGED_AT = new Date('2026-11-02T09:30:00Z');

/**
 * The approval status of each version of each group, as SageMaker would
 * list them, two versions a page.
 */
const registry = new Map<string, Map<number, string>>();

function listVersions(input: ListModelPackagesCommandInput) {
  const versions = [
    ...(registry.get(input.ModelPackageGroupName!) ?? new Map()),
  ];
  const offset = Number(input.NextToken ?? 0);
  const page = versions.slice(offset, offset + 2);
  return {
    ModelPackageSummaryList: page.map(([version, status]) => ({
      ModelPackageArn: versionArn(input.ModelPackageGroupName!, version),
      ModelPackageGroupName: input.ModelPackageGroupName,
      ModelPackageVersion: version,
      ModelApprovalStatus: status as any,
      CreationTime: new Date('2026-10-01T00:00:00Z'),
      ModelPackageStatus: 'Completed' as const,
    })),
    NextToken: offset + 2 < versions.length ? String(offset + 2) : undefined,
  };
}

/**
 * Search as the incremental sync asks it (group names `In`, modified
 * since): here every version of the named groups, as though all had
 * changed, with who changed them, as DescribeModelPackage tells it.
 */
function searchVersions(input: SearchCommandInput) {
  const names = String(
    input.SearchExpression?.Filters?.find(
      f => f.Name === 'ModelPackageGroupName',
    )?.Value,
  ).split(',');
  return {
    Results: names.flatMap(name =>
      [...(registry.get(name) ?? new Map())].map(([version, status]) => ({
        ModelPackage: {
          ModelPackageArn: versionArn(name, version),
          ModelPackageGroupName: name,
          ModelPackageVersion: version,
          ModelApprovalStatus: status as any,
          CreationTime: new Date('2026-10-01T00:00:00Z'),
          ApprovalDescription: 'approved in Studio',
          LastModifiedTime: CHANGED_AT,
          LastModifiedBy: {
            IamIdentity: {
              Arn: `arn:aws:sts::${REGISTRY}:assumed-role/DataScientist/bob`,
            },
          },
        },
      })),
    ),
  };
}

async function setUp() {
  const harness = await createUnitHarness(databases);
  const catalog = catalogServiceMock({
    entities: [
      modelEntity('fraud', groupArn('fraud')),
      modelEntity('churn', groupArn('churn')),
      modelEntity('elsewhere', groupArn('x', UNCONFIGURED)),
      modelEntity('plain'),
    ],
  });
  const newTask = () =>
    new SyncTask({
      ...harness,
      versions: new VersionChangeRecorder(harness),
      endpoints: new EndpointChangeRecorder(harness),
      catalog,
      auth: mockServices.auth(),
      accountIds: new Set([REGISTRY, STAGING]),
    });
  const events = async (entityRef = FRAUD) =>
    (await harness.store.listEntityEvents(entityRef, { limit: 100 })).reverse();
  return { ...harness, task: newTask(), newTask, events };
}

describe('SyncTask', () => {
  beforeEach(() => {
    sagemaker.reset();
    registry.clear();
    registry.set(
      'fraud',
      new Map([
        [1, 'Rejected'],
        [2, 'Approved'],
        [3, 'PendingManualApproval'],
      ]),
    );
    registry.set('churn', new Map([[1, 'Approved']]));
    sagemaker.on(ListModelPackagesCommand).callsFake(listVersions);
    sagemaker.on(SearchCommand).callsFake(searchVersions);
    sagemaker.on(DescribeModelPackageCommand).resolves({
      ApprovalDescription: 'approved in Studio',
      LastModifiedTime: CHANGED_AT,
      LastModifiedBy: {
        IamIdentity: {
          Arn: `arn:aws:sts::${REGISTRY}:assumed-role/DataScientist/bob`,
        },
      },
    });
  });

  describe('approvals', () => {
    it('takes the first sight of every version as a baseline, then records a change made outside Backstage, once', async () => {
      const t = await setUp();
      await expect(t.task.run()).resolves.toEqual({
        versions: 0,
        endpoints: 0,
        fullGroups: 2,
        changedVersions: 0,
      });
      expect(await t.events()).toEqual([]);

      // After the baseline, one Search per account and region; none lists.
      registry.get('fraud')!.set(3, 'Approved');
      sagemaker.resetHistory();
      await expect(t.task.run()).resolves.toEqual({
        versions: 1,
        endpoints: 0,
        fullGroups: 0,
        changedVersions: 4,
      });
      await expect(t.task.run()).resolves.toMatchObject({
        versions: 0,
        endpoints: 0,
      });
      expect(sagemaker.commandCalls(ListModelPackagesCommand)).toHaveLength(0);
      expect(sagemaker.commandCalls(SearchCommand)).toHaveLength(2);

      const events = await t.events();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actor: 'bob (DataScientist)',
        action: 'approve',
        outcome: 'succeeded',
        source: 'sagemaker',
        at: CHANGED_AT.toISOString(),
        entityRef: FRAUD,
        groupArn: groupArn('fraud'),
        versionArn: versionArn('fraud', 3),
        version: 3,
        accountId: REGISTRY,
        comment:
          'PendingManualApproval → Approved outside Backstage: approved in Studio',
      });
      // Search's records say who changed the version: no describe.
      expect(sagemaker.commandCalls(DescribeModelPackageCommand)).toHaveLength(
        0,
      );
    });

    it('names a reset to PendingManualApproval as such', async () => {
      const t = await setUp();
      await t.task.run();
      registry.get('fraud')!.set(2, 'PendingManualApproval');

      await t.task.run();

      expect((await t.events())[0]).toMatchObject({
        action: 'reset-approval',
        comment:
          'Approved → PendingManualApproval outside Backstage: approved in Studio',
      });
    });

    it.each(['backstage', 'agent'] as const)(
      'records nothing for a change this plugin made and recorded (source %s)',
      async source => {
        const t = await setUp();
        await t.task.run();
        await t.history.record({
          actor: 'user:default/ana',
          action: 'approve',
          outcome: 'succeeded',
          source,
          entityRef: FRAUD,
          versionArn: versionArn('fraud', 3),
          version: 3,
        });
        registry.get('fraud')!.set(3, 'Approved');

        await expect(t.task.run()).resolves.toMatchObject({ versions: 0 });
        await t.task.run();

        expect((await t.events()).map(e => e.source)).toEqual([source]);
        expect(
          sagemaker.commandCalls(DescribeModelPackageCommand),
        ).toHaveLength(0);
      },
    );

    it('records nothing for a change this plugin has written but not yet recorded (its event came first)', async () => {
      const t = await setUp();
      await t.task.run();
      // The request's intent is in the history; SageMaker has the change
      // and sent its event; the outcome record is still to come.
      await t.history.record({
        actor: 'user:default/ana',
        action: 'approve',
        outcome: 'requested',
        source: 'backstage',
        entityRef: FRAUD,
        versionArn: versionArn('fraud', 3),
        version: 3,
      });
      registry.get('fraud')!.set(3, 'Approved');

      await expect(t.task.run()).resolves.toMatchObject({ versions: 0 });
      expect((await t.events()).map(e => e.outcome)).toEqual(['requested']);
    });

    it("records a change outside when this plugin's own latest write of it failed", async () => {
      const t = await setUp();
      await t.task.run();
      for (const outcome of ['requested', 'failed'] as const) {
        await t.history.record({
          actor: 'user:default/ana',
          action: 'approve',
          outcome,
          source: 'backstage',
          entityRef: FRAUD,
          versionArn: versionArn('fraud', 3),
          version: 3,
        });
      }
      registry.get('fraud')!.set(3, 'Approved');

      await expect(t.task.run()).resolves.toMatchObject({ versions: 1 });
      expect((await t.events()).map(e => e.source)).toEqual([
        'backstage',
        'backstage',
        'sagemaker',
      ]);
    });

    it('records a change once when two replicas sync at the same time', async () => {
      const t = await setUp();
      await t.task.run();
      registry.get('fraud')!.set(1, 'Approved');

      const [a, b] = await Promise.all([t.task.run(), t.newTask().run()]);

      expect(a.versions + b.versions).toBe(1);
      expect(await t.events()).toHaveLength(1);
    });

    it('reads only the groups of configured accounts, and goes on past a group that fails', async () => {
      const t = await setUp();
      sagemaker
        .on(ListModelPackagesCommand, { ModelPackageGroupName: 'fraud' })
        .rejects(awsError('AccessDeniedException', 'not authorized'));
      await t.task.run();
      registry.get('churn')!.set(1, 'Rejected');
      sagemaker.resetHistory();

      // A failed run leaves no cursor: the next one reads every group again.
      await expect(t.task.run()).resolves.toMatchObject({ versions: 1 });

      expect(
        sagemaker
          .commandCalls(ListModelPackagesCommand)
          .map(call => call.args[0].input.ModelPackageGroupName)
          .sort(),
      ).toEqual(['churn', 'fraud']);
      expect(t.logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Sync of arn:aws:sagemaker:us-east-1:111111111111:model-package-group\/fraud for component:default\/fraud failed: not authorized/,
        ),
      );
      expect((await t.events('component:default/churn'))[0]).toMatchObject({
        action: 'reject',
        source: 'sagemaker',
      });
    });

    it('records a version registered outside in a baselined group, once, and baselines a group first seen', async () => {
      const t = await setUp();
      await t.task.run();
      registry.get('fraud')!.set(4, 'PendingManualApproval');

      await expect(t.task.run()).resolves.toMatchObject({ versions: 1 });
      await expect(t.task.run()).resolves.toMatchObject({ versions: 0 });

      expect(await t.events()).toEqual([
        expect.objectContaining({
          action: 'register',
          outcome: 'succeeded',
          source: 'sagemaker',
          version: 4,
          comment:
            'Registered outside Backstage with status PendingManualApproval',
        }),
      ]);
      expect(await t.events('component:default/churn')).toEqual([]);
    });
  });

  describe('endpoints', () => {
    async function deployed(t: Awaited<ReturnType<typeof setUp>>) {
      await t.store.createDeployment(newDeployment());
      await t.store.updateDeployment('d-1', {
        status: 'succeeded',
        phase: 'done',
      });
    }

    const endpoint = (status: string, FailureReason?: string) => ({
      EndpointName: 'fraud-staging',
      EndpointStatus: status as any,
      FailureReason,
      LastModifiedTime: CHANGED_AT,
    });

    it('records the status changes of an endpoint this plugin deployed, and its deletion', async () => {
      const t = await setUp();
      await deployed(t);
      sagemaker
        .on(DescribeEndpointCommand)
        .resolvesOnce(endpoint('InService'))
        .resolvesOnce(endpoint('Failed', 'Instance health check failed'))
        .resolvesOnce(endpoint('Failed', 'Instance health check failed'))
        .rejects(
          awsError('ValidationException', 'Could not find endpoint "x".'),
        );

      const counts = [];
      for (let run = 0; run < 4; run++) {
        counts.push((await t.task.run()).endpoints);
      }

      expect(counts).toEqual([0, 1, 0, 1]);
      const events = await t.events();
      expect(events.map(e => [e.outcome, e.comment])).toEqual([
        ['failed', 'InService → Failed: Instance health check failed'],
        ['succeeded', 'Failed → Deleted'],
      ]);
      expect(events[0]).toMatchObject({
        actor: 'SageMaker',
        action: 'endpoint-status',
        source: 'sagemaker',
        at: CHANGED_AT.toISOString(),
        target: 'staging',
        accountId: STAGING,
        endpointName: 'fraud-staging',
      });
      expect(
        sagemaker.commandCalls(DescribeEndpointCommand)[0].args[0].input,
      ).toEqual({ EndpointName: 'fraud-staging' });
    });

    it('does not look at an endpoint while this plugin is deploying to it', async () => {
      const t = await setUp();
      await t.store.createDeployment(newDeployment());

      await t.task.run();

      expect(sagemaker.commandCalls(DescribeEndpointCommand)).toHaveLength(0);
    });

    it('skips an endpoint it cannot read, and records nothing for it', async () => {
      const t = await setUp();
      await deployed(t);
      sagemaker
        .on(DescribeEndpointCommand)
        .resolvesOnce(endpoint('InService'))
        .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
        .resolves(endpoint('InService'));

      for (let run = 0; run < 3; run++) {
        await t.task.run();
      }

      expect(await t.events()).toEqual([]);
      expect(t.logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Sync of endpoint fraud-staging in 222222222222 failed/,
        ),
      );
    });
  });
});
