import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
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
const auth = { Authorization: mockCredentials.user.header('user:default/ana') };
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function startBackend(
  knex: Knex,
  scheduler: ReturnType<typeof mockServices.scheduler>,
  historyRead:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const { server } = await startTestBackend({
    features: [
      sagemakerPlugin,
      mockServices.rootConfig.factory({
        data: {
          aws: awsConfig([REGISTRY, STAGING]),
          sagemaker: {
            cache: { ttl: { seconds: 0 } },
            deployments: { pollInterval: { milliseconds: 200 } },
            deploymentTargets: [deploymentTarget('staging', STAGING)],
            history: {
              signingKeys: [
                { id: 'test', secret: 'the-test-signing-key-32-chars!!!' },
              ],
            },
          },
        },
      }),
      mockServices.database.factory({ knex }),
      mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              r.permission.name === 'sagemaker.history.read'
                ? historyRead
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
      (scheduler as any).factory({ skipTaskRunOnStartup: true }),
      catalogServiceMock.factory({
        entities: [modelEntity('fraud', GROUP)],
      }),
    ],
  });
  return server;
}

describe('the auditors’ history', () => {
  let emulator: LocalEmulator;
  let knex: Knex;
  let server: any;
  const scheduler = mockServices.scheduler();
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await startLocalEmulator({
      SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS: '0.3',
    });
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    await registerGroup(
      await sageMakerInAccount(emulator.endpoint, REGISTRY),
      'fraud-detection',
      5,
    );
    await grantDeploys(emulator.endpoint, {
      registry: REGISTRY,
      groups: [{ name: 'fraud-detection', versions: 5 }],
      targets: [STAGING, PRODUCTION],
    });
    knex = await databases.init('SQLITE_3');
    server = await startBackend(knex, scheduler);
  });

  afterAll(async () => {
    process.env = saved;
    await emulator?.stop();
  });

  it('records an approval made outside Backstage exactly once, after two sync runs', async () => {
    await scheduler.triggerTask('sagemaker-sync'); // baseline: nothing recorded
    const outside = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    // The session name stands for a person using SageMaker Studio or the CLI.
    await outside.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: fraudVersion(2),
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'approved in Studio',
      }),
    );
    await scheduler.triggerTask('sagemaker-sync');
    await scheduler.triggerTask('sagemaker-sync');

    const res = await request(server)
      .get('/api/sagemaker/history')
      .query({ source: 'sagemaker' })
      .set(auth);
    expect(res.status).toBe(200);
    expect(res.body.events).toHaveLength(1);
    expect(res.body.events[0]).toMatchObject({
      action: 'approve',
      outcome: 'succeeded',
      source: 'sagemaker',
      entityRef: 'component:default/fraud',
      versionArn: fraudVersion(2),
      actor: 'test-seed (TestSeeder)',
    });
    expect(res.body.events[0].comment).toContain('approved in Studio');
  });

  it('does not record an approval made through Backstage as an outside change', async () => {
    const approve = await request(server)
      .post(`${ENTITY}/versions/1/approval`)
      .set(auth)
      .send({ status: 'Approved', comment: 'via portal' });
    expect(approve.status).toBe(200);
    await scheduler.triggerTask('sagemaker-sync');
    const res = await request(server)
      .get('/api/sagemaker/history')
      .query({ source: 'sagemaker' })
      .set(auth);
    expect(res.body.events).toHaveLength(1);
  });

  it('filters, pages newest first, and refuses bad filters with 400', async () => {
    for (const v of [4, 5]) {
      await request(server)
        .post(`${ENTITY}/versions/${v}/approval`)
        .set(auth)
        .send({ status: 'Rejected', comment: `no ${v}` })
        .expect(200);
    }
    const rejects = await request(server)
      .get('/api/sagemaker/history')
      .query({ action: 'reject', outcome: 'succeeded', limit: 1 })
      .set(auth);
    expect(rejects.body.events.map((e: any) => e.version)).toEqual([5]);
    const next = await request(server)
      .get('/api/sagemaker/history')
      .query({
        action: 'reject',
        outcome: 'succeeded',
        limit: 1,
        cursor: rejects.body.nextCursor,
      })
      .set(auth);
    expect(next.body.events.map((e: any) => e.version)).toEqual([4]);
    expect(next.body.nextCursor).toBeUndefined();

    const byActor = await request(server)
      .get('/api/sagemaker/history')
      .query({ actor: 'user:default/ana', entity: 'component:default/fraud' })
      .set(auth);
    expect(
      byActor.body.events.every((e: any) => e.actor === 'user:default/ana'),
    ).toBe(true);
    const future = await request(server)
      .get('/api/sagemaker/history')
      .query({ from: '2999-01-01T00:00:00Z' })
      .set(auth);
    expect(future.body.events).toEqual([]);

    for (const [query, field] of [
      [{ from: '2026-12-01T00:00:00Z', to: '2026-11-01T00:00:00Z' }, 'from'],
      [{ from: 'yesterday' }, 'from'],
      [{ action: 'delete' }, 'action'],
      [{ account: '12' }, 'account'],
      [{ cursor: 'nope' }, 'cursor'],
      [{ colour: 'red' }, 'colour'],
    ] as const) {
      const bad = await request(server)
        .get('/api/sagemaker/history')
        .query(query)
        .set(auth);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain(field);
    }
  });

  it('exports the same query as CSV and JSON, and an empty result as a header or []', async () => {
    const csv = await request(server)
      .get('/api/sagemaker/history/export')
      .query({ action: 'reject', outcome: 'succeeded' })
      .set(auth);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(
      /attachment; filename="sagemaker-history-.*\.csv"/,
    );
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^seq,at,actor,action,outcome/);
    expect(lines.slice(1).map(l => l.split(',')[9])).toEqual(['5', '4']);

    const json = await request(server)
      .get('/api/sagemaker/history/export')
      .query({ format: 'json', action: 'reject', outcome: 'succeeded' })
      .set(auth);
    expect(JSON.parse(json.text).map((e: any) => e.version)).toEqual([5, 4]);

    const emptyCsv = await request(server)
      .get('/api/sagemaker/history/export')
      .query({ from: '2999-01-01T00:00:00Z' })
      .set(auth);
    expect(emptyCsv.status).toBe(200);
    expect(emptyCsv.text.trim().split('\r\n')).toHaveLength(1);
    const emptyJson = await request(server)
      .get('/api/sagemaker/history/export')
      .query({ format: 'json', from: '2999-01-01T00:00:00Z' })
      .set(auth);
    expect(JSON.parse(emptyJson.text)).toEqual([]);
  });

  it('answers what an endpoint served at a time, and who approved it', async () => {
    await request(server)
      .post(`${ENTITY}/versions/3/approval`)
      .set(auth)
      .send({ status: 'Rejected', comment: 'pull it' });
    await request(server)
      .post(`${ENTITY}/versions/3/approval`)
      .set(auth)
      .send({ status: 'Approved', comment: 'ok again' })
      .expect(200);
    const deploy = await request(server)
      .post(`${ENTITY}/deployments`)
      .set(auth)
      .send({
        version: 3,
        target: 'staging',
        endpointName: 'fraud-staging',
        instanceType: 'ml.m5.large',
        instanceCount: 1,
      });
    expect(deploy.status).toBe(202);
    for (let i = 0; i < 100; i++) {
      const d = await request(server)
        .get(`/api/sagemaker/deployments/${deploy.body.id}`)
        .set(auth);
      if (d.body.status !== 'in-progress') break;
      await new Promise(r => setTimeout(r, 100));
    }
    const before = await request(server)
      .get('/api/sagemaker/history/endpoint-at')
      .query({
        account: STAGING,
        region: 'us-east-1',
        endpoint: 'fraud-staging',
        at: '2020-01-01T00:00:00Z',
      })
      .set(auth);
    expect(before.body.deployment).toBeUndefined();
    const now = await request(server)
      .get('/api/sagemaker/history/endpoint-at')
      .query({
        account: STAGING,
        region: 'us-east-1',
        endpoint: 'fraud-staging',
        at: new Date().toISOString(),
      })
      .set(auth);
    expect(now.body.deployment).toMatchObject({
      version: 3,
      outcome: 'succeeded',
      actor: 'user:default/ana',
    });
    expect(now.body.approval).toMatchObject({
      version: 3,
      action: 'approve',
      comment: 'ok again',
    });
  });

  it('verifies the chain, and names the first event someone edited in the database', async () => {
    const intact = await request(server)
      .get('/api/sagemaker/history/verify')
      .set(auth);
    expect(intact.body).toEqual({
      intact: true,
      count: expect.any(Number),
      head: {
        seq: intact.body.count,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      unsignedCount: 0,
      signedFromSeq: 1,
    });
    await knex('sagemaker_history_events')
      .where({ seq: 3 })
      .update({ actor: 'user:default/mallory' });
    const broken = await request(server)
      .get('/api/sagemaker/history/verify')
      .set(auth);
    expect(broken.body).toMatchObject({
      intact: false,
      firstBrokenSeq: 3,
      reason: 'event 3 was changed after it was recorded',
    });
  });
});

describe('a caller without sagemaker.history.read', () => {
  it('gets 403 on the org-wide history, its export and verification', async () => {
    const knex = await databases.init('SQLITE_3');
    const server = await startBackend(
      knex,
      mockServices.scheduler(),
      AuthorizeResult.DENY,
    );
    for (const path of ['/history', '/history/export', '/history/verify']) {
      const res = await request(server).get(`/api/sagemaker${path}`).set(auth);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('sagemaker.history.read');
    }
  });
});
