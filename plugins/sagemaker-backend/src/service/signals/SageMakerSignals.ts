import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  Deployment,
  DeploymentChangedSignal,
  deploymentSignalChannel,
  entityDeploymentsSignalChannel,
  HistoryAppendedSignal,
  HistoryEvent,
  historySignalChannel,
} from '@internal/backstage-plugin-sagemaker-common';

/**
 * Tells the open pages that a deployment or an entity's history changed, so
 * that they refetch instead of polling. The hints are broadcast: they carry
 * ids only, and whoever may not read the entity gets nothing more from the
 * authorized API it refetches through. Naming users instead would need the
 * set of everyone allowed to view the entity, which only the permission
 * framework knows, request by request.
 */
export class SageMakerSignals {
  constructor(
    private readonly deps: { signals: SignalsService; logger: LoggerService },
  ) {}

  /** For the deployment executor's `onProgress`: never throws. */
  readonly deploymentChanged = async (d: Deployment): Promise<void> => {
    const message: DeploymentChangedSignal = {
      type: 'deployment-changed',
      deploymentId: d.id,
    };
    await this.publish(deploymentSignalChannel(d.id), message);
    await this.publish(entityDeploymentsSignalChannel(d.entityRef), message);
  };

  /** A history listener: never throws. */
  readonly historyAppended = async (event: HistoryEvent): Promise<void> => {
    const message: HistoryAppendedSignal = {
      type: 'history-appended',
      seq: event.seq,
    };
    await this.publish(historySignalChannel(event.entityRef), message);
    if (event.deploymentId) {
      // A deployment's start and end are history events too.
      const changed: DeploymentChangedSignal = {
        type: 'deployment-changed',
        deploymentId: event.deploymentId,
      };
      await this.publish(
        entityDeploymentsSignalChannel(event.entityRef),
        changed,
      );
    }
  };

  private async publish(
    channel: string,
    message: DeploymentChangedSignal | HistoryAppendedSignal,
  ) {
    try {
      await this.deps.signals.publish({
        recipients: { type: 'broadcast' },
        channel,
        message,
      });
    } catch (error) {
      this.deps.logger.warn(
        `Could not publish a signal on ${channel}: ${error}`,
      );
    }
  }
}
