import { ModelReport, ModelReportState } from './modelReports';
import { ModelCardView } from './modelCard';

/**
 * The approval states of a model package version.
 *
 * @public
 */
export const MODEL_APPROVAL_STATUSES = [
  'Approved',
  'Rejected',
  'PendingManualApproval',
] as const;

/**
 * The approval status of a model package version.
 *
 * @public
 */
export type ModelApprovalStatus = (typeof MODEL_APPROVAL_STATUSES)[number];

/**
 * One version of a model package group, with the fields a card shows.
 *
 * @public
 */
export interface ModelVersionSummary {
  arn: string;
  groupName: string;
  version: number;
  approvalStatus: ModelApprovalStatus;
  /** The package status (Pending, InProgress, Completed, Failed, Deleting). */
  packageStatus?: string;
  description?: string;
  /** ISO 8601. */
  createdAt: string;
  /** Who registered it: a Studio user profile or an IAM identity. */
  createdBy?: string;
  /**
   * Numeric metrics: the model quality report's (ModelMetrics in S3) and the
   * customer metadata's (accuracy, auc, f1…); the report's value wins.
   */
  metrics: Record<string, number>;
  /**
   * Where each metric came from: the report, the customer metadata, or both
   * (then `metrics` holds the report's value). Absent for metadata only.
   */
  metricSources?: Record<string, MetricSource>;
  /** The metrics a card shows first: the group's configured ones, or the problem type's. */
  keyMetrics?: string[];
  /**
   * The model quality report a card reads its metrics from, when the version
   * has one: how reading it ended, and why when it failed.
   */
  report?: { state: ModelReportState; message?: string };
  /** Container images of the inference specification. */
  images: string[];
  /** Instance types the version supports for real-time inference. */
  realtimeInstanceTypes: string[];
  /** SageMaker's ModelLifeCycle stage, when one is set. */
  modelLifeCycle?: ModelLifeCycle;
}

/**
 * SageMaker's ModelLifeCycle of a version: a stage, its status, and an
 * optional description.
 *
 * @public
 */
export interface ModelLifeCycle {
  stage: string;
  stageStatus: string;
  stageDescription?: string;
}

/**
 * The versions of one model package group named by an entity.
 *
 * @public
 */
export interface ModelPackageGroupVersions {
  groupArn: string;
  groupName: string;
  accountId: string;
  region: string;
  versions: ModelVersionSummary[];
  /** Opaque cursor for the next page, absent on the last page. */
  nextCursor?: string;
}

/**
 * The response of `GET /entities/:kind/:namespace/:name/versions`.
 *
 * @public
 */
export interface EntityModelVersionsResponse {
  entityRef: string;
  groups: ModelPackageGroupVersions[];
}

/**
 * One model package group an entity names, summarised.
 *
 * @public
 */
export interface ModelPackageGroupSummary {
  groupArn: string;
  groupName: string;
  accountId: string;
  region: string;
  description?: string;
  createdAt?: string;
  /** The newest version, if any. */
  latestVersion?: {
    version: number;
    approvalStatus: ModelApprovalStatus;
    createdAt: string;
  };
  /** How many versions are in each approval state. */
  counts: Record<ModelApprovalStatus, number>;
  total: number;
}

/**
 * The response of `GET /entities/:kind/:namespace/:name/groups`.
 *
 * @public
 */
export interface EntityModelGroupsResponse {
  entityRef: string;
  groups: ModelPackageGroupSummary[];
}

/**
 * Everything the registry knows about one version.
 *
 * @public
 */
export interface ModelVersionDetails extends ModelVersionSummary {
  groupArn: string;
  accountId: string;
  region: string;
  containers: Array<{
    image?: string;
    /** The container's environment variables, as registered. */
    environment?: Record<string, string>;
    imageDigest?: string;
    modelDataUrl?: string;
    framework?: string;
    frameworkVersion?: string;
    nearestModelName?: string;
  }>;
  supportedContentTypes: string[];
  supportedResponseMimeTypes: string[];
  transformInstanceTypes: string[];
  /**
   * The ModelMetrics and DriftCheckBaselines reports, by kind (e.g.
   * `ModelQuality.Statistics`), each read from S3 with what it holds or why
   * it could not be read.
   */
  metricsReports: ModelReport[];
  /** The version's model card, when it has one. */
  modelCard?: ModelCardView;
  /** Where the version came from. */
  lineage: ModelVersionLineage;
  /** All customer metadata, as stored (strings). */
  customerMetadata: Record<string, string>;
  approvalDescription?: string;
  lastModifiedBy?: string;
  lastModifiedAt?: string;
  domain?: string;
  task?: string;
  samplePayloadUrl?: string;
}

/**
 * Where a metric of a version came from.
 *
 * @public
 */
export type MetricSource = 'report' | 'metadata' | 'both';

/**
 * A link to the AWS console, built from the account and region.
 *
 * @public
 */
export interface ConsoleLink {
  label: string;
  url: string;
}

/**
 * Where a version came from: MetadataProperties, the source algorithms and
 * the drift check baselines, with console links.
 *
 * @public
 */
export interface ModelVersionLineage {
  commitId?: string;
  repository?: string;
  generatedBy?: string;
  projectId?: string;
  sourceAlgorithms: Array<{
    algorithmName: string;
    modelDataUrl?: string;
  }>;
  /** DriftCheckBaselines, by kind (e.g. `ModelQuality.Constraints`). */
  driftCheckBaselines: Array<{ kind: string; s3Uri: string }>;
  links: ConsoleLink[];
}

/**
 * A SageMaker endpoint in a deployment target that serves versions of an
 * entity.
 *
 * @public
 */
export interface ModelEndpoint {
  /** The configured target the endpoint's account and region belong to. */
  target: string;
  accountId: string;
  region: string;
  endpointName: string;
  endpointArn: string;
  /** Creating, Updating, InService, Failed, … */
  status: string;
  failureReason?: string;
  createdAt?: string;
  lastModifiedAt?: string;
  variants: Array<{
    variantName: string;
    modelName: string;
    instanceType?: string;
    instanceCount?: number;
    /** The model package version the variant serves, when it serves one. */
    versionArn?: string;
    groupName?: string;
    version?: number;
  }>;
}

/**
 * The response of `GET /entities/:kind/:namespace/:name/endpoints`.
 *
 * @public
 */
export interface EntityEndpointsResponse {
  entityRef: string;
  endpoints: ModelEndpoint[];
  /**
   * Targets whose discovery of endpoints made outside Backstage stopped at
   * its bound: an endpoint serving the entity there may be missing.
   */
  discoveryTruncated: string[];
}

/**
 * A share of an endpoint's fleet, as SageMaker's CapacitySize.
 *
 * @public
 */
export interface CapacitySize {
  type: 'INSTANCE_COUNT' | 'CAPACITY_PERCENT';
  value: number;
}

/**
 * How an update of an existing endpoint moves traffic to the new fleet
 * (SageMaker deployment guardrails), from the target's `deploymentConfig`.
 * Durations are in seconds, as UpdateEndpoint takes them. A new endpoint has
 * no traffic to shift.
 *
 * @public
 */
export interface DeploymentGuardrails {
  blueGreen?: {
    trafficRouting: 'ALL_AT_ONCE' | 'CANARY' | 'LINEAR';
    canarySize?: CapacitySize;
    linearStepSize?: CapacitySize;
    /** The baking period after each traffic shift. */
    waitIntervalSeconds: number;
    terminationWaitSeconds?: number;
    maximumExecutionTimeoutSeconds?: number;
  };
  rollingUpdate?: {
    maximumBatchSize: CapacitySize;
    waitIntervalSeconds: number;
    maximumExecutionTimeoutSeconds?: number;
    rollbackMaximumBatchSize?: CapacitySize;
  };
  /** CloudWatch alarms in the target account that roll an update back. */
  autoRollbackAlarms: string[];
}

/**
 * The size of a target's serverless endpoints (ProductionVariant
 * ServerlessConfig).
 *
 * @public
 */
export interface ServerlessSettings {
  memorySizeInMB: number;
  maxConcurrency: number;
}

/**
 * A deployment target, as the browser may see it: no execution role, VPC or
 * KMS key.
 *
 * @public
 */
export interface DeploymentTargetInfo {
  name: string;
  title: string;
  accountId: string;
  region: string;
  instanceTypes: string[];
  maxInstanceCount: number;
  /** Targets the same version must already be InService on. */
  requires: string[];
  /** How an update shifts traffic; absent: all at once, no baking. */
  deploymentConfig?: DeploymentGuardrails;
  /** Set when the target is serverless: no instance type or count. */
  serverless?: ServerlessSettings;
}

/**
 * The response of `GET /targets`.
 *
 * @public
 */
export interface DeploymentTargetsResponse {
  targets: DeploymentTargetInfo[];
}

/**
 * The body of `POST /entities/:kind/:namespace/:name/versions/:version/approval`.
 *
 * @public
 */
export interface ApprovalRequest {
  /** One of the entity's group ARNs; required when it names several. */
  group?: string;
  status: 'Approved' | 'Rejected';
  /** Required to reject. */
  comment?: string;
}

/**
 * The response of an approval: the version as it is now, and the recorded event.
 *
 * @public
 */
export interface ApprovalResponse {
  version: ModelVersionDetails;
  event: HistoryEvent;
}

/**
 * The body of `POST /entities/:kind/:namespace/:name/deployments`. It never
 * carries an execution role, VPC, KMS key or account: those come from the
 * target's configuration. Send an `Idempotency-Key` header so that a retried
 * request is the same deployment.
 *
 * @public
 */
export interface DeployRequest {
  group?: string;
  version: number;
  /** A configured deployment target's name. */
  target: string;
  endpointName: string;
  /** Required, except on a serverless target, which takes none. */
  instanceType?: string;
  instanceCount?: number;
}

/**
 * Where a deployment is.
 * - `model`, `endpoint-config`, `endpoint`: creating that resource;
 * - `waiting`: the endpoint is Creating or Updating;
 * - `done`: finished (see `status`).
 *
 * @public
 */
export type DeploymentPhase =
  | 'model'
  | 'endpoint-config'
  | 'endpoint'
  | 'waiting'
  | 'done';

/**
 * The phase of a guarded update, from DescribeEndpoint's
 * PendingDeploymentSummary (the new variant's VariantStatus).
 *
 * @public
 */
export interface DeploymentTraffic {
  /** `Creating`, `ActivatingTraffic`, `Baking`, … as SageMaker reports it. */
  status: string;
  /** SageMaker's StatusMessage, e.g. the share of traffic shifted. */
  message?: string;
  /** When the phase started (ISO 8601). */
  startedAt?: string;
  /**
   * While the new fleet bakes: when the bake ends (ISO 8601), from the
   * phase's start and the target's configured wait interval.
   */
  bakeEndsAt?: string;
}

/**
 * A deployment of one version to one target's endpoint.
 *
 * @public
 */
export interface Deployment {
  id: string;
  entityRef: string;
  groupArn: string;
  versionArn: string;
  version: number;
  target: string;
  accountId: string;
  region: string;
  endpointName: string;
  /** The instance type, or `serverless` on a serverless target. */
  instanceType: string;
  /** The initial instance count; 0 on a serverless target. */
  instanceCount: number;
  /** `create` for a new endpoint, `update` for an existing one. */
  mode: 'create' | 'update';
  status: 'in-progress' | 'succeeded' | 'failed';
  phase: DeploymentPhase;
  /** SageMaker's endpoint status, once the endpoint call was made. */
  endpointStatus?: string;
  /** Where a guarded update's traffic shifting is, while it runs. */
  traffic?: DeploymentTraffic;
  modelName?: string;
  endpointConfigName?: string;
  error?: { code: string; message: string; requestId?: string };
  requestedBy: string;
  /**
   * `agent` when an agent requested it for the user through the plugin's
   * actions; its history events then have that source.
   */
  requestedVia?: 'agent';
  /** The deployment this one rolls back, when it is a rollback. */
  rollbackOf?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * The response of `GET /entities/:kind/:namespace/:name/deployments`.
 *
 * @public
 */
export interface EntityDeploymentsResponse {
  deployments: Deployment[];
  /** For each endpoint that served an earlier version, going back to it. */
  rollbacks?: RollbackOption[];
}

/**
 * What "Roll back" on an endpoint would restore: the version that served
 * before the latest successful deployment, from the deployments history.
 *
 * @public
 */
export interface RollbackOption {
  target: string;
  endpointName: string;
  /** The version that served before, and the deployment that put it there. */
  version: number;
  groupArn: string;
  restores: string;
  /** The latest successful deployment, which the rollback undoes. */
  undoes: string;
  undoesVersion: number;
}

/**
 * The body of `POST /entities/:kind/:namespace/:name/rollbacks`: the
 * endpoint to roll back. The server decides the version, from the history.
 *
 * @public
 */
export interface RollbackRequest {
  target: string;
  endpointName: string;
}

/**
 * What a history event records.
 *
 * @public
 */
export const HISTORY_ACTIONS = [
  'approve',
  'reject',
  'reset-approval',
  'deploy',
  'endpoint-status',
  'lifecycle',
  'register',
] as const;

/**
 * @public
 */
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/**
 * @public
 */
export const HISTORY_OUTCOMES = [
  'requested',
  'succeeded',
  'failed',
  'denied',
  'rolled-back',
] as const;

/**
 * @public
 */
export type HistoryOutcome = (typeof HISTORY_OUTCOMES)[number];

/**
 * Through what a history event's change came:
 * - `backstage`: a user in the portal, or a client of the HTTP API;
 * - `agent`: an AI agent acting for the user (`actor`) through the plugin's
 *   actions (the actions registry, e.g. over MCP), under the user's own
 *   permissions;
 * - `sagemaker`: a change made outside Backstage, found by SageMaker's
 *   events or by the sync.
 *
 * @public
 */
export const HISTORY_SOURCES = ['backstage', 'agent', 'sagemaker'] as const;

/**
 * @public
 */
export type HistorySource = (typeof HISTORY_SOURCES)[number];

/**
 * One append-only history event. `hash` covers the event's content and the
 * previous event's hash, so an edited or deleted row breaks the chain.
 *
 * @public
 */
export interface HistoryEvent {
  /** Position in the chain, from 1. */
  seq: number;
  /** ISO 8601. */
  at: string;
  /** A user entity ref, or for changes made outside Backstage the AWS identity. */
  actor: string;
  action: HistoryAction;
  outcome: HistoryOutcome;
  /** Through what the change came: see {@link HISTORY_SOURCES}. */
  source: HistorySource;
  entityRef: string;
  groupArn?: string;
  versionArn?: string;
  version?: number;
  target?: string;
  accountId?: string;
  region?: string;
  endpointName?: string;
  deploymentId?: string;
  comment?: string;
  awsErrorCode?: string;
  awsErrorMessage?: string;
  awsRequestId?: string;
  prevHash: string;
  hash: string;
}

/**
 * A page of history events, newest first.
 *
 * @public
 */
export interface HistoryPage {
  events: HistoryEvent[];
  nextCursor?: string;
}

/**
 * The response of `GET /history/verify`.
 *
 * @public
 */
export type HistoryVerification = (
  | { intact: true; count: number }
  | { intact: false; count: number; firstBrokenSeq: number; reason: string }
) & {
  /**
   * The newest event checked. The auditor log holds the hash of every event
   * as it was appended (`historyHash`): the same hash there for this seq
   * shows that no event after it was removed or rewritten.
   */
  head?: { seq: number; hash: string };
  /** Events checked that were hashed without a signing key. */
  unsignedCount?: number;
  /** The first signed event checked; every event after it must be signed. */
  signedFromSeq?: number;
};

/**
 * How a history event's hash is computed.
 * - `1`: SHA-256 of the previous hash and the content, unkeyed: the format
 *   of the first release, and of installations without a signing key.
 * - `2`: HMAC-SHA256 with a configured signing key, over the previous hash,
 *   the content, the version and the key id.
 *
 * @public
 */
export type HistoryHashVersion = 1 | 2;

/**
 * A history event with everything its hash covers: what the store keeps
 * and what an export carries, so an export can be re-verified offline.
 *
 * @public
 */
export interface HistoryRecord extends HistoryEvent {
  /** Set by the sync so that a change made outside Backstage is recorded once. */
  dedupeKey?: string;
  hashVersion: HistoryHashVersion;
  /** The id of the signing key, for keyed hash versions. */
  keyId?: string;
}

/**
 * An endpoint the history names, as the endpoint-at question asks for it.
 *
 * @public
 */
export interface HistoryEndpoint {
  accountId: string;
  region: string;
  endpointName: string;
}

/**
 * The response of `GET /history/facets`: the values the history holds, for
 * the pickers of the history page (entities, users, targets, endpoints),
 * each sorted.
 *
 * @public
 */
export interface HistoryFacets {
  entities: string[];
  actors: string[];
  targets: string[];
  endpoints: HistoryEndpoint[];
}

/**
 * The response of `GET /history/endpoint-at`: what an endpoint served at a
 * moment, reconstructed from the history.
 *
 * @public
 */
export interface EndpointAtResponse {
  accountId: string;
  region: string;
  endpointName: string;
  at: string;
  /** The last successful deploy to the endpoint at or before `at`. */
  deployment?: HistoryEvent;
  /** The last approval of that version at or before `at`. */
  approval?: HistoryEvent;
}
