import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { SageMakerClient, sageMakerApiRef } from './api';

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
});

/**
 * Overview card: the latest versions of the entity's model package groups.
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
