import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Deployment,
  GENESIS_HASH,
  HistoryAction,
  HistoryFacets,
  HISTORY_FIELDS,
  HistoryChainVerifier,
  HistoryField,
  HistoryRecord,
  HistorySigningKey,
  HistoryVerification,
  sealHistoryRecord,
  toHistoryRecord,
} from '@internal/backstage-plugin-sagemaker-common';
import { Knex } from 'knex';
import { EventRow, recordToRow, rowToRecord } from './historyRows';
import { nodeHistoryDigest } from './nodeHistoryDigest';
import {
  HistoryFilter,
  DeploymentPatch,
  NewDeployment,
  NewHistoryEvent,
  SageMakerStore,
} from './SageMakerStore';

const EVENTS = 'sagemaker_history_events';
const DEPLOYMENTS = 'sagemaker_deployments';

const migrationsDir = resolvePackagePath(
  '@internal/backstage-plugin-sagemaker-backend',
  'migrations',
);

type DeploymentRow = {
  id: string;
  requested_by: string;
  requested_via?: string | null;
  idempotency_key: string | null;
  request_hash: string;
  entity_ref: string;
  group_arn: string;
  version_arn: string;
  version: number;
  target: string;
  account_id: string;
  region: string;
  endpoint_name: string;
  instance_type: string;
  instance_count: number;
  mode: string;
  status: string;
  phase: string;
  endpoint_status: string | null;
  traffic?: string | null;
  rollback_of?: string | null;
  model_name: string | null;
  endpoint_config_name: string | null;
  error_code: string | null;
  error_message: string | null;
  error_request_id: string | null;
  active_endpoint: string | null;
  claimed_until: string | null;
  claimed_by?: string | null;
  created_at: string;
  updated_at: string;
};

const orUndefined = <T>(value: T | null): T | undefined =>
  value === null ? undefined : value;

function rowToDeployment(row: DeploymentRow): Deployment {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    groupArn: row.group_arn,
    versionArn: row.version_arn,
    version: Number(row.version),
    target: row.target,
    accountId: row.account_id,
    region: row.region,
    endpointName: row.endpoint_name,
    instanceType: row.instance_type,
    instanceCount: Number(row.instance_count),
    mode: row.mode as Deployment['mode'],
    status: row.status as Deployment['status'],
    phase: row.phase as Deployment['phase'],
    endpointStatus: orUndefined(row.endpoint_status),
    traffic: row.traffic ? JSON.parse(row.traffic) : undefined,
    modelName: orUndefined(row.model_name),
    endpointConfigName: orUndefined(row.endpoint_config_name),
    error: row.error_code
      ? {
          code: row.error_code,
          message: row.error_message ?? '',
          requestId: orUndefined(row.error_request_id),
        }
      : undefined,
    requestedBy: row.requested_by,
    requestedVia: row.requested_via === 'agent' ? 'agent' : undefined,
    rollbackOf: orUndefined(row.rollback_of ?? null),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed|duplicate key/i.test(e?.message ?? '')
  );
}

const now = () => new Date().toISOString();

/**
 * The PostgreSQL advisory lock that serializes history appends across
 * replicas (an arbitrary constant, unique to this table's chain).
 */
const HISTORY_APPEND_LOCK = 0x5a6e4869;

/**
 * The knex store: SQLite by default, PostgreSQL in production.
 */
export class DatabaseSageMakerStore implements SageMakerStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
    /** The first signs new events; all verify. None: unkeyed version 1. */
    signingKeys?: HistorySigningKey[];
  }): Promise<DatabaseSageMakerStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseSageMakerStore(client, options.signingKeys ?? []);
  }

  constructor(
    private readonly db: Knex,
    private readonly signingKeys: readonly HistorySigningKey[] = [],
  ) {}

  async appendEvent(
    event: NewHistoryEvent,
  ): Promise<HistoryRecord | undefined> {
    if (this.db.client.config.client === 'pg') {
      return this.appendLocked(event);
    }
    // SQLite: appends race on the unique seq and prev_hash; the loser re-reads
    // the tail and tries again, so the chain never forks. (One process writes
    // a SQLite file, so the race is between this process's own appends.)
    for (let attempt = 0; ; attempt++) {
      const tail = await this.db<EventRow>(EVENTS)
        .orderBy('seq', 'desc')
        .first('seq', 'hash');
      const record = await this.seal(event, tail);
      try {
        await this.db<EventRow>(EVENTS).insert(recordToRow(record));
        return record;
      } catch (error) {
        if (!isUniqueViolation(error)) {
          throw error;
        }
        if (
          event.dedupeKey &&
          (await this.db(EVENTS).where({ dedupe_key: event.dedupeKey }).first())
        ) {
          return undefined;
        }
        if (attempt >= 50) {
          throw error;
        }
        await new Promise(r =>
          setTimeout(r, Math.random() * 10 * (attempt + 1)),
        );
      }
    }
  }

  /**
   * PostgreSQL: every replica's appends queue on one transaction-scoped
   * advisory lock, so each reads the tail the previous one wrote. Nothing
   * races and nothing retries; the dedupe key is checked under the lock.
   */
  private async appendLocked(
    event: NewHistoryEvent,
  ): Promise<HistoryRecord | undefined> {
    return this.db.transaction(async tx => {
      await tx.raw('select pg_advisory_xact_lock(?)', [HISTORY_APPEND_LOCK]);
      if (
        event.dedupeKey &&
        (await tx(EVENTS).where({ dedupe_key: event.dedupeKey }).first('seq'))
      ) {
        return undefined;
      }
      const tail = await tx<EventRow>(EVENTS)
        .orderBy('seq', 'desc')
        .first('seq', 'hash');
      const record = await this.seal(event, tail);
      await tx<EventRow>(EVENTS).insert(recordToRow(record));
      return record;
    });
  }

  private async seal(
    event: NewHistoryEvent,
    tail: Pick<EventRow, 'seq' | 'hash'> | undefined,
  ): Promise<HistoryRecord> {
    const sealed = await sealHistoryRecord(
      {
        ...event,
        at: event.at ?? now(),
        seq: tail ? Number(tail.seq) + 1 : 1,
        prevHash: tail?.hash ?? GENESIS_HASH,
      },
      this.signingKeys,
      nodeHistoryDigest,
    );
    return toHistoryRecord(field => sealed[field]);
  }

  async findEventByDedupeKey(
    dedupeKey: string,
  ): Promise<HistoryRecord | undefined> {
    const row = await this.db<EventRow>(EVENTS)
      .where({ dedupe_key: dedupeKey })
      .first();
    return row ? rowToRecord(row) : undefined;
  }

  async listEntityEvents(
    entityRef: string,
    options: { limit: number; beforeSeq?: number },
  ): Promise<HistoryRecord[]> {
    let query = this.db<EventRow>(EVENTS)
      .where({ entity_ref: entityRef })
      .orderBy('seq', 'desc')
      .limit(options.limit);
    if (options.beforeSeq !== undefined) {
      query = query.where('seq', '<', options.beforeSeq);
    }
    return (await query).map(row => rowToRecord(row));
  }

  async queryEvents(
    filter: HistoryFilter,
    options: { limit: number; beforeSeq?: number },
  ): Promise<HistoryRecord[]> {
    const exact = [
      'entityRef',
      'actor',
      'action',
      'outcome',
      'source',
      'target',
      'accountId',
      'region',
      'endpointName',
      'versionArn',
    ] as const satisfies ReadonlyArray<keyof HistoryFilter & HistoryField>;
    let query = this.db<EventRow>(EVENTS)
      .orderBy('seq', 'desc')
      .limit(options.limit);
    for (const field of exact) {
      if (filter[field] !== undefined) {
        query = query.where(HISTORY_FIELDS[field].column, filter[field]!);
      }
    }
    const suffixes: Array<[string | undefined, string]> = [
      [filter.entityRefSuffix, HISTORY_FIELDS.entityRef.column],
      [filter.actorSuffix, HISTORY_FIELDS.actor.column],
    ];
    for (const [suffix, column] of suffixes) {
      if (suffix !== undefined) {
        // LIKE with the wildcards of the value escaped, on both databases.
        const pattern = `%${suffix.replace(/[\\%_]/g, c => `\\${c}`)}`;
        query = query.whereRaw(`?? like ? escape '\\'`, [column, pattern]);
      }
    }
    if (filter.from) query = query.where('at', '>=', filter.from);
    if (filter.to) query = query.where('at', '<', filter.to);
    if (options.beforeSeq !== undefined) {
      query = query.where('seq', '<', options.beforeSeq);
    }
    return (await query).map(row => rowToRecord(row));
  }

  async historyFacets(limit: number): Promise<HistoryFacets> {
    const distinct = async (column: string) =>
      (
        await this.db(EVENTS)
          .distinct(column)
          .whereNotNull(column)
          .orderBy(column)
          .limit(limit)
      ).map(row => String(row[column]));
    const [entities, actors, targets, endpoints] = await Promise.all([
      distinct('entity_ref'),
      distinct('actor'),
      distinct('target'),
      this.db(EVENTS)
        .distinct('account_id', 'region', 'endpoint_name')
        .whereNotNull('endpoint_name')
        .orderBy(['endpoint_name', 'account_id', 'region'])
        .limit(limit),
    ]);
    return {
      entities,
      actors,
      targets,
      endpoints: endpoints.map(row => ({
        accountId: row.account_id,
        region: row.region,
        endpointName: row.endpoint_name,
      })),
    };
  }

  async getSyncState(keys: string[]): Promise<Map<string, string>> {
    const state = new Map<string, string>();
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await this.db('sagemaker_sync_state')
        .whereIn('resource_key', keys.slice(i, i + 500))
        .select('resource_key', 'status');
      for (const row of rows) {
        state.set(row.resource_key, row.status);
      }
    }
    return state;
  }

  async setSyncState(key: string, status: string): Promise<void> {
    await this.db('sagemaker_sync_state')
      .insert({ resource_key: key, status, seen_at: now() })
      .onConflict('resource_key')
      .merge(['status', 'seen_at']);
  }

  async listUnfinishedApprovals(olderThan: string): Promise<HistoryRecord[]> {
    const rows = await this.db<EventRow>(`${EVENTS} as r`)
      .whereIn('r.action', ['approve', 'reject', 'lifecycle'])
      .andWhere('r.outcome', 'requested')
      .whereIn('r.source', ['backstage', 'agent'])
      .andWhere('r.at', '<', olderThan)
      .whereNotExists(
        this.db(`${EVENTS} as o`)
          .whereRaw('o.version_arn = r.version_arn')
          .andWhereRaw('o.action = r.action')
          .andWhereRaw('o.seq > r.seq')
          .whereIn('o.outcome', ['succeeded', 'failed', 'denied']),
      )
      .orderBy('r.seq', 'asc')
      .select('r.*');
    return rows.map(row => rowToRecord(row));
  }

  async latestOwnEvent(
    versionArn: string,
    actions: HistoryAction[],
  ): Promise<HistoryRecord | undefined> {
    const row = await this.db<EventRow>(EVENTS)
      .where(HISTORY_FIELDS.versionArn.column, versionArn)
      .whereIn(HISTORY_FIELDS.action.column, actions)
      .whereIn(HISTORY_FIELDS.source.column, ['backstage', 'agent'])
      .orderBy('seq', 'desc')
      .first();
    return row ? rowToRecord(row) : undefined;
  }

  async verifyChain(): Promise<HistoryVerification> {
    const verifier = new HistoryChainVerifier(this.signingKeys, {
      complete: true,
      digest: nodeHistoryDigest,
    });
    const pageSize = 1000;
    for (let afterSeq = 0; ; ) {
      const rows = await this.db<EventRow>(EVENTS)
        .where('seq', '>', afterSeq)
        .orderBy('seq', 'asc')
        .limit(pageSize);
      for (const row of rows) {
        if (await verifier.add(rowToRecord(row))) {
          return verifier.result();
        }
      }
      if (rows.length < pageSize) {
        return verifier.result();
      }
      afterSeq = Number(rows[rows.length - 1].seq);
    }
  }

  async createDeployment(deployment: NewDeployment): Promise<{
    created: boolean;
    deployment: Deployment;
    requestHash: string;
  }> {
    const at = now();
    const row: DeploymentRow = {
      id: deployment.id,
      requested_by: deployment.requestedBy,
      requested_via: deployment.requestedVia ?? null,
      rollback_of: deployment.rollbackOf ?? null,
      idempotency_key: deployment.idempotencyKey ?? null,
      request_hash: deployment.requestHash,
      entity_ref: deployment.entityRef,
      group_arn: deployment.groupArn,
      version_arn: deployment.versionArn,
      version: deployment.version,
      target: deployment.target,
      account_id: deployment.accountId,
      region: deployment.region,
      endpoint_name: deployment.endpointName,
      instance_type: deployment.instanceType,
      instance_count: deployment.instanceCount,
      mode: deployment.mode,
      status: 'in-progress',
      phase: 'model',
      endpoint_status: null,
      model_name: deployment.modelName ?? null,
      endpoint_config_name: deployment.endpointConfigName ?? null,
      error_code: null,
      error_message: null,
      error_request_id: null,
      active_endpoint: `${deployment.accountId}:${deployment.region}:${deployment.endpointName}`,
      claimed_until: null,
      created_at: at,
      updated_at: at,
    };
    try {
      await this.db<DeploymentRow>(DEPLOYMENTS).insert(row);
      return {
        created: true,
        deployment: rowToDeployment(row),
        requestHash: row.request_hash,
      };
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      if (deployment.idempotencyKey) {
        const existing = await this.db<DeploymentRow>(DEPLOYMENTS)
          .where({
            requested_by: deployment.requestedBy,
            idempotency_key: deployment.idempotencyKey,
          })
          .first();
        if (existing) {
          return {
            created: false,
            deployment: rowToDeployment(existing),
            requestHash: existing.request_hash,
          };
        }
      }
      throw new ConflictError(
        `Endpoint ${deployment.endpointName} in account ${deployment.accountId} (${deployment.region}) already has a deployment in progress`,
      );
    }
  }

  async getDeployment(id: string): Promise<Deployment | undefined> {
    const row = await this.db<DeploymentRow>(DEPLOYMENTS).where({ id }).first();
    return row ? rowToDeployment(row) : undefined;
  }

  async findDeploymentByKey(
    requestedBy: string,
    idempotencyKey: string,
  ): Promise<{ deployment: Deployment; requestHash: string } | undefined> {
    const row = await this.db<DeploymentRow>(DEPLOYMENTS)
      .where({ requested_by: requestedBy, idempotency_key: idempotencyKey })
      .first();
    return row
      ? { deployment: rowToDeployment(row), requestHash: row.request_hash }
      : undefined;
  }

  async listEntityDeployments(
    entityRef: string,
    limit: number,
  ): Promise<Deployment[]> {
    const rows = await this.db<DeploymentRow>(DEPLOYMENTS)
      .where({ entity_ref: entityRef })
      .orderBy('created_at', 'desc')
      .limit(limit);
    return rows.map(rowToDeployment);
  }

  async listDeployedEndpoints() {
    const rows = await this.db<DeploymentRow>(DEPLOYMENTS)
      .whereIn('status', ['succeeded', 'in-progress'])
      .orderBy('created_at', 'asc')
      .select(
        'entity_ref',
        'target',
        'account_id',
        'region',
        'endpoint_name',
        'status',
      );
    const latest = new Map<string, (typeof rows)[number]>();
    const busy = new Set<string>();
    for (const row of rows) {
      const key = `${row.account_id}:${row.region}:${row.endpoint_name}`;
      if (row.status === 'in-progress') {
        // Our own deployment is changing it: not a change made elsewhere.
        busy.add(key);
      } else {
        latest.set(key, row);
      }
    }
    for (const key of busy) {
      latest.delete(key);
    }
    return [...latest.values()].map(row => ({
      entityRef: row.entity_ref,
      target: row.target,
      accountId: row.account_id,
      region: row.region,
      endpointName: row.endpoint_name,
    }));
  }

  async updateDeployment(
    id: string,
    patch: DeploymentPatch,
  ): Promise<Deployment> {
    const update: Partial<DeploymentRow> = { updated_at: now() };
    if (patch.status !== undefined) {
      update.status = patch.status;
      if (patch.status !== 'in-progress') {
        update.active_endpoint = null;
        update.claimed_until = null;
        update.claimed_by = null;
      }
    }
    if (patch.phase !== undefined) update.phase = patch.phase;
    if (patch.endpointStatus !== undefined)
      update.endpoint_status = patch.endpointStatus;
    if (patch.traffic !== undefined) {
      update.traffic = JSON.stringify(patch.traffic);
    }
    if (patch.status !== undefined && patch.status !== 'in-progress') {
      update.traffic = null;
    }
    if (patch.modelName !== undefined) update.model_name = patch.modelName;
    if (patch.endpointConfigName !== undefined)
      update.endpoint_config_name = patch.endpointConfigName;
    if (patch.error !== undefined) {
      update.error_code = patch.error.code;
      update.error_message = patch.error.message;
      update.error_request_id = patch.error.requestId ?? null;
    }
    await this.db<DeploymentRow>(DEPLOYMENTS).where({ id }).update(update);
    const updated = await this.getDeployment(id);
    if (!updated) {
      throw new NotFoundError(`Deployment ${id} was not found`);
    }
    return updated;
  }

  async claimDeployment(
    id: string,
    leaseMs: number,
    owner: string,
  ): Promise<boolean> {
    const at = now();
    const count = await this.db<DeploymentRow>(DEPLOYMENTS)
      .where({ id, status: 'in-progress' })
      .andWhere(q =>
        q.whereNull('claimed_until').orWhere('claimed_until', '<', at),
      )
      .update({
        claimed_until: new Date(Date.now() + leaseMs).toISOString(),
        claimed_by: owner,
      });
    return count === 1;
  }

  async extendLease(
    id: string,
    leaseMs: number,
    owner: string,
  ): Promise<boolean> {
    const count = await this.db<DeploymentRow>(DEPLOYMENTS)
      .where({ id, status: 'in-progress', claimed_by: owner })
      .update({
        claimed_until: new Date(Date.now() + leaseMs).toISOString(),
      });
    return count === 1;
  }

  async releaseDeployment(id: string, owner: string): Promise<void> {
    await this.db<DeploymentRow>(DEPLOYMENTS)
      .where({ id, claimed_by: owner })
      .update({ claimed_until: null, claimed_by: null });
  }

  async listClaimableDeployments(): Promise<Deployment[]> {
    const at = now();
    const rows = await this.db<DeploymentRow>(DEPLOYMENTS)
      .where({ status: 'in-progress' })
      .andWhere(q =>
        q.whereNull('claimed_until').orWhere('claimed_until', '<', at),
      )
      .orderBy('created_at', 'asc');
    return rows.map(rowToDeployment);
  }
}
