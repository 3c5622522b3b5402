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
  /** Numeric metrics read from the customer metadata (accuracy, auc, f1…). */
  metrics: Record<string, number>;
  /** Container images of the inference specification. */
  images: string[];
  /** Instance types the version supports for real-time inference. */
  realtimeInstanceTypes: string[];
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
    imageDigest?: string;
    modelDataUrl?: string;
    framework?: string;
    frameworkVersion?: string;
    nearestModelName?: string;
  }>;
  supportedContentTypes: string[];
  supportedResponseMimeTypes: string[];
  transformInstanceTypes: string[];
  /** Where the metrics reports are, by kind (e.g. `ModelQuality.Statistics`). */
  metricsReports: Array<{ kind: string; s3Uri: string; contentType?: string }>;
  /** All customer metadata, as stored (strings). */
  customerMetadata: Record<string, string>;
  approvalDescription?: string;
  lastModifiedBy?: string;
  lastModifiedAt?: string;
  modelLifeCycle?: {
    stage: string;
    stageStatus: string;
    stageDescription?: string;
  };
  domain?: string;
  task?: string;
  samplePayloadUrl?: string;
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
}

/**
 * The response of `GET /targets`.
 *
 * @public
 */
export interface DeploymentTargetsResponse {
  targets: DeploymentTargetInfo[];
}
