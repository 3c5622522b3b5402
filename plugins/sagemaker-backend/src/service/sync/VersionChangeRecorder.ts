import { ModelPackage } from '@aws-sdk/client-sagemaker';
import {
  HistoryAction,
  HistoryEvent,
  lifecycleComment,
  ModelApprovalStatus,
  ModelLifeCycle,
  ModelPackageGroupArn,
  parseLifecycleComment,
  registrationComment,
} from '@internal/backstage-plugin-sagemaker-common';
import { SageMakerGateway } from '../../aws/SageMakerGateway';
import { SageMakerStore } from '../../database/SageMakerStore';
import { dedupeKeys, lifecycleSyncKey, versionSyncKey } from '../dedupeKeys';
import { HistoryRecorder } from '../HistoryRecorder';
import { describeUser, toModelLifeCycle } from '../mappers';

const ACTION_FOR_STATUS: Record<string, HistoryAction> = {
  Approved: 'approve',
  Rejected: 'reject',
  PendingManualApproval: 'reset-approval',
};

/**
 * A version as the sync reads it: a ListModelPackages summary, or a whole
 * record from Search or DescribeModelPackage (with who changed it, when).
 */
export type VersionSnapshot = Pick<
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

/**
 * The sync's rules for versions, shared by the scheduled run and the
 * SageMaker events (through `SyncTask`): which registrations, approval changes
 * and lifecycle stage changes were made outside Backstage, compared with the
 * sync state of the entity naming the group. A change our own latest event
 * explains is not recorded; every record carries a dedupe key.
 */
export class VersionChangeRecorder {
  constructor(
    private readonly deps: {
      gateway: Pick<SageMakerGateway, 'describeModelPackage'>;
      store: Pick<
        SageMakerStore,
        'getSyncState' | 'setSyncState' | 'latestOwnEvent'
      >;
      history: Pick<HistoryRecorder, 'record'>;
    },
  ) {}

  /**
   * The one path every version takes, from a list, a Search or an event:
   * a version first seen in a baselined group is a registration; a known
   * one may have changed its approval or its stage. Summaries (not
   * `whole`, from a list) lack who changed them: those are described, once
   * per version, when recorded; Search and Describe records are whole.
   */
  async syncVersions(
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

  /** Whether our own latest lifecycle write explains the stage. */
  private async lifecycleChangedHere(
    version: VersionSnapshot,
    lifecycle: ModelLifeCycle,
  ): Promise<boolean> {
    const latest = await this.latestOwnWrite(version, ['lifecycle']);
    const stage = parseLifecycleComment(latest?.comment);
    return (
      stage?.stage === lifecycle.stage &&
      stage.stageStatus === lifecycle.stageStatus
    );
  }

  /** Whether our own latest approval write explains the status. */
  private async changedHere(
    version: VersionSnapshot,
    status: string,
  ): Promise<boolean> {
    // Approval events only: a later lifecycle event says nothing about it.
    const latest = await this.latestOwnWrite(
      version,
      Object.values(ACTION_FOR_STATUS),
    );
    return !!latest && ACTION_FOR_STATUS[status] === latest.action;
  }

  /**
   * Our latest write of these actions on the version (in the portal, or by
   * an agent for a user through our actions), when it succeeded or is still
   * in flight: SageMaker sends its event as soon as our UpdateModelPackage
   * lands, before the request records its outcome, so an intent with no
   * outcome yet is ours too (the request, or the follow-up task if the
   * process dies, records it). Undefined when the latest write failed or
   * was denied.
   */
  private async latestOwnWrite(
    version: VersionSnapshot,
    actions: HistoryAction[],
  ): Promise<HistoryEvent | undefined> {
    const latest = await this.deps.store.latestOwnEvent(
      version.ModelPackageArn!,
      actions,
    );
    return latest?.outcome === 'succeeded' || latest?.outcome === 'requested'
      ? latest
      : undefined;
  }
}

/** A version's lifecycle as the sync state keeps it: `Stage/Status`, or `none`. */
function lifecycleState(version: VersionSnapshot): string {
  const lifecycle = toModelLifeCycle(version.ModelLifeCycle);
  return lifecycle ? `${lifecycle.stage}/${lifecycle.stageStatus}` : 'none';
}
