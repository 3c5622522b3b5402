import { DescribeEndpointCommand } from '@aws-sdk/client-sagemaker';
import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { awsErrorDetails } from '../../aws/errors';
import { SageMakerGateway } from '../../aws/SageMakerGateway';
import { SageMakerStore } from '../../database/SageMakerStore';
import { dedupeKeys, endpointSyncKey } from '../dedupeKeys';
import { HistoryRecorder } from '../HistoryRecorder';

/**
 * The sync's rule for endpoints this plugin deployed: reads each one and
 * records a change of its status since the sync last saw it (an endpoint
 * that no longer exists is `Deleted`); the first sight is a baseline. A
 * record carries a dedupe key, so two readers record a change once.
 */
export class EndpointChangeRecorder {
  constructor(
    private readonly deps: {
      gateway: Pick<SageMakerGateway, 'call'>;
      store: Pick<
        SageMakerStore,
        'getSyncState' | 'setSyncState' | 'listDeployedEndpoints'
      >;
      history: Pick<HistoryRecorder, 'record'>;
      logger: LoggerService;
    },
  ) {}

  /** Every endpoint we deployed: the number of status changes recorded now. */
  async syncEndpoints(): Promise<number> {
    let recorded = 0;
    for (const d of await this.deps.store.listDeployedEndpoints()) {
      if (await this.syncEndpoint(d)) {
        recorded += 1;
      }
    }
    return recorded;
  }

  /** One endpoint we deployed: true when a status change was recorded now. */
  async syncEndpoint(d: {
    entityRef: string;
    target: string;
    accountId: string;
    region: string;
    endpointName: string;
  }): Promise<boolean> {
    const key = endpointSyncKey(d);
    const before = (await this.deps.store.getSyncState([key])).get(key);
    let status: string;
    let reason: string | undefined;
    let changedAt = new Date().toISOString();
    try {
      const endpoint = await this.deps.gateway.call(
        d,
        'DescribeEndpoint',
        client =>
          client.send(
            new DescribeEndpointCommand({ EndpointName: d.endpointName }),
          ),
      );
      status = endpoint.EndpointStatus ?? 'Unknown';
      reason = endpoint.FailureReason;
      changedAt = (endpoint.LastModifiedTime ?? new Date()).toISOString();
    } catch (error) {
      if (isError(error) && error.name === 'NotFoundError') {
        status = 'Deleted';
      } else {
        this.deps.logger.warn(
          `Sync of endpoint ${d.endpointName} in ${d.accountId} failed: ${
            awsErrorDetails(error).message
          }`,
        );
        return false;
      }
    }
    let recorded = false;
    if (before !== undefined && before !== status) {
      const event = await this.deps.history.record({
        actor: 'SageMaker',
        action: 'endpoint-status',
        outcome: status === 'Failed' ? 'failed' : 'succeeded',
        source: 'sagemaker',
        at: changedAt,
        entityRef: d.entityRef,
        target: d.target,
        accountId: d.accountId,
        region: d.region,
        endpointName: d.endpointName,
        comment: `${before} → ${status}${reason ? `: ${reason}` : ''}`,
        dedupeKey: dedupeKeys.syncedEndpoint({
          stateKey: key,
          before,
          status,
          changedAt,
        }),
      });
      recorded = !!event;
    }
    if (before !== status) {
      await this.deps.store.setSyncState(key, status);
    }
    return recorded;
  }
}
