import {
  DescribeEndpointCommand,
  DescribeModelPackageCommandOutput,
  ModelPackageSummary,
} from '@aws-sdk/client-sagemaker';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getModelPackageGroupArnValues,
  HistoryAction,
  HistoryEvent,
  lifecycleComment,
  ModelLifeCycle,
  ModelPackageGroupArn,
  parseLifecycleComment,
  parseModelPackageGroupArn,
  SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION,
} from '@internal/backstage-plugin-sagemaker-common';
import { awsErrorDetails } from '../aws/errors';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { SageMakerStore } from '../database/SageMakerStore';
import {
  dedupeKeys,
  endpointSyncKey,
  lifecycleSyncKey,
  versionSyncKey,
} from './dedupeKeys';
import { HistoryRecorder } from './HistoryRecorder';
import { describeUser, toModelLifeCycle } from './mappers';

const ACTION_FOR_STATUS: Record<string, HistoryAction> = {
  Approved: 'approve',
  Rejected: 'reject',
  PendingManualApproval: 'reset-approval',
};

/**
 * Records changes made outside Backstage (SageMaker Studio, the CLI, a
 * pipeline): approval status changes of every version of every group a
 * catalog entity names, and status changes of the endpoints this plugin
 * deployed. It compares SageMaker with what it saw last time; the first
 * sight of a resource is a baseline, not an event. Events carry a dedupe
 * key, so a second run, or two replicas, record nothing twice.
 */
export class SyncTask {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      gateway: SageMakerGateway;
      store: SageMakerStore;
      history: HistoryRecorder;
      accountIds: ReadonlySet<string>;
      logger: LoggerService;
    },
  ) {}

  async run(): Promise<{ versions: number; endpoints: number }> {
    const versions = await this.syncApprovals();
    const endpoints = await this.syncEndpoints();
    return { versions, endpoints };
  }

  private async syncApprovals(): Promise<number> {
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
    let recorded = 0;
    for (const entity of items) {
      const entityRef = stringifyEntityRef(entity);
      for (const value of getModelPackageGroupArnValues(entity)) {
        const group = parseModelPackageGroupArn(value);
        if (!group || !this.deps.accountIds.has(group.accountId)) {
          continue;
        }
        try {
          recorded += await this.syncGroup(entityRef, group);
        } catch (error) {
          this.deps.logger.warn(
            `Sync of ${group.arn} for ${entityRef} failed: ${
              awsErrorDetails(error).message
            }`,
          );
        }
      }
    }
    return recorded;
  }

  private async syncGroup(
    entityRef: string,
    group: ModelPackageGroupArn,
  ): Promise<number> {
    const versions = await this.deps.gateway.listAllVersions(group);

    const keys = versions.map(v =>
      versionSyncKey(entityRef, v.ModelPackageArn!),
    );
    const seen = await this.deps.store.getSyncState(keys);
    // A version changed outside in both its approval and its stage is
    // described once for both records.
    const described = new Map<
      string,
      Promise<DescribeModelPackageCommandOutput>
    >();
    const describe = (arn: string) => {
      if (!described.has(arn)) {
        described.set(arn, this.deps.gateway.describeModelPackage(group, arn));
      }
      return described.get(arn)!;
    };
    let recorded = 0;
    for (const [i, version] of versions.entries()) {
      const status = version.ModelApprovalStatus ?? 'PendingManualApproval';
      const before = seen.get(keys[i]);
      if (before === status) {
        continue;
      }
      if (before !== undefined && (await this.changedHere(version, status))) {
        await this.deps.store.setSyncState(keys[i], status);
        continue;
      }
      if (before !== undefined) {
        const now = await describe(version.ModelPackageArn!);
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
            stateKey: keys[i],
            status,
            changedAt,
          }),
        });
        if (event) {
          recorded += 1;
        }
      }
      await this.deps.store.setSyncState(keys[i], status);
    }
    return (
      recorded +
      (await this.syncLifecycles(entityRef, group, versions, describe))
    );
  }

  /**
   * Lifecycle stage changes made outside Backstage, compared with what the
   * sync saw last (`Stage/Status`, or `none`), as approvals are.
   */
  private async syncLifecycles(
    entityRef: string,
    group: ModelPackageGroupArn,
    versions: ModelPackageSummary[],
    describe: (arn: string) => Promise<DescribeModelPackageCommandOutput>,
  ): Promise<number> {
    const keys = versions.map(v =>
      lifecycleSyncKey(entityRef, v.ModelPackageArn!),
    );
    const seen = await this.deps.store.getSyncState(keys);
    let recorded = 0;
    for (const [i, version] of versions.entries()) {
      const lifecycle = toModelLifeCycle(version.ModelLifeCycle);
      const now = lifecycle
        ? `${lifecycle.stage}/${lifecycle.stageStatus}`
        : 'none';
      const before = seen.get(keys[i]);
      if (before === now) {
        continue;
      }
      if (
        before !== undefined &&
        lifecycle &&
        !(await this.lifecycleChangedHere(version, lifecycle))
      ) {
        const described = await describe(version.ModelPackageArn!);
        const changedAt = (
          described.LastModifiedTime ?? new Date()
        ).toISOString();
        const event = await this.deps.history.record({
          actor:
            describeUser(described.LastModifiedBy) ?? 'unknown (SageMaker)',
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
            stateKey: keys[i],
            lifecycle: now,
            changedAt,
          }),
        });
        if (event) {
          recorded += 1;
        }
      }
      await this.deps.store.setSyncState(keys[i], now);
    }
    return recorded;
  }

  /** Whether our own latest successful lifecycle event explains the stage. */
  private async lifecycleChangedHere(
    version: ModelPackageSummary,
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
    version: ModelPackageSummary,
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
    version: ModelPackageSummary,
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
          continue;
        }
      }
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
        if (event) {
          recorded += 1;
        }
      }
      if (before !== status) {
        await this.deps.store.setSyncState(key, status);
      }
    }
    return recorded;
  }
}
