import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { ResponseError } from '@backstage/errors';
import { SageMakerClient } from './SageMakerClient';

const server = setupServer();
const baseUrl = 'http://backend.test/api/sagemaker';

describe('SageMakerClient', () => {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const client = new SageMakerClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });

  it('asks for an entity’s versions with the given query', async () => {
    let seen: URL | undefined;
    server.use(
      http.get(
        `${baseUrl}/entities/:kind/:namespace/:name/versions`,
        ({ request }) => {
          seen = new URL(request.url);
          return HttpResponse.json({
            entityRef: 'component:default/a b',
            groups: [],
          });
        },
      ),
    );
    const result = await client.listVersions(
      { kind: 'Component', namespace: 'default', name: 'a b' },
      { limit: 10, status: 'Approved', cursor: undefined },
    );
    expect(result.entityRef).toBe('component:default/a b');
    expect(seen?.pathname).toBe(
      '/api/sagemaker/entities/Component/default/a%20b/versions',
    );
    expect(Object.fromEntries(seen!.searchParams)).toEqual({
      limit: '10',
      status: 'Approved',
    });
  });

  it('turns an error response into a ResponseError with the backend message', async () => {
    server.use(
      http.get(`${baseUrl}/entities/:kind/:namespace/:name/versions`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message:
                'Entity component:default/x was not found in the catalog',
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    const error = await client
      .listVersions({ kind: 'component', namespace: 'default', name: 'x' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.body.error.message).toContain(
      'component:default/x was not found',
    );
  });
});
