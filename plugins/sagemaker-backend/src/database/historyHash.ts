import { createHash } from 'node:crypto';
import { HistoryEvent } from '@internal/backstage-plugin-sagemaker-common';

/** The previous hash of the first event in the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The recorded content of an event: everything but its own hash. */
export type HistoryEventContent = Omit<HistoryEvent, 'hash'> & {
  dedupeKey?: string;
};

/**
 * The hash of an event: SHA-256 over the previous event's hash and the
 * event's content, in a fixed field order, so that editing, inserting or
 * deleting any row changes every hash after it.
 */
export function hashEvent(event: HistoryEventContent): string {
  const content = [
    event.seq,
    event.at,
    event.actor,
    event.action,
    event.outcome,
    event.source,
    event.entityRef,
    event.groupArn ?? null,
    event.versionArn ?? null,
    event.version ?? null,
    event.target ?? null,
    event.accountId ?? null,
    event.region ?? null,
    event.endpointName ?? null,
    event.deploymentId ?? null,
    event.comment ?? null,
    event.awsErrorCode ?? null,
    event.awsErrorMessage ?? null,
    event.awsRequestId ?? null,
    event.dedupeKey ?? null,
  ];
  return createHash('sha256')
    .update(event.prevHash)
    .update('\n')
    .update(JSON.stringify(content))
    .digest('hex');
}
