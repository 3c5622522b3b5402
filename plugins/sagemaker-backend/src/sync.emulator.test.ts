import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import request from 'supertest';
import { sagemakerPlugin } from './plugin';
import {
  awsConfig,
  groupArn,
  modelEntity,
  REGISTRY,
  versionArn,
} from './__testUtils__/fixtures';
import {
  LocalEmulator,
  startLocalEmulator,
} from './__testUtils__/localEmulator';
import { FaultProxy, startFaultProxy } from './__testUtils__/faultProxy';
import { sageMakerInAccount } from './__testUtils__/registrySeed';

jest.setTimeout(600_000);

/**
 * Versions in the registry, over groups named by one entity;
 * SAGEMAKER_SYNC_VERSIONS and SAGEMAKER_SYNC_GROUPS measure other shapes.
 */
const VERSIONS = Number(process.env.SAGEMAKER_SYNC_VERSIONS ?? 200);
const GROUPS = Array.from(
  { length: Math.max(3, Number(process.env.SAGEMAKER_SYNC_GROUPS ?? 4)) },
  (_, i) =>
    `fraud-${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26) || ''}`,
);
const PER_GROUP = Math.ceil(VERSIONS / GROUPS.length);
/** The version changed outside. */
const CHANGED = Math.min(7, PER_GROUP);
const ENTITY = '/api/sagemaker/entities/component/default/fraud';
const auth = { Authorization: mockCredentials.user.header('user:default/ana') };
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * The scheduled sync's SageMaker calls per run, counted on the wire: the
 * first run reads every version (what every run cost before it became
 * incremental); later runs cost one Search per account and region plus
 * one page per 100 changed versions, whatever the size of the registry.
 */
describe(`the incremental sync against the emulator (${VERSIONS} versions)`, () => {
  let emulator: LocalEmulator;
  let proxy: FaultProxy;
  let server: any;
  const scheduler = mockServices.scheduler();
  const saved = { ...process.env };

  /** One run of the sync: the SageMaker operations it called. */
  async function syncRun(): Promise<Record<string, number>> {
    const since = proxy.stats.operations.length;
    await scheduler.triggerTask('sagemaker-sync');
    const counts: Record<string, number> = {};
    for (const op of proxy.stats.operations.slice(since)) {
      counts[op] = (counts[op] ?? 0) + 1;
    }
    return counts;
  }

  const total = (counts: Record<string, number>) =>
    Object.values(counts).reduce((a, b) => a + b, 0);

  beforeAll(async () => {
    emulator = await startLocalEmulator();
    proxy = await startFaultProxy(emulator.endpoint);
    const seeding = Date.now();
    const registry = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    for (const group of GROUPS) {
      await registry.send(
        new CreateModelPackageGroupCommand({ ModelPackageGroupName: group }),
      );
      for (let i = 1; i <= PER_GROUP; i++) {
        await registry.send(
          new CreateModelPackageCommand({
            ModelPackageGroupName: group,
            ModelApprovalStatus: 'PendingManualApproval',
            InferenceSpecification: {
              Containers: [
                {
                  Image: `763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost-inference:1.7-${i}`,
                },
              ],
              SupportedContentTypes: ['text/csv'],
              SupportedResponseMIMETypes: ['text/csv'],
            },
          }),
        );
      }
    }
    // eslint-disable-next-line no-console
    console.log(
      `seeded ${GROUPS.length * PER_GROUP} versions in ${
        Date.now() - seeding
      } ms`,
    );
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    const knex = await databases.init('SQLITE_3');
    ({ server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        mockServices.rootConfig.factory({
          data: {
            aws: awsConfig([REGISTRY]),
            sagemaker: {
              cache: { ttl: { seconds: 0 } },
              // Everything here was just created: without an overlap, a
              // quiet run shows what a quiet run costs in a registry that
              // has been there for a while.
              sync: { searchOverlap: { seconds: 0 } },
            },
          },
        }),
        mockServices.database.factory({ knex }),
        (scheduler as any).factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({
          entities: [
            modelEntity('fraud', GROUPS.map(g => groupArn(g)).join(',')),
          ],
        }),
      ],
    }));
  });

  afterAll(async () => {
    process.env = saved;
    await proxy?.stop();
    await emulator?.stop();
  });

  it('reads everything once, then only what changed', async () => {
    const pages = GROUPS.length * Math.ceil(PER_GROUP / 100);
    const full = await syncRun();
    expect(full).toEqual({ ListModelPackages: pages });

    // One Search per 1024 characters of group names.
    const searches = Math.ceil(GROUPS.join(',').length / 1000);
    const quiet = await syncRun();
    expect(quiet).toEqual({ Search: searches });

    const registry = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    await registry.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: versionArn('fraud-b', CHANGED),
        ModelApprovalStatus: 'Approved',
      }),
    );
    const oneChange = await syncRun();
    expect(oneChange).toEqual({ Search: searches });

    await registry.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: 'fraud-c',
        ModelApprovalStatus: 'PendingManualApproval',
        InferenceSpecification: {
          Containers: [
            {
              Image:
                '763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost-inference:1.7-new',
            },
          ],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        },
      }),
    );
    const registered = await syncRun();
    expect(registered).toEqual({ Search: searches });

    const res = await request(server).get(`${ENTITY}/history`).set(auth);
    expect(
      res.body.events.map(
        (e: any) => `${e.action} ${e.version} ${e.source}: ${e.comment}`,
      ),
    ).toEqual([
      `register ${
        PER_GROUP + 1
      } sagemaker: Registered outside Backstage with status PendingManualApproval`,
      `approve ${CHANGED} sagemaker: PendingManualApproval → Approved outside Backstage`,
    ]);
    // eslint-disable-next-line no-console
    console.log(
      `SageMaker calls per sync run with ${
        GROUPS.length * PER_GROUP
      } versions in ${GROUPS.length} groups: ` +
        `full ${total(full)}, incremental with 0 changes ${total(
          quiet,
        )}, with 1 change ${total(oneChange)}, with 1 new version ${total(
          registered,
        )}`,
    );
  });
});
