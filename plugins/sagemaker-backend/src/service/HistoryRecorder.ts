import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Deployment,
  HistoryEvent,
  HistoryRecord,
} from '@internal/backstage-plugin-sagemaker-common';
import { NewHistoryEvent, SageMakerStore } from '../database/SageMakerStore';

const SEVERITY = {
  requested: 'medium',
  succeeded: 'medium',
  failed: 'high',
  denied: 'high',
  'rolled-back': 'high',
} as const;

/**
 * What every history event of a deployment says about it; the caller adds
 * the outcome (and the AWS error of a failure).
 */
export function deploymentEvent(d: Deployment) {
  return {
    actor: d.requestedBy,
    action: 'deploy',
    source: d.requestedVia === 'agent' ? 'agent' : 'backstage',
    entityRef: d.entityRef,
    groupArn: d.groupArn,
    versionArn: d.versionArn,
    version: d.version,
    target: d.target,
    accountId: d.accountId,
    region: d.region,
    endpointName: d.endpointName,
    deploymentId: d.id,
    comment: d.rollbackOf
      ? `Rollback of deployment ${d.rollbackOf}`
      : undefined,
  } as const;
}

/**
 * Told of each event the history appended; never of one it deduplicated.
 */
export type HistoryListener = (event: HistoryEvent) => Promise<void>;

/**
 * Writes every event to the plugin's append-only history and to Backstage's
 * auditor service. The history is the record; the auditor is the stream to
 * the organisation's audit pipeline, so a failure to emit there is logged,
 * never allowed to undo or block the record. The same holds for listeners
 * (notifications, signals).
 */
export class HistoryRecorder {
  private readonly listeners: HistoryListener[] = [];

  constructor(
    private readonly store: SageMakerStore,
    private readonly auditor: AuditorService,
    private readonly logger: LoggerService,
  ) {}

  /**
   * Calls `listener` with each event appended from now on, after the append
   * succeeded; not for an event deduplicated by its key. A listener that
   * throws is logged; the event stays recorded.
   */
  addListener(listener: HistoryListener): void {
    this.listeners.push(listener);
  }

  async record(event: NewHistoryEvent): Promise<HistoryEvent | undefined> {
    const recorded = await this.store.appendEvent(event);
    if (recorded) {
      await this.audit(recorded);
      await this.tell(recorded);
    }
    return recorded;
  }

  private async tell(event: HistoryEvent) {
    await Promise.all(
      this.listeners.map(async listener => {
        try {
          await listener(event);
        } catch (error) {
          this.logger.warn(
            `History event ${event.seq} is recorded, but a listener failed on it: ${error}`,
          );
        }
      }),
    );
  }

  private async audit(event: HistoryRecord) {
    try {
      const audit = await this.auditor.createEvent({
        eventId:
          event.action === 'deploy'
            ? 'model-version-deploy'
            : 'model-version-approval',
        severityLevel: SEVERITY[event.outcome],
        meta: {
          actionType: event.action,
          outcome: event.outcome,
          source: event.source,
          actor: event.actor,
          entityRef: event.entityRef,
          versionArn: event.versionArn ?? null,
          target: event.target ?? null,
          endpointName: event.endpointName ?? null,
          deploymentId: event.deploymentId ?? null,
          // The head of the chain, outside the database: an event rewritten
          // or removed later no longer matches what the audit log holds.
          historySeq: event.seq,
          historyHash: event.hash,
          historyHashVersion: event.hashVersion,
          historyKeyId: event.keyId ?? null,
        },
      });
      if (['failed', 'denied', 'rolled-back'].includes(event.outcome)) {
        await audit.fail({
          error: Object.assign(
            new Error(event.awsErrorMessage ?? event.comment ?? event.outcome),
            { name: event.awsErrorCode ?? 'NotAllowedError' },
          ),
        });
      } else {
        await audit.success();
      }
    } catch (error) {
      this.logger.warn(
        `Could not send history event ${event.seq} to the auditor service: ${error}`,
      );
    }
  }
}
