import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isSageMakerAvailable } from '@internal/backstage-plugin-sagemaker-common';
import { SageMakerClient, sageMakerApiRef } from './api';

const entityContentRouteRef = createRouteRef();

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
 * The SageMaker Model Registry plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'sagemaker',
  info: { packageJson: () => import('../package.json') },
  routes: { entityContent: entityContentRouteRef },
  extensions: [
    sageMakerApi,
    sageMakerModelVersionsEntityCard,
    sageMakerEntityContent,
  ],
});
