import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import {
  FakeSageMakerBackend,
  BASE_URL,
} from '../__testUtils__/FakeSageMakerBackend';
import {
  groupArn,
  makeEndpoint,
  makeVersions,
  stagingTarget,
  summaryOf,
} from '../__testUtils__/fixtures';
import { fakeBackendClient } from '../__testUtils__/renderWithBackend';
import { attachmentFilename } from './SageMakerClient';

const server = setupServer();
registerMswTestHooks(server);

const entity = { kind: 'Component', namespace: 'default', name: 'a b' };
const GROUP = groupArn('fraud-detection');

describe('SageMakerClient', () => {
  let backend: FakeSageMakerBackend;
  const client = fakeBackendClient();

  beforeEach(() => {
    backend = new FakeSageMakerBackend({
      'fraud-detection': makeVersions('fraud-detection', 12),
    });
    server.use(...backend.handlers());
  });

  it('asks for versions with the given query and an encoded entity path', async () => {
    const result = await client.listVersions(entity, {
      group: GROUP,
      limit: 5,
      status: 'Approved',
      sort: 'name',
      order: 'asc',
      cursor: undefined,
    });
    expect(result.groups[0].versions.map(v => v.version)).toEqual([
      1, 4, 5, 8, 9,
    ]);
    const [request] = backend.requests;
    expect(request.path).toBe('/entities/Component/default/a%20b/versions');
    expect(request.query).toEqual({
      group: GROUP,
      limit: '5',
      status: 'Approved',
      sort: 'name',
      order: 'asc',
    });
  });

  it('reads targets, groups, one version, endpoints, deployments and history', async () => {
    backend.endpoints = [
      makeEndpoint(
        stagingTarget,
        'fraud-detection-staging',
        summaryOf(backend.version('fraud-detection', 1)),
      ),
    ];
    await expect(client.listTargets()).resolves.toEqual({
      targets: backend.targets,
    });
    const groups = await client.listGroups(entity);
    expect(groups.groups[0]).toMatchObject({ groupArn: GROUP, total: 12 });
    const details = await client.getVersion(entity, 3, { group: GROUP });
    expect(details.containers[0].modelDataUrl).toContain('/3/model.tar.gz');
    const endpoints = await client.listEndpoints(entity);
    expect(endpoints.endpoints[0].endpointName).toBe('fraud-detection-staging');
    await expect(client.listDeployments(entity)).resolves.toEqual({
      deployments: [],
      rollbacks: [],
    });
    await expect(
      client.listHistory(entity, { limit: 10, cursor: 'abc' }),
    ).resolves.toEqual({ events: [] });

    expect(backend.requests.map(r => r.path)).toEqual([
      '/targets',
      '/entities/Component/default/a%20b/groups',
      '/entities/Component/default/a%20b/versions/3',
      '/entities/Component/default/a%20b/endpoints',
      '/entities/Component/default/a%20b/deployments',
      '/entities/Component/default/a%20b/history',
    ]);
    expect(backend.requests[2].query).toEqual({ group: GROUP });
    expect(backend.requests[5].query).toEqual({ limit: '10', cursor: 'abc' });
  });

  it('posts an approval as JSON', async () => {
    const response = await client.setApproval(entity, 2, {
      group: GROUP,
      status: 'Approved',
      comment: 'Better recall',
    });
    expect(response.version.approvalStatus).toBe('Approved');
    expect(response.event.action).toBe('approve');
    const [request] = backend.requestsTo('POST', /approval$/);
    expect(request.path).toBe(
      '/entities/Component/default/a%20b/versions/2/approval',
    );
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toEqual({
      group: GROUP,
      status: 'Approved',
      comment: 'Better recall',
    });
  });

  it('sends a new Idempotency-Key with each deploy unless given one', async () => {
    const body = {
      group: GROUP,
      version: 1,
      target: 'staging',
      endpointName: 'fraud-detection-staging',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    };
    const first = await client.deploy(entity, body);
    await client.deploy(entity, body);
    await client.deploy(entity, body, { idempotencyKey: 'retry-key-1234' });
    expect(first).toMatchObject({ status: 'in-progress', phase: 'model' });

    const keys = backend
      .requestsTo('POST', /deployments$/)
      .map(r => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(keys[1]).not.toBe(keys[0]);
    expect(keys[2]).toBe('retry-key-1234');
    expect(backend.requestsTo('POST', /deployments$/)[0].body).toEqual(body);

    const polled = await client.getDeployment(first.id);
    expect(polled).toMatchObject({ id: first.id, phase: 'endpoint-config' });
    expect(backend.requests[backend.requests.length - 1].path).toBe(
      `/deployments/${first.id}`,
    );
  });

  it('turns an error response into a ResponseError with the backend message', async () => {
    server.use(
      http.post(`${BASE_URL}/entities/:kind/:namespace/:name/deployments`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message:
                'Endpoint fraud-detection-staging in staging is still Updating',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await client
      .deploy(entity, {
        version: 1,
        target: 'staging',
        endpointName: 'fraud-detection-staging',
        instanceType: 'ml.m5.large',
        instanceCount: 1,
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toBe(
      'Endpoint fraud-detection-staging in staging is still Updating',
    );
  });

  describe('the organisation-wide history', () => {
    const staging = '222222222222';

    beforeEach(() => {
      backend.record({ actor: 'user:default/ana', version: 1 });
      backend.record({
        actor: 'user:default/ana',
        action: 'deploy',
        outcome: 'succeeded',
        version: 1,
        versionArn:
          'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/1',
        target: 'staging',
        accountId: staging,
        region: 'us-east-1',
        endpointName: 'fraud-detection-staging',
        comment: 'Rolled out, "carefully"',
      });
      backend.record({ actor: 'user:default/bob', action: 'reject' });
    });

    it('queries with the filters, leaving out empty ones', async () => {
      const page = await client.queryHistory({
        actor: 'user:default/ana',
        action: 'deploy',
        entity: '',
        from: '2026-06-01T12:00:00.000Z',
        limit: 10,
        cursor: undefined,
      });
      expect(page.events.map(e => e.seq)).toEqual([2]);
      const [request] = backend.requests;
      expect(request.path).toBe('/history');
      expect(request.query).toEqual({
        actor: 'user:default/ana',
        action: 'deploy',
        from: '2026-06-01T12:00:00.000Z',
        limit: '10',
      });
    });

    it('pages with the cursor of the previous page', async () => {
      const first = await client.queryHistory({ limit: 2 });
      expect(first.events.map(e => e.seq)).toEqual([3, 2]);
      const second = await client.queryHistory({
        limit: 2,
        cursor: first.nextCursor,
      });
      expect(second.events.map(e => e.seq)).toEqual([1]);
      expect(second.nextCursor).toBeUndefined();
      expect(backend.requests[1].query).toEqual({
        limit: '2',
        cursor: first.nextCursor,
      });
    });

    it('downloads an export with the filters and names it from Content-Disposition', async () => {
      const csv = await client.exportHistory(
        { account: staging, actor: '' },
        'csv',
      );
      expect(csv.filename).toBe(
        'sagemaker-history-2026-06-02T08-30-00-000Z.csv',
      );
      const [header, row, end] = (await csv.blob.text()).split('\r\n');
      expect(header).toMatch(/^seq,at,actor,action,outcome,/);
      expect(row).toMatch(
        /^2,2026-06-01T12:02:00.000Z,user:default\/ana,deploy,succeeded,/,
      );
      expect(row).toContain('"Rolled out, ""carefully"""');
      expect(end).toBe('');

      const json = await client.exportHistory(
        { actor: 'user:default/bob' },
        'json',
      );
      expect(json.filename).toBe(
        'sagemaker-history-2026-06-02T08-30-00-000Z.json',
      );
      expect(JSON.parse(await json.blob.text())).toMatchObject([
        { seq: 3, action: 'reject' },
      ]);

      expect(backend.requests.map(r => [r.path, r.query])).toEqual([
        ['/history/export', { format: 'csv', account: staging }],
        ['/history/export', { format: 'json', actor: 'user:default/bob' }],
      ]);
    });

    it('throws the backend message when an export is refused', async () => {
      backend.fail({
        path: /\/history\/export$/,
        status: 403,
        name: 'NotAllowedError',
        message:
          'Reading the organisation-wide history needs the sagemaker.history.read permission',
      });
      const error = await client.exportHistory({}, 'csv').catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(403);
      expect(error.body.error.message).toMatch(/sagemaker\.history\.read/);
    });

    it('verifies the chain and asks what an endpoint served', async () => {
      await expect(client.verifyHistory()).resolves.toEqual({
        intact: true,
        count: 3,
      });
      backend.verification = {
        intact: false,
        count: 1,
        firstBrokenSeq: 2,
        reason: 'event 2 was changed after it was recorded',
      };
      await expect(client.verifyHistory()).resolves.toEqual(
        backend.verification,
      );

      const answer = await client.getEndpointAt({
        account: staging,
        region: 'us-east-1',
        endpoint: 'fraud-detection-staging',
        at: '2026-06-01T12:05:00.000Z',
      });
      expect(answer.deployment).toMatchObject({ seq: 2, version: 1 });
      expect(backend.requests.map(r => r.path)).toEqual([
        '/history/verify',
        '/history/verify',
        '/history/endpoint-at',
      ]);
      expect(backend.requests[2].query).toEqual({
        account: staging,
        region: 'us-east-1',
        endpoint: 'fraud-detection-staging',
        at: '2026-06-01T12:05:00.000Z',
      });
    });
  });
});

describe('attachmentFilename', () => {
  it.each([
    ['attachment; filename="history.csv"', 'history.csv'],
    ['attachment; filename=history.json', 'history.json'],
    [
      `attachment; filename="a.csv"; filename*=UTF-8''r%C3%A9sum%C3%A9.csv`,
      'résumé.csv',
    ],
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    ['attachment; filename="say \\"hi\\".csv"', 'say "hi".csv'],
    ['attachment', undefined],
    [null, undefined],
  ])('reads %p as %p', (header, name) => {
    expect(attachmentFilename(header)).toBe(name);
  });
});
