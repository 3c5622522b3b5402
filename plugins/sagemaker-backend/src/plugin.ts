import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { sageMakerPermissions } from '@internal/backstage-plugin-sagemaker-common';
import { createRouter } from './router';
import { readSageMakerConfig } from './config/SageMakerConfig';
import { SageMakerClientFactory } from './aws/SageMakerClientFactory';
import { SageMakerGateway } from './aws/SageMakerGateway';
import { DatabaseSageMakerStore } from './database/DatabaseSageMakerStore';
import { EntityGroupResolver } from './service/EntityGroupResolver';
import { PrincipalEntityCache } from './service/PrincipalEntityCache';
import { DefaultSageMakerRegistryService } from './service/DefaultSageMakerRegistryService';
import { EndpointResolver } from './service/EndpointResolver';
import { RegistryCache } from './service/RegistryCache';
import { ModelReportReader } from './service/ModelReportReader';
import { readReportsConfig } from './config/ReportsConfig';
import { HistoryRecorder } from './service/HistoryRecorder';
import { LeftoverRetention } from './service/LeftoverRetention';
import { DeploymentExecutor } from './service/DeploymentExecutor';
import { DefaultSageMakerActionsService } from './service/DefaultSageMakerActionsService';
import { AuthorizedSageMakerActionsService } from './service/AuthorizedSageMakerActionsService';
import { FollowUpTask } from './service/FollowUpTask';
import { HistoryService } from './service/HistoryService';
import { EndpointChangeRecorder } from './service/sync/EndpointChangeRecorder';
import { SyncTask } from './service/sync/SyncTask';
import { VersionChangeRecorder } from './service/sync/VersionChangeRecorder';
import { DefaultReadinessService } from './readiness/DefaultReadinessService';
import { ReadinessFacts } from './readiness/ReadinessFacts';
import { registerSageMakerActions } from './actions/registerSageMakerActions';
import { EvidenceGateChecker } from './gates/EvidenceGateChecker';
import { SageMakerEventHandler } from './events/SageMakerEventHandler';
import { SageMakerNotifier } from './service/notifications/SageMakerNotifier';
import { SageMakerSignals } from './service/signals/SageMakerSignals';

/**
 * The SageMaker backend plugin: proxies Model Registry reads, approvals and
 * deployments through the configured AWS accounts, and keeps their history.
 *
 * @public
 */
export const sagemakerPlugin = createBackendPlugin({
  pluginId: 'sagemaker',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
        cache: coreServices.cache,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        actionsRegistry: actionsRegistryServiceRef,
        events: eventsServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
      },
      async init({
        config,
        logger,
        auth,
        httpAuth,
        httpRouter,
        catalog,
        cache,
        database,
        scheduler,
        permissions,
        permissionsRegistry,
        auditor,
        actionsRegistry,
        events,
        notifications,
        signals,
      }) {
        const sagemakerConfig = readSageMakerConfig(config);
        permissionsRegistry.addPermissions(sageMakerPermissions);

        const gateway = new SageMakerGateway(
          new SageMakerClientFactory({
            credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
            requestTimeoutMs: sagemakerConfig.awsRequestTimeoutMs,
            maxAttempts: sagemakerConfig.awsMaxAttempts,
            accountRoles: sagemakerConfig.accountRoles,
            attributeWritesToUser: sagemakerConfig.attributeWritesToUser,
          }),
        );
        const resolver = new EntityGroupResolver(
          catalog,
          sagemakerConfig.accountIds,
          new PrincipalEntityCache(sagemakerConfig.entityCacheTtlMs),
        );
        const registryCache = new RegistryCache(
          cache,
          sagemakerConfig.cacheTtlMs,
          { logger },
        );
        const endpoints = new EndpointResolver({
          gateway,
          cache: registryCache,
          discoveryMaxPages: sagemakerConfig.endpointDiscoveryMaxPages,
        });
        const reports = new ModelReportReader({
          gateway,
          cache: registryCache,
          config: readReportsConfig(config),
        });
        const registry = new DefaultSageMakerRegistryService({
          resolver,
          gateway,
          cache: registryCache,
          reports,
          endpoints,
          targets: sagemakerConfig.deploymentTargets,
        });

        const readiness = new DefaultReadinessService({
          facts: new ReadinessFacts(
            gateway,
            new RegistryCache(cache, sagemakerConfig.cacheTtlMs, { logger }),
          ),
          resolver,
          catalog,
          auth,
          permissions,
          accountIds: sagemakerConfig.accountIds,
          accountRoles: sagemakerConfig.accountRoles,
          targets: sagemakerConfig.deploymentTargets,
        });

        if (sagemakerConfig.historySigningKeys.length === 0) {
          logger.warn(
            'sagemaker.history.signingKeys is not configured: history events are hashed without a key (version 1), so whoever can write to the database can rewrite the newest events unnoticed. Configure a signing key outside the demo.',
          );
        }
        const store = await DatabaseSageMakerStore.create({
          database,
          signingKeys: sagemakerConfig.historySigningKeys,
        });
        const history = new HistoryRecorder(store, auditor, logger);
        const notifier = new SageMakerNotifier({ notifications, logger });
        history.addListener(notifier.onRecorded);
        const liveUpdates = new SageMakerSignals({ signals, logger });
        history.addListener(liveUpdates.historyAppended);
        const retention = new LeftoverRetention({
          store,
          gateway,
          logger,
          keep: sagemakerConfig.keepPreviousDeployments,
        });
        const executor = new DeploymentExecutor({
          store,
          gateway,
          history,
          targets: sagemakerConfig.deploymentTargets,
          logger,
          pollIntervalMs: sagemakerConfig.deploymentPollIntervalMs,
          leaseMs: sagemakerConfig.deploymentLeaseMs,
          onEndpointChange: target => endpoints.invalidateTarget(target),
          onSucceeded: d => retention.tidy(d),
          onProgress: liveUpdates.deploymentChanged,
        });
        const gates = new EvidenceGateChecker({
          store,
          resolver,
          gateway,
          targets: sagemakerConfig.deploymentTargets,
          reports,
        });
        const actions = new AuthorizedSageMakerActionsService(
          new DefaultSageMakerActionsService({
            resolver,
            gateway,
            store,
            history,
            registry,
            endpoints,
            executor,
            targets: sagemakerConfig.deploymentTargets,
            lifecycle: sagemakerConfig.lifecycle,
            gates,
            preflight: sagemakerConfig.preflightOnDeploy
              ? readiness
              : undefined,
          }),
          permissions,
          history,
        );

        const followUp = new FollowUpTask({
          store,
          executor,
          gateway,
          history,
          logger,
        });
        await scheduler.scheduleTask({
          id: 'sagemaker-follow-up',
          frequency: { milliseconds: sagemakerConfig.deploymentPollIntervalMs },
          timeout: { minutes: 5 },
          initialDelay: {
            milliseconds: sagemakerConfig.deploymentPollIntervalMs,
          },
          fn: () => followUp.run(),
        });

        const sync = new SyncTask({
          catalog,
          auth,
          gateway,
          store,
          versions: new VersionChangeRecorder({ gateway, store, history }),
          endpoints: new EndpointChangeRecorder({
            gateway,
            store,
            history,
            logger,
          }),
          accountIds: sagemakerConfig.accountIds,
          logger,
          searchOverlapMs: sagemakerConfig.syncSearchOverlapMs,
        });
        await scheduler.scheduleTask({
          id: 'sagemaker-sync',
          frequency: { milliseconds: sagemakerConfig.syncIntervalMs },
          timeout: { minutes: 15 },
          initialDelay: { seconds: 15 },
          fn: async () => {
            const recorded = await sync.run();
            if (recorded.versions || recorded.endpoints) {
              logger.info(
                `Sync recorded ${recorded.versions} version and ${recorded.endpoints} endpoint changes made outside Backstage`,
              );
            }
          },
        });

        const eventHandler = new SageMakerEventHandler({
          accountIds: sagemakerConfig.accountIds,
          targets: sagemakerConfig.deploymentTargets,
          sync,
          invalidateGroup: groupArn => registry.invalidateGroup(groupArn),
          invalidateTarget: target => endpoints.invalidateTarget(target),
          followEndpoint: endpoint => executor.followEndpoint(endpoint),
          logger,
        });
        await events.subscribe({
          id: 'sagemaker-state-changes',
          topics: sagemakerConfig.eventsTopics,
          onEvent: params => eventHandler.onEvent(params),
        });

        registerSageMakerActions(actionsRegistry, {
          registry,
          actions,
          readiness,
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            registry,
            actions,
            history: new HistoryService(store, permissions),
            readiness,
            gates,
            lifecycle: sagemakerConfig.lifecycle,
          }),
        );
      },
    });
  },
});
