import {
  BatchDescribeModelPackageSummary,
  DescribeModelPackageCommandOutput,
  ModelLifeCycle as SdkModelLifeCycle,
  ModelMetrics,
  ModelPackageSummary,
  UserContext,
} from '@aws-sdk/client-sagemaker';
import {
  ModelApprovalStatus,
  ModelLifeCycle,
  ModelPackageGroupArn,
  ModelVersionDetails,
  ModelVersionSummary,
  numericMetadata,
} from '@internal/backstage-plugin-sagemaker-common';

/**
 * Who a SageMaker UserContext names: the Studio user profile, or the IAM
 * identity. For an assumed role, `session (role)`, since the session name is
 * the human when writes are attributed per user.
 */
export function describeUser(
  user: UserContext | undefined,
): string | undefined {
  if (!user) {
    return undefined;
  }
  if (user.UserProfileName) {
    return user.UserProfileName;
  }
  const arn = user.IamIdentity?.Arn;
  if (!arn) {
    return undefined;
  }
  const assumed = /:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  return assumed ? `${assumed[2]} (${assumed[1]})` : arn;
}

function iso(date: Date | undefined): string | undefined {
  return date ? date.toISOString() : undefined;
}

/** The card fields of one listed version. */
export function toVersionSummary(
  listed: ModelPackageSummary,
  described: BatchDescribeModelPackageSummary | undefined,
  metadata: {
    customerMetadata?: Record<string, string>;
    createdBy?: UserContext;
  },
  groupName: string,
): ModelVersionSummary {
  return {
    arn: listed.ModelPackageArn!,
    groupName,
    version: listed.ModelPackageVersion ?? described?.ModelPackageVersion ?? 0,
    approvalStatus: (described?.ModelApprovalStatus ??
      listed.ModelApprovalStatus ??
      'PendingManualApproval') as ModelApprovalStatus,
    packageStatus: described?.ModelPackageStatus ?? listed.ModelPackageStatus,
    description:
      described?.ModelPackageDescription ?? listed.ModelPackageDescription,
    createdAt: (
      described?.CreationTime ??
      listed.CreationTime ??
      new Date(0)
    ).toISOString(),
    createdBy: describeUser(metadata.createdBy),
    metrics: numericMetadata(metadata.customerMetadata),
    images: (described?.InferenceSpecification?.Containers ?? [])
      .map(container => container.Image)
      .filter((image): image is string => Boolean(image)),
    realtimeInstanceTypes:
      described?.InferenceSpecification
        ?.SupportedRealtimeInferenceInstanceTypes ?? [],
    modelLifeCycle: toModelLifeCycle(listed.ModelLifeCycle),
  };
}

/** SageMaker's ModelLifeCycle, when it names a stage. */
export function toModelLifeCycle(
  lifecycle: SdkModelLifeCycle | undefined,
): ModelLifeCycle | undefined {
  return lifecycle?.Stage && lifecycle.StageStatus
    ? {
        stage: lifecycle.Stage,
        stageStatus: lifecycle.StageStatus,
        stageDescription: lifecycle.StageDescription,
      }
    : undefined;
}

/** Flattens ModelMetrics into report locations named by kind. */
export function metricsReports(
  metrics: ModelMetrics | undefined,
): ModelVersionDetails['metricsReports'] {
  const reports: ModelVersionDetails['metricsReports'] = [];
  for (const [section, values] of Object.entries(metrics ?? {})) {
    for (const [name, source] of Object.entries(
      (values ?? {}) as Record<
        string,
        { S3Uri?: string; ContentType?: string }
      >,
    )) {
      if (source?.S3Uri) {
        reports.push({
          kind: `${section}.${name}`,
          s3Uri: source.S3Uri,
          contentType: source.ContentType,
        });
      }
    }
  }
  return reports;
}

/** Everything DescribeModelPackage says about a version. */
export function toVersionDetails(
  described: DescribeModelPackageCommandOutput,
  group: ModelPackageGroupArn,
): ModelVersionDetails {
  const spec = described.InferenceSpecification;
  const customerMetadata = described.CustomerMetadataProperties ?? {};
  return {
    arn: described.ModelPackageArn!,
    groupArn: group.arn,
    groupName: group.name,
    accountId: group.accountId,
    region: group.region,
    version: described.ModelPackageVersion ?? 0,
    approvalStatus: (described.ModelApprovalStatus ??
      'PendingManualApproval') as ModelApprovalStatus,
    packageStatus: described.ModelPackageStatus,
    description: described.ModelPackageDescription,
    createdAt: (described.CreationTime ?? new Date(0)).toISOString(),
    createdBy: describeUser(described.CreatedBy),
    metrics: numericMetadata(customerMetadata),
    images: (spec?.Containers ?? [])
      .map(c => c.Image)
      .filter((image): image is string => Boolean(image)),
    realtimeInstanceTypes: spec?.SupportedRealtimeInferenceInstanceTypes ?? [],
    transformInstanceTypes: spec?.SupportedTransformInstanceTypes ?? [],
    supportedContentTypes: spec?.SupportedContentTypes ?? [],
    supportedResponseMimeTypes: spec?.SupportedResponseMIMETypes ?? [],
    containers: (spec?.Containers ?? []).map(c => ({
      image: c.Image,
      imageDigest: c.ImageDigest,
      modelDataUrl: c.ModelDataUrl,
      framework: c.Framework,
      frameworkVersion: c.FrameworkVersion,
      nearestModelName: c.NearestModelName,
    })),
    metricsReports: metricsReports(described.ModelMetrics),
    customerMetadata,
    approvalDescription: described.ApprovalDescription,
    lastModifiedBy: describeUser(described.LastModifiedBy),
    lastModifiedAt: iso(described.LastModifiedTime),
    modelLifeCycle: toModelLifeCycle(described.ModelLifeCycle),
    domain: described.Domain,
    task: described.Task,
    samplePayloadUrl: described.SamplePayloadUrl,
  };
}
