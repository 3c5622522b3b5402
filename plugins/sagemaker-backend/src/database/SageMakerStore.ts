import {
  Deployment,
  DeploymentPhase,
  HistoryAction,
  HistoryEvent,
  HistoryFacets,
  HistoryRecord,
  HistoryVerification,
} from '@internal/backstage-plugin-sagemaker-common';

/**
 * A history event to append; seq, hashes and (by default) time are
 * assigned. A `dedupeKey` makes the append a no-op when an event with that
 * key already exists.
 */
export type NewHistoryEvent = Omit<
  HistoryRecord,
  'seq' | 'prevHash' | 'hash' | 'hashVersion' | 'keyId' | 'at'
> & {
  at?: string;
};

/** A deployment to create. */
export type NewDeployment = Omit<
  Deployment,
  'createdAt' | 'updatedAt' | 'status' | 'phase'
> & {
  idempotencyKey?: string;
  requestHash: string;
};

/** Fields of a deployment that change as it proceeds. */
export type DeploymentPatch = Partial<
  Pick<
    Deployment,
    | 'status'
    | 'phase'
    | 'endpointStatus'
    | 'traffic'
    | 'modelName'
    | 'endpointConfigName'
    | 'error'
  >
>;

/** Filters of the org-wide history; all optional, combined with AND. */
export interface HistoryFilter {
  entityRef?: string;
  /** Matches refs that end with it, e.g. `/fraud-detection`. */
  entityRefSuffix?: string;
  actor?: string;
  /** Matches actors that end with it, e.g. `/guest`. */
  actorSuffix?: string;
  action?: HistoryEvent['action'];
  outcome?: HistoryEvent['outcome'];
  source?: HistoryEvent['source'];
  target?: string;
  accountId?: string;
  region?: string;
  endpointName?: string;
  versionArn?: string;
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
}

/**
 * The plugin's own tables: the history and the deployments.
 */
export interface SageMakerStore {
  /** Appends an event; undefined when its dedupe key was already recorded. */
  appendEvent(event: NewHistoryEvent): Promise<HistoryRecord | undefined>;
  /** The event recorded under a dedupe key, if any. */
  findEventByDedupeKey(dedupeKey: string): Promise<HistoryEvent | undefined>;
  listEntityEvents(
    entityRef: string,
    options: { limit: number; beforeSeq?: number },
  ): Promise<HistoryEvent[]>;
  /** The org-wide history, newest first, keyset-paged by seq. */
  queryEvents(
    filter: HistoryFilter,
    options: { limit: number; beforeSeq?: number },
  ): Promise<HistoryRecord[]>;
  /** The distinct entities, actors, targets and endpoints of the history. */
  historyFacets(limit: number): Promise<HistoryFacets>;
  /** Requested events of an action with no outcome event after them. */
  listUnfinishedApprovals(olderThan: string): Promise<HistoryEvent[]>;
  /**
   * The latest event of these actions on the version that Backstage made
   * (source `backstage` or `agent`), whatever its outcome.
   */
  latestOwnEvent(
    versionArn: string,
    actions: HistoryAction[],
  ): Promise<HistoryEvent | undefined>;
  /** Checks the whole chain with the configured keys, oldest first. */
  verifyChain(): Promise<HistoryVerification>;

  /** What the sync last saw for each resource key asked for. */
  getSyncState(keys: string[]): Promise<Map<string, string>>;
  setSyncState(key: string, status: string): Promise<void>;

  /**
   * Creates a deployment, or returns the one created earlier with the same
   * idempotency key by the same user (`created: false`).
   */
  createDeployment(
    deployment: NewDeployment,
  ): Promise<{ created: boolean; deployment: Deployment; requestHash: string }>;
  getDeployment(id: string): Promise<Deployment | undefined>;
  findDeploymentByKey(
    requestedBy: string,
    idempotencyKey: string,
  ): Promise<{ deployment: Deployment; requestHash: string } | undefined>;
  listEntityDeployments(
    entityRef: string,
    limit: number,
  ): Promise<Deployment[]>;
  /** Endpoints this plugin deployed successfully, latest deployment each. */
  listDeployedEndpoints(): Promise<
    Array<{
      entityRef: string;
      target: string;
      accountId: string;
      region: string;
      endpointName: string;
    }>
  >;
  updateDeployment(id: string, patch: DeploymentPatch): Promise<Deployment>;
  /**
   * Takes the lease on an in-progress deployment for `owner` (one worker's
   * run); false if another holds an unexpired lease.
   */
  claimDeployment(id: string, leaseMs: number, owner: string): Promise<boolean>;
  /**
   * Renews `owner`'s lease; false when it no longer holds it (it ran out and
   * another took the deployment over, or the deployment ended).
   */
  extendLease(id: string, leaseMs: number, owner: string): Promise<boolean>;
  /** Frees `owner`'s lease, so that the follow-up task replays the step. */
  releaseDeployment(id: string, owner: string): Promise<void>;
  /** In-progress deployments whose lease is free or expired. */
  listClaimableDeployments(): Promise<Deployment[]>;
}

export type { DeploymentPhase };
