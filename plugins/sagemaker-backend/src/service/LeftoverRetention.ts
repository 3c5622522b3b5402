import {
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
} from '@aws-sdk/client-sagemaker';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Deployment } from '@internal/backstage-plugin-sagemaker-common';
import { awsErrorDetails } from '../aws/errors';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { SageMakerStore } from '../database/SageMakerStore';

/** How many of an entity's latest deployments are looked at. */
const HISTORY = 200;

/**
 * Deletes the model and endpoint config that updates leave behind: each
 * successful deployment to an endpoint keeps the resources of the endpoint's
 * latest `keep` earlier successful deployments (what a rollback would go back
 * to) and deletes those of the one that just fell out of that window. The
 * deletes are the deployer's, like the deployment's own calls; a refusal is
 * logged, never a failed deployment.
 */
export class LeftoverRetention {
  constructor(
    private readonly deps: {
      store: SageMakerStore;
      gateway: SageMakerGateway;
      logger: LoggerService;
      keep: number;
    },
  ) {}

  /** Tidies after `d` succeeded on its endpoint. */
  async tidy(d: Deployment): Promise<void> {
    const earlier = (
      await this.deps.store.listEntityDeployments(d.entityRef, HISTORY)
    ).filter(
      other =>
        other.id !== d.id &&
        other.status === 'succeeded' &&
        other.target === d.target &&
        other.endpointName === d.endpointName &&
        other.createdAt <= d.createdAt,
    );
    const expired = earlier[this.deps.keep];
    if (!expired) {
      return;
    }
    const target = { accountId: expired.accountId, region: expired.region };
    const deletes: Array<[string, () => Promise<unknown>]> = [
      [
        'DeleteEndpointConfig',
        () =>
          this.deps.gateway.callAsUser(
            target,
            d.requestedBy,
            'DeleteEndpointConfig',
            client =>
              client.send(
                new DeleteEndpointConfigCommand({
                  EndpointConfigName: expired.endpointConfigName,
                }),
              ),
          ),
      ],
      [
        'DeleteModel',
        () =>
          this.deps.gateway.callAsUser(
            target,
            d.requestedBy,
            'DeleteModel',
            client =>
              client.send(
                new DeleteModelCommand({ ModelName: expired.modelName }),
              ),
          ),
      ],
    ];
    for (const [action, call] of deletes) {
      try {
        await call();
      } catch (error) {
        const { code, message } = awsErrorDetails(error);
        this.deps.logger.warn(
          `Deployment ${d.id}: ${action} of what deployment ${expired.id} left on ${d.endpointName} in account ${expired.accountId} failed with ${code}: ${message}`,
        );
      }
    }
  }
}
