/**
 * The dedupe keys of history events and the keys of the sync state: the one
 * place they are built. The history holds a unique index on the dedupe key,
 * so two writers that build the same key record one event. The strings are
 * stored, so each must stay as it is: a changed format would let an event
 * recorded before the change be recorded again (docs/protocol.md).
 */

/** The state an approval was decided on: who wins a race is settled on it. */
export interface ApprovalIntentKey {
  versionArn: string;
  from: string;
  to: string;
  /** LastModifiedTime (or CreationTime) of the version read before the write. */
  decidedOn: string | undefined;
}

/** Sync state key of a model version, as an entity names it. */
export function versionSyncKey(entityRef: string, versionArn: string): string {
  return `${entityRef}|${versionArn}`;
}

/** Sync state key of a model version's lifecycle stage, as an entity names it. */
export function lifecycleSyncKey(
  entityRef: string,
  versionArn: string,
): string {
  return `lifecycle:${entityRef}|${versionArn}`;
}

/**
 * Sync state key of a model package group, as an entity names it: present
 * once the group's first sight (a baseline, no events) is done.
 */
export function groupSyncKey(entityRef: string, groupArn: string): string {
  return `group:${entityRef}|${groupArn}`;
}

/**
 * Sync state key of the incremental sync's cursor in an account and region:
 * when its last complete run started.
 */
export function searchCursorKey(target: {
  accountId: string;
  region: string;
}): string {
  return `cursor:${target.accountId}:${target.region}`;
}

/** Sync state key of an endpoint this plugin deployed. */
export function endpointSyncKey(endpoint: {
  accountId: string;
  region: string;
  endpointName: string;
}): string {
  return `endpoint:${endpoint.accountId}:${endpoint.region}:${endpoint.endpointName}`;
}

/** Dedupe keys of the history events that must be recorded at most once. */
export const dedupeKeys = {
  /**
   * An approval or rejection requested through Backstage: concurrent
   * identical requests build the same key, so one of them makes the change.
   */
  approvalIntent(key: ApprovalIntentKey): string {
    return `approval:${key.versionArn}:${key.from}->${key.to}:${key.decidedOn}`;
  },

  /**
   * A lifecycle change requested through Backstage, keyed like an approval
   * by the state it was decided on (`none` for a version without a stage).
   */
  lifecycleIntent(key: {
    versionArn: string;
    from: string;
    to: string;
    decidedOn: string | undefined;
  }): string {
    return `lifecycle:${key.versionArn}:${key.from}->${key.to}:${key.decidedOn}`;
  },

  /** A lifecycle change the sync saw, made outside Backstage. */
  syncedLifecycle(change: {
    stateKey: string;
    lifecycle: string;
    changedAt: string;
  }): string {
    return `sync:${change.stateKey}:${change.lifecycle}:${change.changedAt}`;
  },

  /**
   * A new attempt at an approval after an attempt on the same state failed
   * (a failed write changes nothing, so the state, and the intent key, are
   * the same). Retries after one failure build the same key, so they too
   * make one change; each failure opens one new key.
   */
  approvalRetry(intentKey: string, failedOutcomeSeq: number): string {
    return `${intentKey}:retry-after:${failedOutcomeSeq}`;
  },

  /**
   * The outcome of an approval intent, whoever records it: the request that
   * made the write, or the follow-up task after that request died.
   */
  approvalOutcome(intentSeq: number): string {
    return `outcome:${intentSeq}`;
  },

  /** The outcome of a deployment, whichever worker carries it to the end. */
  deploymentOutcome(deploymentId: string): string {
    return `deployment-outcome:${deploymentId}`;
  },

  /** An approval status change the sync saw, made outside Backstage. */
  syncedApproval(change: {
    stateKey: string;
    status: string;
    changedAt: string;
  }): string {
    return `sync:${change.stateKey}:${change.status}:${change.changedAt}`;
  },

  /**
   * A version registered outside Backstage in a group already baselined,
   * seen by the sync or an event: one registration per version and entity.
   */
  syncedRegistration(stateKey: string): string {
    return `register:${stateKey}`;
  },

  /** An endpoint status change the sync saw. */
  syncedEndpoint(change: {
    stateKey: string;
    before: string;
    status: string;
    changedAt: string;
  }): string {
    return `sync:${change.stateKey}:${change.before}->${change.status}:${change.changedAt}`;
  },
};
