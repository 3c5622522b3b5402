import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getModelPackageGroupArnValues,
  ModelPackageGroupArn,
  parseModelPackageArn,
  parseModelPackageGroupArn,
  SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION,
} from '@internal/backstage-plugin-sagemaker-common';
import { awsErrorDetails } from '../../aws/errors';
import { SageMakerGateway } from '../../aws/SageMakerGateway';
import { SageMakerStore } from '../../database/SageMakerStore';
import { groupSyncKey, searchCursorKey, versionSyncKey } from '../dedupeKeys';
import { EndpointChangeRecorder } from './EndpointChangeRecorder';
import { VersionChangeRecorder } from './VersionChangeRecorder';

/** How long the catalog's answer "which entities name which groups" is reused for events. */
const ENTITY_INDEX_TTL_MS = 30_000;

/** A catalog entity naming a model package group. */
interface NamedGroup {
  entityRef: string;
  group: ModelPackageGroupArn;
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
 * endpoints this plugin deployed. It decides what to read and when; the
 * rules for what is recorded are the {@link VersionChangeRecorder}'s and the
 * {@link EndpointChangeRecorder}'s. The first sight of a group is a
 * baseline, not an event. Events carry a dedupe key, so a second run, two
 * replicas, or the SageMaker events (which come in through
 * {@link SyncTask.syncVersionHint} and {@link SyncTask.syncEndpointHint})
 * record nothing twice.
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
      gateway: Pick<
        SageMakerGateway,
        | 'describeModelPackage'
        | 'listAllVersions'
        | 'searchVersionsModifiedSince'
      >;
      store: Pick<
        SageMakerStore,
        'getSyncState' | 'setSyncState' | 'listDeployedEndpoints'
      >;
      versions: VersionChangeRecorder;
      endpoints: EndpointChangeRecorder;
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
    result.endpoints = await this.deps.endpoints.syncEndpoints();
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
      recorded += await this.deps.versions.syncVersions(
        entityRef,
        group,
        [now],
        true,
        true,
      );
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
      matched.push({
        target: d.target,
        recorded: await this.deps.endpoints.syncEndpoint(d),
      });
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
            result.versions += await this.deps.versions.syncVersions(
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
    const recorded = await this.deps.versions.syncVersions(
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
}
