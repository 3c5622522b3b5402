import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  SageMakerClientFactory,
  readSageMakerConfig,
} from '@internal/backstage-plugin-sagemaker-backend';
import { readDiscoveryConfig } from './config/DiscoveryConfig';
import { SageMakerEntityProvider } from './provider/SageMakerEntityProvider';

/**
 * Adds the SageMaker model registry entity provider to the catalog, when
 * `catalog.providers.sagemaker` is configured. Credentials are those of
 * `aws.accounts`, as for the SageMaker plugin.
 *
 * @public
 */
export const catalogModuleSageMakerModelRegistry = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'sagemaker-model-registry',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, logger, scheduler }) {
        const sagemakerConfig = readSageMakerConfig(config);
        const discovery = readDiscoveryConfig(
          config,
          sagemakerConfig.accountIds,
        );
        if (!discovery) {
          logger.info(
            'catalog.providers.sagemaker is not configured: no model package groups are discovered',
          );
          return;
        }
        const factory = new SageMakerClientFactory({
          credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
          requestTimeoutMs: sagemakerConfig.awsRequestTimeoutMs,
          maxAttempts: sagemakerConfig.awsMaxAttempts,
          accountRoles: sagemakerConfig.accountRoles,
          attributeWritesToUser: false,
        });
        catalog.addEntityProvider(
          new SageMakerEntityProvider({
            config: discovery,
            clients: (accountId, region) =>
              factory.forAccount(accountId, region),
            awsAccountIds: sagemakerConfig.accountIds,
            logger,
            scheduler,
          }),
        );
      },
    });
  },
});
