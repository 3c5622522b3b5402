import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { createRouter } from './router';
import { readSageMakerConfig } from './config/SageMakerConfig';
import { SageMakerClientFactory } from './aws/SageMakerClientFactory';
import { SageMakerGateway } from './aws/SageMakerGateway';
import { EntityGroupResolver } from './service/EntityGroupResolver';
import { DefaultSageMakerRegistryService } from './service/DefaultSageMakerRegistryService';
import { RegistryCache } from './service/RegistryCache';

/**
 * The SageMaker backend plugin: proxies Model Registry reads through the
 * configured AWS accounts.
 *
 * @public
 */
export const sagemakerPlugin = createBackendPlugin({
  pluginId: 'sagemaker',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
        cache: coreServices.cache,
      },
      async init({ config, httpAuth, httpRouter, catalog, cache }) {
        const sagemakerConfig = readSageMakerConfig(config);
        const gateway = new SageMakerGateway(
          new SageMakerClientFactory({
            credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
            requestTimeoutMs: sagemakerConfig.awsRequestTimeoutMs,
            maxAttempts: sagemakerConfig.awsMaxAttempts,
          }),
        );
        const registry = new DefaultSageMakerRegistryService({
          resolver: new EntityGroupResolver(
            catalog,
            sagemakerConfig.accountIds,
          ),
          gateway,
          cache: new RegistryCache(cache, sagemakerConfig.cacheTtlMs),
          targets: sagemakerConfig.deploymentTargets,
        });
        httpRouter.use(await createRouter({ httpAuth, registry }));
      },
    });
  },
});
