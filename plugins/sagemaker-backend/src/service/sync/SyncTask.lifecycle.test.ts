import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SearchCommand,
  ModelLifeCycle,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockClient } from 'aws-sdk-client-mock';
import { createUnitHarness } from '../../__testUtils__/unitHarness';
import {
  REGISTRY,
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

/** Version 1 of `fraud`'s lifecycle, as SageMaker lists it. */
let lifecycle: ModelLifeCycle | undefined;
/** Its approval status, as SageMaker lists it. */
let approval: 'Approved' | 'Rejected';

async function setUp() {
  const harness = await createUnitHarness(databases);
  const task = new SyncTask({
    ...harness,
    versions: new VersionChangeRecorder(harness),
    endpoints: new EndpointChangeRecorder(harness),
    catalog: catalogServiceMock({
      entities: [modelEntity('fraud', groupArn('fraud'))],
    }),
    auth: mockServices.auth(),
    accountIds: new Set([REGISTRY]),
  });
  const events = async () =>
    (await harness.store.listEntityEvents(FRAUD, { limit: 100 }))
      .reverse()
      .map(e => `${e.source} ${e.actor} ${e.action}: ${e.comment}`);
  return { ...harness, task, events };
}

describe('SyncTask lifecycle stages', () => {
  beforeEach(() => {
    sagemaker.reset();
    lifecycle = undefined;
    approval = 'Approved';
    const summary = () => ({
      ModelPackageArn: versionArn('fraud', 1),
      ModelPackageGroupName: 'fraud',
      ModelPackageVersion: 1,
      ModelApprovalStatus: approval,
      ModelLifeCycle: lifecycle,
      CreationTime: new Date('2026-10-01T00:00:00Z'),
      ModelPackageStatus: 'Completed' as const,
    });
    sagemaker.on(ListModelPackagesCommand).callsFake(async () => ({
      ModelPackageSummaryList: [summary()],
    }));
    // After the baseline, the sync searches for changed versions: whole
    // records, with who changed them.
    sagemaker.on(SearchCommand).callsFake(async () => ({
      Results: [
        {
          ModelPackage: {
            ...summary(),
            LastModifiedTime: CHANGED_AT,
            LastModifiedBy: {
              IamIdentity: {
                Arn: `arn:aws:sts::${REGISTRY}:assumed-role/DataScientist/bob`,
              },
            },
          },
        },
      ],
    }));
    sagemaker.on(DescribeModelPackageCommand).callsFake(async () => ({
      ModelLifeCycle: lifecycle,
      LastModifiedTime: CHANGED_AT,
      LastModifiedBy: {
        IamIdentity: {
          Arn: `arn:aws:sts::${REGISTRY}:assumed-role/DataScientist/bob`,
        },
      },
    }));
  });

  it('records a stage set outside Backstage once, after a baseline', async () => {
    const t = await setUp();
    await t.task.run();
    expect(await t.events()).toEqual([]);

    lifecycle = {
      Stage: 'QA',
      StageStatus: 'OnHold',
      StageDescription: 'bias',
    };
    await expect(t.task.run()).resolves.toMatchObject({ versions: 1 });
    await expect(t.task.run()).resolves.toMatchObject({ versions: 0 });

    expect(await t.events()).toEqual([
      'sagemaker bob (DataScientist) lifecycle: Stage QA, status OnHold: bias (outside Backstage; was none)',
    ]);
  });

  it('records an approval and a stage changed outside together, from one Search and no describe', async () => {
    const t = await setUp();
    await t.task.run();
    approval = 'Rejected';
    lifecycle = { Stage: 'Archived', StageStatus: 'Retired' };
    sagemaker.resetHistory();
    await t.task.run();

    expect(await t.events()).toEqual([
      'sagemaker bob (DataScientist) reject: Approved → Rejected outside Backstage',
      'sagemaker bob (DataScientist) lifecycle: Stage Archived, status Retired (outside Backstage; was none)',
    ]);
    expect(sagemaker.commandCalls(SearchCommand)).toHaveLength(1);
    expect(sagemaker.commandCalls(DescribeModelPackageCommand)).toHaveLength(0);
  });

  it('does not record a stage that our own lifecycle event set, nor mistake it for an approval', async () => {
    const t = await setUp();
    await t.task.run();
    lifecycle = { Stage: 'Production', StageStatus: 'Approved' };
    await t.history.record({
      actor: 'user:default/ana',
      action: 'lifecycle',
      outcome: 'succeeded',
      source: 'backstage',
      entityRef: FRAUD,
      groupArn: groupArn('fraud'),
      versionArn: versionArn('fraud', 1),
      version: 1,
      comment: 'Stage Production, status Approved',
    });

    await expect(t.task.run()).resolves.toMatchObject({ versions: 0 });
    expect(await t.events()).toEqual([
      'backstage user:default/ana lifecycle: Stage Production, status Approved',
    ]);
  });
});
