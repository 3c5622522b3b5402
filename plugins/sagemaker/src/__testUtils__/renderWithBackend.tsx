import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ReactElement } from 'react';
import { SageMakerClient, sageMakerApiRef } from '../api';
import { BASE_URL } from './FakeSageMakerBackend';

/** A client of the fake backend, through msw. */
export function fakeBackendClient() {
  return new SageMakerClient({
    discoveryApi: { getBaseUrl: async () => BASE_URL },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
}

/**
 * Renders an element for an entity in a test app, with the real client
 * talking to the msw fake backend and a permission API that allows or
 * denies the given permissions.
 */
export function renderWithBackend(
  element: ReactElement,
  options: {
    entity: Entity;
    /** Permission names to deny, e.g. `sagemaker.model-version.deploy`. */
    deny?: string[];
    /** The page's URL, e.g. `/?version=3` (search parameters hold state). */
    url?: string;
    /** The app's signal API; without it, the app has no signals. */
    signalApi?: SignalApi;
  },
) {
  const deny = new Set(options.deny ?? []);
  const permissionApi = mockApis.permission({
    authorize: request =>
      deny.has(request.permission.name)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [sageMakerApiRef, fakeBackendClient()],
        [permissionApiRef, permissionApi],
        ...(options.signalApi
          ? [[signalApiRef, options.signalApi] as const]
          : []),
      ]}
    >
      <EntityProvider entity={options.entity}>{element}</EntityProvider>
    </TestApiProvider>,
    // Entity refs (who deployed, who approved) link to the entity's page.
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      routeEntries: options.url ? [options.url] : undefined,
    },
  );
}
