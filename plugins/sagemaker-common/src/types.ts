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
