import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import HistoryIcon from '@material-ui/icons/History';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isSageMakerAvailable } from '@internal/backstage-plugin-sagemaker-common';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { SageMakerClient, sageMakerApiRef } from './api';
import {
  entityContentRouteRef as legacyEntityContentRouteRef,
  sageMakerHistoryRouteRef,
  sageMakerReadinessRouteRef,
} from './routes';

// The same route refs as the classic plugin's (routes.ts), converted: a link
// built with one (the overview card's link to the tab) resolves in both
// frontend systems, and an app binds one set.
const entityContentRouteRef = convertLegacyRouteRef(
  legacyEntityContentRouteRef,
);
const historyRouteRef = convertLegacyRouteRef(sageMakerHistoryRouteRef);
const readinessRouteRef = convertLegacyRouteRef(sageMakerReadinessRouteRef);

/**
 * The {@link SageMakerApi} for the new frontend system.
 *
 * @alpha
 */
export const sageMakerApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: sageMakerApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SageMakerClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The overview card of model versions, on entities with the annotation.
 *
 * @alpha
 */
export const sageMakerModelVersionsEntityCard = EntityCardBlueprint.make({
  name: 'model-versions',
  params: {
    filter: isSageMakerAvailable,
    loader: () =>
      import('./components/EntitySageMakerModelVersionsCard').then(m => (
        <m.EntitySageMakerModelVersionsCard />
      )),
  },
});

/**
 * The "Model versions" entity tab, on entities with the annotation.
 *
 * @alpha
 */
export const sageMakerEntityContent = EntityContentBlueprint.make({
  name: 'model-versions',
  params: {
    path: '/sagemaker',
    title: 'Model versions',
    routeRef: entityContentRouteRef,
    filter: isSageMakerAvailable,
    loader: () =>
      import('./components/EntitySageMakerContent').then(m => (
        <m.EntitySageMakerContent />
      )),
  },
});

/**
 * The auditors' org-wide history page at `/sagemaker/history`. Its title and
 * icon also make it a nav item. The page brings its own Backstage header, so
 * the framework's plugin header is turned off.
 *
 * @alpha
 */
export const sageMakerHistoryPage = PageBlueprint.make({
  name: 'history',
  params: {
    path: '/sagemaker/history',
    title: 'Model history',
    icon: <HistoryIcon fontSize="inherit" />,
    routeRef: historyRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/SageMakerHistoryPage').then(m => (
        <m.SageMakerHistoryPage />
      )),
  },
});

/**
 * The platform admins' readiness page at `/sagemaker/readiness`: every
 * account, group and target with its checks and the policies that fix them.
 *
 * @alpha
 */
export const sageMakerReadinessPage = PageBlueprint.make({
  name: 'readiness',
  params: {
    path: '/sagemaker/readiness',
    title: 'Model readiness',
    icon: <VerifiedUserIcon fontSize="inherit" />,
    routeRef: readinessRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/SageMakerReadinessPage').then(m => (
        <m.SageMakerReadinessPage />
      )),
  },
});

/**
 * The SageMaker Model Registry plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'sagemaker',
  info: { packageJson: () => import('../package.json') },
  routes: {
    entityContent: entityContentRouteRef,
    history: historyRouteRef,
    readiness: readinessRouteRef,
  },
  extensions: [
    sageMakerApi,
    sageMakerModelVersionsEntityCard,
    sageMakerEntityContent,
    sageMakerHistoryPage,
    sageMakerReadinessPage,
  ],
});
