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
  ModelReport,
  ModelVersionDetails,
  ModelVersionSummary,
  parseModelCard,
} from '@internal/backstage-plugin-sagemaker-common';
import { toLineage } from './lineage';
import type { VersionEvidence } from './ModelReportReader';

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
  metadata: { createdBy?: UserContext },
  evidence: VersionEvidence,
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
    ...evidence,
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
): Array<Pick<ModelReport, 'kind' | 's3Uri' | 'contentType'>> {
  const reports: Array<Pick<ModelReport, 'kind' | 's3Uri' | 'contentType'>> =
    [];
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

/**
 * Everything DescribeModelPackage says about a version, with its reports as
 * read from S3 and the evidence (metrics and their sources) drawn from them.
 */
export function toVersionDetails(
  described: DescribeModelPackageCommandOutput,
  group: ModelPackageGroupArn,
  reports: ModelReport[],
  evidence: VersionEvidence,
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
    ...evidence,
    images: (spec?.Containers ?? [])
      .map(c => c.Image)
      .filter((image): image is string => Boolean(image)),
    realtimeInstanceTypes: spec?.SupportedRealtimeInferenceInstanceTypes ?? [],
    transformInstanceTypes: spec?.SupportedTransformInstanceTypes ?? [],
    supportedContentTypes: spec?.SupportedContentTypes ?? [],
    supportedResponseMimeTypes: spec?.SupportedResponseMIMETypes ?? [],
    containers: (spec?.Containers ?? []).map(c => ({
      image: c.Image,
      environment: c.Environment,
      imageDigest: c.ImageDigest,
      modelDataUrl: c.ModelDataUrl,
      framework: c.Framework,
      frameworkVersion: c.FrameworkVersion,
      nearestModelName: c.NearestModelName,
    })),
    metricsReports: reports,
    modelCard: parseModelCard(
      described.ModelCard && {
        content: described.ModelCard.ModelCardContent,
        status: described.ModelCard.ModelCardStatus,
      },
    ),
    lineage: toLineage(described, group.region),
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
