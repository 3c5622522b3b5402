import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { SageMakerClient, sageMakerApiRef } from './api';
import {
  entityContentRouteRef,
  sageMakerHistoryRouteRef,
  sageMakerReadinessRouteRef,
} from './routes';

/**
 * The SageMaker Model Registry frontend plugin.
 *
 * @public
 */
export const sagemakerPlugin = createPlugin({
  id: 'sagemaker',
  apis: [
    createApiFactory({
      api: sageMakerApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SageMakerClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    entityContent: entityContentRouteRef,
    history: sageMakerHistoryRouteRef,
    readiness: sageMakerReadinessRouteRef,
  },
});

/**
 * Overview card: the latest versions of the entity's model package groups,
 * with their approval status and where each is deployed.
 *
 * @public
 */
export const EntitySageMakerModelVersionsCard = sagemakerPlugin.provide(
  createComponentExtension({
    name: 'EntitySageMakerModelVersionsCard',
    component: {
      lazy: () =>
        import('./components/EntitySageMakerModelVersionsCard').then(
          m => m.EntitySageMakerModelVersionsCard,
        ),
    },
  }),
);

/**
 * Entity tab: versions with details, comparison, metric chart, approval and
 * deployment; endpoints, deployments and history.
 *
 * @public
 */
export const EntitySageMakerContent = sagemakerPlugin.provide(
  createRoutableExtension({
    name: 'EntitySageMakerContent',
    component: () =>
      import('./components/EntitySageMakerContent').then(
        m => m.EntitySageMakerContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * The auditors' page: the organisation-wide history with filters, paging,
 * CSV and JSON export, chain verification and what an endpoint served at a
 * given time. Needs `sagemaker.history.read`.
 *
 * @public
 */
export const SageMakerHistoryPage = sagemakerPlugin.provide(
  createRoutableExtension({
    name: 'SageMakerHistoryPage',
    component: () =>
      import('./components/SageMakerHistoryPage').then(
        m => m.SageMakerHistoryPage,
      ),
    mountPoint: sageMakerHistoryRouteRef,
  }),
);

/**
 * The organisation-wide readiness page for platform admins: accounts ×
 * targets × checks, with the policies that fix what is missing.
 *
 * @public
 */
export const SageMakerReadinessPage = sagemakerPlugin.provide(
  createRoutableExtension({
    name: 'SageMakerReadinessPage',
    component: () =>
      import('./components/SageMakerReadinessPage').then(
        m => m.SageMakerReadinessPage,
      ),
    mountPoint: sageMakerReadinessRouteRef,
  }),
);
