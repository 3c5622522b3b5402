import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  ApprovalRequest,
  ApprovalResponse,
  Deployment,
  DeploymentTargetsResponse,
  DeployRequest,
  EntityDeploymentsResponse,
  RollbackRequest,
  EntityEndpointsResponse,
  EntityModelGroupsResponse,
  EntityModelVersionsResponse,
  EndpointAtResponse,
  HistoryFacets,
  HistoryFilterQuery,
  HistoryPage,
  HistoryVerification,
  ListVersionsQuery,
  ModelVersionDetails,
  GeneratedPoliciesResponse,
  ReadinessReport,
  EvidenceGatesResponse,
  LifecycleOptionsResponse,
  LifecycleRequest,
  LifecycleResponse,
} from '@internal/backstage-plugin-sagemaker-common';

/**
 * Options of {@link SageMakerApi.listVersions}.
 *
 * @public
 */
export type ListVersionsOptions = Partial<ListVersionsQuery>;

/**
 * Options of {@link SageMakerApi.getVersion}.
 *
 * @public
 */
export interface GetVersionOptions {
  /** One of the entity's group ARNs; needed when it names several. */
  group?: string;
}

/**
 * Options of {@link SageMakerApi.deploy}.
 *
 * @public
 */
export interface DeployOptions {
  /**
   * The `Idempotency-Key` header: send the same key again to retry the same
   * deployment. A new UUID is made when it is left out.
   */
  idempotencyKey?: string;
}

/**
 * Options of {@link SageMakerApi.listHistory}.
 *
 * @public
 */
export interface ListHistoryOptions {
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * Filters of the organisation-wide history, as `GET /history` and
 * `GET /history/export` take them. Every filter is an exact match; `from` is
 * inclusive and `to` exclusive (ISO 8601 date-times). Empty strings count as
 * no filter.
 *
 * @public
 */
export type HistoryFilter = HistoryFilterQuery;

/**
 * Options of {@link SageMakerApi.queryHistory}: the filters plus paging.
 *
 * @public
 */
export interface QueryHistoryOptions extends HistoryFilter {
  /** 1 to 500; the backend's default is 100. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * The formats of {@link SageMakerApi.exportHistory}.
 *
 * @public
 */
export type HistoryExportFormat = 'csv' | 'json';

/**
 * A downloaded history export.
 *
 * @public
 */
export interface HistoryExportFile {
  /** From the response's `Content-Disposition`, e.g. `sagemaker-history-2026-06-01T12-00-00-000Z.csv`. */
  filename: string;
  blob: Blob;
}

/**
 * The question of {@link SageMakerApi.getEndpointAt}.
 *
 * @public
 */
export interface EndpointAtQuery {
  /** 12-digit AWS account ID. */
  account: string;
  region: string;
  endpoint: string;
  /** ISO 8601 date-time. */
  at: string;
}

export type { EntityDeploymentsResponse };

/**
 * Talks to the SageMaker backend plugin.
 *
 * @public
 */
export interface SageMakerApi {
  /** The deployment targets the caller may choose from. */
  listTargets(): Promise<DeploymentTargetsResponse>;

  /** The entity's model package groups, with counts and latest version. */
  listGroups(entity: CompoundEntityRef): Promise<EntityModelGroupsResponse>;

  /** A page of versions of each of the entity's groups (or of one group). */
  listVersions(
    entity: CompoundEntityRef,
    options?: ListVersionsOptions,
  ): Promise<EntityModelVersionsResponse>;

  /** Everything the registry knows about one version. */
  getVersion(
    entity: CompoundEntityRef,
    version: number,
    options?: GetVersionOptions,
  ): Promise<ModelVersionDetails>;

  /** Endpoints in the deployment targets that serve the entity's versions. */
  listEndpoints(entity: CompoundEntityRef): Promise<EntityEndpointsResponse>;

  /** Approves or rejects one version. */
  setApproval(
    entity: CompoundEntityRef,
    version: number,
    request: ApprovalRequest,
  ): Promise<ApprovalResponse>;

  /** Sets the lifecycle stage (ModelLifeCycle) of one version. */
  setLifecycle(
    entity: CompoundEntityRef,
    version: number,
    request: LifecycleRequest,
  ): Promise<LifecycleResponse>;

  /** The lifecycle stages and statuses users may set. */
  listLifecycleOptions(): Promise<LifecycleOptionsResponse>;

  /**
   * A target's evidence gates for one version, as a deploy by the caller
   * would meet them.
   */
  getEvidenceGates(
    entity: CompoundEntityRef,
    options: { target: string; version: number; group?: string },
  ): Promise<EvidenceGatesResponse>;

  /** Starts a deployment; follow it with {@link SageMakerApi.getDeployment}. */
  deploy(
    entity: CompoundEntityRef,
    request: DeployRequest,
    options?: DeployOptions,
  ): Promise<Deployment>;

  /**
   * Rolls an endpoint back to the version that served it before (the server
   * picks it); follow it with {@link SageMakerApi.getDeployment}.
   */
  rollback(
    entity: CompoundEntityRef,
    request: RollbackRequest,
    options?: DeployOptions,
  ): Promise<Deployment>;

  /** One deployment, as it is now. */
  getDeployment(id: string): Promise<Deployment>;

  /** The entity's recent deployments, newest first. */
  listDeployments(
    entity: CompoundEntityRef,
  ): Promise<EntityDeploymentsResponse>;

  /** A page of the entity's history, newest first. */
  listHistory(
    entity: CompoundEntityRef,
    options?: ListHistoryOptions,
  ): Promise<HistoryPage>;

  /**
   * A page of the organisation-wide history, newest first. Needs the
   * `sagemaker.history.read` permission (403 otherwise).
   */
  queryHistory(options?: QueryHistoryOptions): Promise<HistoryPage>;

  /**
   * Every event matching the filters, as the backend streams it, read into
   * a Blob with the file name the backend gave it.
   */
  exportHistory(
    filter: HistoryFilter,
    format: HistoryExportFormat,
  ): Promise<HistoryExportFile>;

  /** The entities, users, targets and endpoints the history names. */
  getHistoryFacets(): Promise<HistoryFacets>;

  /** Re-computes the history's hash chain. */
  verifyHistory(): Promise<HistoryVerification>;

  /**
   * What an endpoint served at a moment (the last successful deploy to it
   * at or before then), and who approved that version.
   */
  getEndpointAt(query: EndpointAtQuery): Promise<EndpointAtResponse>;

  /**
   * Preflight for an entity: every check a cross-account deploy needs, per
   * group and target, each ok, missing or unknown with its fix.
   */
  getReadiness(
    entity: CompoundEntityRef,
    options?: ReadinessOptions,
  ): Promise<ReadinessReport>;

  /** The organisation-wide readiness report (sagemaker.readiness.read). */
  getOrgReadiness(options?: {
    target?: string;
    fresh?: boolean;
  }): Promise<ReadinessReport>;

  /** The least-privilege policies an entity's deploys need. */
  getPolicies(
    entity: CompoundEntityRef,
    options?: { target?: string },
  ): Promise<GeneratedPoliciesResponse>;

  /** The policies every configured account and target needs. */
  getOrgPolicies(options?: {
    target?: string;
  }): Promise<GeneratedPoliciesResponse>;
}

/**
 * Options of {@link SageMakerApi.getReadiness}.
 *
 * @public
 */
export interface ReadinessOptions {
  target?: string;
  /** One of the entity's groups; needed with `version`. */
  group?: string;
  /** Check this version's artifacts instead of the group's newest. */
  version?: number;
  /** Read every fact again instead of using cached ones. */
  fresh?: boolean;
}

/**
 * The {@link SageMakerApi} of the app.
 *
 * @public
 */
export const sageMakerApiRef = createApiRef<SageMakerApi>({
  id: 'plugin.sagemaker.api',
});
