import {
  DescribeEndpointCommand,
  ModelPackage,
} from '@aws-sdk/client-sagemaker';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getModelPackageGroupArnValues,
  HistoryAction,
  ModelApprovalStatus,
  HistoryEvent,
  lifecycleComment,
  ModelLifeCycle,
  ModelPackageGroupArn,
  parseLifecycleComment,
  parseModelPackageArn,
  parseModelPackageGroupArn,
  registrationComment,
  SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION,
} from '@internal/backstage-plugin-sagemaker-common';
import { awsErrorDetails } from '../aws/errors';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { SageMakerStore } from '../database/SageMakerStore';
import {
  dedupeKeys,
  endpointSyncKey,
  groupSyncKey,
  lifecycleSyncKey,
  searchCursorKey,
  versionSyncKey,
} from './dedupeKeys';
import { HistoryRecorder } from './HistoryRecorder';
import { describeUser, toModelLifeCycle } from './mappers';

const ACTION_FOR_STATUS: Record<string, HistoryAction> = {
  Approved: 'approve',
  Rejected: 'reject',
  PendingManualApproval: 'reset-approval',
};

/** How long the catalog's answer "which entities name which groups" is reused for events. */
const ENTITY_INDEX_TTL_MS = 30_000;

/** A catalog entity naming a model package group. */
interface NamedGroup {
  entityRef: string;
  group: ModelPackageGroupArn;
}

/**
 * A version as the sync reads it: a ListModelPackages summary, or a whole
 * record from Search or DescribeModelPackage (with who changed it, when).
 */
type VersionSnapshot = Pick<
  ModelPackage,
  | 'ModelPackageArn'
  | 'ModelPackageVersion'
  | 'ModelApprovalStatus'
  | 'ModelLifeCycle'
  | 'CreationTime'
  | 'LastModifiedTime'
  | 'LastModifiedBy'
  | 'CreatedBy'
  | 'ApprovalDescription'
>;

/** What the sync saw of one version when it last looked, per entity. */
interface VersionState {
  approval?: string;
  lifecycle?: string;
}

/** The result of one run of the scheduled sync, with what it cost. */
export interface SyncRunResult {
  /** History events recorded for versions. */
  versions: number;
  /** History events recorded for endpoints. */
  endpoints: number;
  /** Groups read whole (first sight, or no cursor yet for their account). */
  fullGroups: number;
  /** Version records the incremental Search returned. */
  changedVersions: number;
}

/**
 * Records changes made outside Backstage (SageMaker Studio, the CLI, a
 * pipeline): approval and lifecycle changes, and registrations, of the
 * versions of every group a catalog entity names, and status changes of the
 * endpoints this plugin deployed. It compares SageMaker with what it saw
 * last time; the first sight of a group is a baseline, not an event. Events
 * carry a dedupe key, so a second run, two replicas, or the SageMaker events
 * (which come in through {@link SyncTask.syncVersionHint}) record nothing
 * twice.
 *
 * The scheduled run is incremental: per account and region, after a first
 * complete run, one Search for the versions modified since its last
 * complete run, so that its cost follows the changes, not the registry.
 */
export class SyncTask {
  private entityIndex?: { at: number; groups: Promise<NamedGroup[]> };

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      gateway: SageMakerGateway;
      store: SageMakerStore;
      history: HistoryRecorder;
      accountIds: ReadonlySet<string>;
      logger: LoggerService;
      /**
       * How far before its last complete run the incremental sync looks
       * again: SageMaker's Search index lags behind writes, and the clocks
       * of this host and of AWS differ. What it sees twice is compared with
       * the sync state and costs no record. Default 10 minutes.
       */
      searchOverlapMs?: number;
    },
  ) {}

  async run(): Promise<SyncRunResult> {
    const result: SyncRunResult = {
      versions: 0,
      endpoints: 0,
      fullGroups: 0,
      changedVersions: 0,
    };
    const named = await this.loadNamedGroups();
    this.entityIndex = { at: Date.now(), groups: Promise.resolve(named) };
    const byTarget = new Map<string, NamedGroup[]>();
    for (const n of named) {
      const key = searchCursorKey(n.group);
      byTarget.set(key, [...(byTarget.get(key) ?? []), n]);
    }
    for (const [cursorKey, groups] of byTarget) {
      await this.syncTarget(cursorKey, groups, result);
    }
    result.endpoints = await this.syncEndpoints();
    return result;
  }

  /**
   * Handles a hint that a version changed (a SageMaker event): reads the
   * version from SageMaker, and records what changed for every entity that
   * names its group, through the same rules as the scheduled sync. Returns
   * the number of history events recorded, or `undefined` when no entity
   * names the group. A version SageMaker does not know throws its NotFound.
   */
  async syncVersionHint(versionArn: string): Promise<number | undefined> {
    const arn = parseModelPackageArn(versionArn);
    if (!arn || !this.deps.accountIds.has(arn.accountId)) {
      return undefined;
    }
    const naming = (await this.namedGroups()).filter(
      n => n.group.arn === arn.groupArn,
    );
    if (naming.length === 0) {
      return undefined;
    }
    const now = await this.deps.gateway.describeModelPackage(arn, arn.arn);
    let recorded = 0;
    for (const { entityRef, group } of naming) {
      const baselined = await this.deps.store.getSyncState([
        groupSyncKey(entityRef, group.arn),
      ]);
      if (baselined.size === 0) {
        recorded += (await this.syncGroup(entityRef, group)).recorded;
        continue;
      }
      recorded += await this.syncVersions(entityRef, group, [now], true, true);
    }
    return recorded;
  }

  /**
   * Handles a hint that an endpoint changed (a SageMaker event): if this
   * plugin deployed it, reads it and records a status change through the
   * scheduled sync's rules. Returns the deployments it matched.
   */
  async syncEndpointHint(endpoint: {
    accountId: string;
    region: string;
    endpointName: string;
  }): Promise<Array<{ target: string; recorded: boolean }>> {
    const ours = (await this.deps.store.listDeployedEndpoints()).filter(
      d =>
        d.accountId === endpoint.accountId &&
        d.region === endpoint.region &&
        d.endpointName === endpoint.endpointName,
    );
    const matched = [];
    for (const d of ours) {
      matched.push({ target: d.target, recorded: await this.syncEndpoint(d) });
    }
    return matched;
  }

  /** The entities naming groups, from the catalog; reused briefly for events. */
  private namedGroups(): Promise<NamedGroup[]> {
    if (
      !this.entityIndex ||
      Date.now() - this.entityIndex.at > ENTITY_INDEX_TTL_MS
    ) {
      const groups = this.loadNamedGroups();
      this.entityIndex = { at: Date.now(), groups };
      groups.catch(() => {
        this.entityIndex = undefined;
      });
    }
    return this.entityIndex.groups;
  }

  private async loadNamedGroups(): Promise<NamedGroup[]> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    const named: NamedGroup[] = [];
    for (const entity of items) {
      const entityRef = stringifyEntityRef(entity);
      for (const value of getModelPackageGroupArnValues(entity)) {
        const group = parseModelPackageGroupArn(value);
        if (group && this.deps.accountIds.has(group.accountId)) {
          named.push({ entityRef, group });
        }
      }
    }
    return named;
  }

  /**
   * One account and region: groups never seen are read whole (a baseline);
   * the others, once a complete run set the cursor, by one Search for what
   * changed since. The cursor moves only after a run with no failure.
   */
  private async syncTarget(
    cursorKey: string,
    named: NamedGroup[],
    result: SyncRunResult,
  ): Promise<void> {
    const startedAt = new Date();
    const state = await this.deps.store.getSyncState([
      cursorKey,
      ...named.map(n => groupSyncKey(n.entityRef, n.group.arn)),
    ]);
    const cursor = state.get(cursorKey);
    let failed = false;
    const incremental: NamedGroup[] = [];
    for (const n of named) {
      if (cursor && state.has(groupSyncKey(n.entityRef, n.group.arn))) {
        incremental.push(n);
        continue;
      }
      try {
        const synced = await this.syncGroup(n.entityRef, n.group);
        result.versions += synced.recorded;
        result.fullGroups += 1;
      } catch (error) {
        failed = true;
        this.deps.logger.warn(
          `Sync of ${n.group.arn} for ${n.entityRef} failed: ${
            awsErrorDetails(error).message
          }`,
        );
      }
    }
    if (incremental.length > 0) {
      try {
        const changed = await this.deps.gateway.searchVersionsModifiedSince(
          incremental[0].group,
          [...new Set(incremental.map(n => n.group.name))],
          new Date(
            Date.parse(cursor!) - (this.deps.searchOverlapMs ?? 10 * 60_000),
          ),
        );
        result.changedVersions += changed.length;
        for (const n of incremental) {
          const versions = changed.filter(
            v => v.ModelPackageGroupName === n.group.name,
          );
          if (versions.length > 0) {
            result.versions += await this.syncVersions(
              n.entityRef,
              n.group,
              versions,
              true,
              true,
            );
          }
        }
      } catch (error) {
        failed = true;
        this.deps.logger.warn(
          `Incremental sync of ${cursorKey} failed: ${
            awsErrorDetails(error).message
          }`,
        );
      }
    }
    if (!failed) {
      await this.deps.store.setSyncState(cursorKey, startedAt.toISOString());
    }
  }

  /**
   * Reads a whole group. Its first sight (no group state, and no version
   * state from before groups had one) is a baseline: nothing is recorded.
   */
  private async syncGroup(
    entityRef: string,
    group: ModelPackageGroupArn,
  ): Promise<{ recorded: number }> {
    const versions = await this.deps.gateway.listAllVersions(group);
    const groupKey = groupSyncKey(entityRef, group.arn);
    const known = await this.deps.store.getSyncState([
      groupKey,
      ...versions.map(v => versionSyncKey(entityRef, v.ModelPackageArn!)),
    ]);
    const recorded = await this.syncVersions(
      entityRef,
      group,
      versions,
      known.size > 0,
      false,
    );
    if (!known.has(groupKey)) {
      await this.deps.store.setSyncState(groupKey, 'baselined');
    }
    return { recorded };
  }

  /**
   * The one path every version takes, from a list, a Search or an event:
   * a version first seen in a baselined group is a registration; a known
   * one may have changed its approval or its stage. Summaries (not
   * `whole`, from a list) lack who changed them: those are described, once
   * per version, when recorded; Search and Describe records are whole.
   */
  private async syncVersions(
    entityRef: string,
    group: ModelPackageGroupArn,
    versions: VersionSnapshot[],
    groupBaselined: boolean,
    whole: boolean,
  ): Promise<number> {
    const keys = versions.map(v => ({
      approval: versionSyncKey(entityRef, v.ModelPackageArn!),
      lifecycle: lifecycleSyncKey(entityRef, v.ModelPackageArn!),
    }));
    const seen = await this.deps.store.getSyncState(
      keys.flatMap(k => [k.approval, k.lifecycle]),
    );
    const described = new Map<string, Promise<VersionSnapshot>>();
    const details = (version: VersionSnapshot) => {
      if (whole) {
        return Promise.resolve(version);
      }
      const arn = version.ModelPackageArn!;
      if (!described.has(arn)) {
        described.set(arn, this.deps.gateway.describeModelPackage(group, arn));
      }
      return described.get(arn)!;
    };
    let recorded = 0;
    for (const [i, version] of versions.entries()) {
      const state: VersionState = {
        approval: seen.get(keys[i].approval),
        lifecycle: seen.get(keys[i].lifecycle),
      };
      if (state.approval === undefined && groupBaselined) {
        recorded += await this.recordRegistration(
          entityRef,
          group,
          version,
          keys[i].approval,
          details,
        );
        await this.deps.store.setSyncState(
          keys[i].lifecycle,
          lifecycleState(version),
        );
        continue;
      }
      recorded += await this.syncApproval(
        entityRef,
        group,
        version,
        keys[i].approval,
        state.approval,
        details,
      );
      recorded += await this.syncLifecycle(
        entityRef,
        group,
        version,
        keys[i].lifecycle,
        state.lifecycle,
        details,
      );
    }
    return recorded;
  }

  /** A version registered outside Backstage, first seen in a baselined group. */
  private async recordRegistration(
    entityRef: string,
    group: ModelPackageGroupArn,
    version: VersionSnapshot,
    stateKey: string,
    details: (v: VersionSnapshot) => Promise<VersionSnapshot>,
  ): Promise<number> {
    const status = (version.ModelApprovalStatus ??
      'PendingManualApproval') as ModelApprovalStatus;
    const now = await details(version);
    const event = await this.deps.history.record({
      actor: describeUser(now.CreatedBy) ?? 'unknown (SageMaker)',
      action: 'register',
      outcome: 'succeeded',
      source: 'sagemaker',
      at: (now.CreationTime ?? new Date()).toISOString(),
      entityRef,
      groupArn: group.arn,
      versionArn: version.ModelPackageArn,
      version: version.ModelPackageVersion,
      accountId: group.accountId,
      region: group.region,
      comment: registrationComment(status),
      dedupeKey: dedupeKeys.syncedRegistration(stateKey),
    });
    await this.deps.store.setSyncState(stateKey, status);
    return event ? 1 : 0;
  }

  /** An approval status change made outside Backstage, compared with the state. */
  private async syncApproval(
    entityRef: string,
    group: ModelPackageGroupArn,
    version: VersionSnapshot,
    stateKey: string,
    before: string | undefined,
    details: (v: VersionSnapshot) => Promise<VersionSnapshot>,
  ): Promise<number> {
    const status = version.ModelApprovalStatus ?? 'PendingManualApproval';
    if (before === status) {
      return 0;
    }
    let recorded = 0;
    if (before !== undefined && !(await this.changedHere(version, status))) {
      const now = await details(version);
      const changedAt = (now.LastModifiedTime ?? new Date()).toISOString();
      const event = await this.deps.history.record({
        actor: describeUser(now.LastModifiedBy) ?? 'unknown (SageMaker)',
        action: ACTION_FOR_STATUS[status] ?? 'approve',
        outcome: 'succeeded',
        source: 'sagemaker',
        at: changedAt,
        entityRef,
        groupArn: group.arn,
        versionArn: version.ModelPackageArn,
        version: version.ModelPackageVersion,
        accountId: group.accountId,
        region: group.region,
        comment: [
          `${before} → ${status} outside Backstage`,
          now.ApprovalDescription,
        ]
          .filter(Boolean)
          .join(': '),
        dedupeKey: dedupeKeys.syncedApproval({
          stateKey,
          status,
          changedAt,
        }),
      });
      if (event) {
        recorded += 1;
      }
    }
    await this.deps.store.setSyncState(stateKey, status);
    return recorded;
  }

  /**
   * A lifecycle stage change made outside Backstage, compared with what the
   * sync saw last (`Stage/Status`, or `none`), as approvals are.
   */
  private async syncLifecycle(
    entityRef: string,
    group: ModelPackageGroupArn,
    version: VersionSnapshot,
    stateKey: string,
    before: string | undefined,
    details: (v: VersionSnapshot) => Promise<VersionSnapshot>,
  ): Promise<number> {
    const lifecycle = toModelLifeCycle(version.ModelLifeCycle);
    const now = lifecycleState(version);
    if (before === now) {
      return 0;
    }
    let recorded = 0;
    if (
      before !== undefined &&
      lifecycle &&
      !(await this.lifecycleChangedHere(version, lifecycle))
    ) {
      const described = await details(version);
      const changedAt = (
        described.LastModifiedTime ?? new Date()
      ).toISOString();
      const event = await this.deps.history.record({
        actor: describeUser(described.LastModifiedBy) ?? 'unknown (SageMaker)',
        action: 'lifecycle',
        outcome: 'succeeded',
        source: 'sagemaker',
        at: changedAt,
        entityRef,
        groupArn: group.arn,
        versionArn: version.ModelPackageArn,
        version: version.ModelPackageVersion,
        accountId: group.accountId,
        region: group.region,
        comment: `${lifecycleComment(
          toModelLifeCycle(described.ModelLifeCycle) ?? lifecycle,
        )} (outside Backstage; was ${before})`,
        dedupeKey: dedupeKeys.syncedLifecycle({
          stateKey,
          lifecycle: now,
          changedAt,
        }),
      });
      if (event) {
        recorded += 1;
      }
    }
    await this.deps.store.setSyncState(stateKey, now);
    return recorded;
  }

  /** Whether our own latest successful lifecycle event explains the stage. */
  private async lifecycleChangedHere(
    version: VersionSnapshot,
    lifecycle: ModelLifeCycle,
  ): Promise<boolean> {
    const latest = await this.latestOwnEvent(version, ['lifecycle']);
    const stage = parseLifecycleComment(latest?.comment);
    return (
      stage?.stage === lifecycle.stage &&
      stage.stageStatus === lifecycle.stageStatus
    );
  }

  /** Whether our own latest successful approval event explains the status. */
  private async changedHere(
    version: VersionSnapshot,
    status: string,
  ): Promise<boolean> {
    // Approval events only: a later lifecycle event says nothing about it.
    const latest = await this.latestOwnEvent(
      version,
      Object.values(ACTION_FOR_STATUS),
    );
    return !!latest && ACTION_FOR_STATUS[status] === latest.action;
  }

  /**
   * The latest successful event of these actions that we made on the
   * version: in the portal, or by an agent for a user through our actions.
   */
  private async latestOwnEvent(
    version: VersionSnapshot,
    actions: HistoryAction[],
  ): Promise<HistoryEvent | undefined> {
    const ours = await Promise.all(
      (['backstage', 'agent'] as const).flatMap(source =>
        actions.map(action =>
          this.deps.store.queryEvents(
            {
              versionArn: version.ModelPackageArn,
              action,
              source,
              outcome: 'succeeded',
            },
            { limit: 1 },
          ),
        ),
      ),
    );
    return ours.flat().sort((a, b) => b.seq - a.seq)[0];
  }

  private async syncEndpoints(): Promise<number> {
    let recorded = 0;
    for (const d of await this.deps.store.listDeployedEndpoints()) {
      if (await this.syncEndpoint(d)) {
        recorded += 1;
      }
    }
    return recorded;
  }

  /** One endpoint we deployed: true when a status change was recorded now. */
  private async syncEndpoint(d: {
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

/** A version's lifecycle as the sync state keeps it: `Stage/Status`, or `none`. */
function lifecycleState(version: VersionSnapshot): string {
  const lifecycle = toModelLifeCycle(version.ModelLifeCycle);
  return lifecycle ? `${lifecycle.stage}/${lifecycle.stageStatus}` : 'none';
}
