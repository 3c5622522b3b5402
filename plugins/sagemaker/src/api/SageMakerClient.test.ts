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
});
