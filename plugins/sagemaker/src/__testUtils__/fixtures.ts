import { Entity } from '@backstage/catalog-model';
import {
  DeploymentTargetInfo,
  ModelApprovalStatus,
  ModelEndpoint,
  ModelVersionDetails,
  ModelVersionSummary,
  SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION,
} from '@internal/backstage-plugin-sagemaker-common';

export const REGISTRY_ACCOUNT = '111111111111';

export function groupArn(name: string, region = 'us-east-1'): string {
  return `arn:aws:sagemaker:${region}:${REGISTRY_ACCOUNT}:model-package-group/${name}`;
}

export function versionArn(groupName: string, version: number): string {
  return `arn:aws:sagemaker:us-east-1:${REGISTRY_ACCOUNT}:model-package/${groupName}/${version}`;
}

/** A model entity naming the given groups (none: no annotation). */
export function modelEntity(
  groups: string[] = ['fraud-detection'],
  options: { kind?: string; name?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: options.kind ?? 'Component',
    metadata: {
      name: options.name ?? 'fraud-detection',
      namespace: 'default',
      title: 'Fraud detection',
      annotations:
        groups.length > 0
          ? {
              [SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION]: groups
                .map(name => groupArn(name))
                .join(','),
            }
          : {},
    },
    spec: { type: 'ml-model', owner: 'ml-fraud' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/ml-fraud' }],
  };
}

const STATUS_CYCLE: ModelApprovalStatus[] = [
  'Approved',
  'PendingManualApproval',
  'Rejected',
  'Approved',
];

/**
 * `count` versions of a group, version 1 the oldest, in mixed approval states
 * (1 Approved, 2 Pending, 3 Rejected, 4 Approved, …) with metrics that rise
 * with the version.
 */
export function makeVersions(
  groupName: string,
  count: number,
): ModelVersionDetails[] {
  return Array.from({ length: count }, (_, index) => {
    const version = index + 1;
    const accuracy = Number((0.8 + version / 1000).toFixed(4));
    const auc = Number((0.85 + version / 2000).toFixed(4));
    return makeVersion(groupName, version, {
      approvalStatus: STATUS_CYCLE[index % STATUS_CYCLE.length],
      metrics: { accuracy, auc },
      customerMetadata: {
        accuracy: String(accuracy),
        auc: String(auc),
        dataset: `transactions-2026-${String((version % 12) + 1).padStart(
          2,
          '0',
        )}`,
      },
    });
  });
}

export function makeVersion(
  groupName: string,
  version: number,
  overrides: Partial<ModelVersionDetails> = {},
): ModelVersionDetails {
  const created = new Date(Date.UTC(2026, 0, 1) + version * 86_400_000);
  const image = `763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost:1.7-${version}`;
  return {
    arn: versionArn(groupName, version),
    groupArn: groupArn(groupName),
    groupName,
    accountId: REGISTRY_ACCOUNT,
    region: 'us-east-1',
    version,
    approvalStatus: 'PendingManualApproval',
    packageStatus: 'Completed',
    description: `${groupName} retrained, run ${version}`,
    createdAt: created.toISOString(),
    createdBy: 'training-pipeline',
    metrics: {},
    images: [image],
    realtimeInstanceTypes: ['ml.m5.large', 'ml.m5.xlarge'],
    containers: [
      {
        image,
        imageDigest: `sha256:${String(version).padStart(64, '0')}`,
        modelDataUrl: `s3://models-111111111111/${groupName}/${version}/model.tar.gz`,
        framework: 'XGBOOST',
        frameworkVersion: '1.7',
      },
    ],
    supportedContentTypes: ['text/csv'],
    supportedResponseMimeTypes: ['text/csv'],
    transformInstanceTypes: ['ml.m5.large'],
    metricsReports: [
      {
        kind: 'ModelQuality.Statistics',
        s3Uri: `s3://models-111111111111/${groupName}/${version}/evaluation.json`,
        contentType: 'application/json',
        state: 'ok',
        problemType: 'binary_classification',
        metrics: [],
      },
    ],
    lineage: { sourceAlgorithms: [], driftCheckBaselines: [], links: [] },
    customerMetadata: {},
    lastModifiedBy: 'training-pipeline',
    lastModifiedAt: created.toISOString(),
    modelLifeCycle: {
      stage: 'Development',
      stageStatus: 'Approved',
      stageDescription: 'Offline evaluation passed',
    },
    ...overrides,
  };
}

/** The summary fields of a version, as the versions route returns them. */
export function summaryOf(details: ModelVersionDetails): ModelVersionSummary {
  return {
    arn: details.arn,
    groupName: details.groupName,
    version: details.version,
    approvalStatus: details.approvalStatus,
    packageStatus: details.packageStatus,
    description: details.description,
    createdAt: details.createdAt,
    createdBy: details.createdBy,
    metrics: details.metrics,
    metricSources: details.metricSources,
    keyMetrics: details.keyMetrics,
    report: details.report,
    images: details.images,
    realtimeInstanceTypes: details.realtimeInstanceTypes,
    modelLifeCycle: details.modelLifeCycle,
  };
}

export const stagingTarget: DeploymentTargetInfo = {
  name: 'staging',
  title: 'Staging (222222222222)',
  accountId: '222222222222',
  region: 'us-east-1',
  instanceTypes: ['ml.m5.large', 'ml.m5.xlarge'],
  maxInstanceCount: 2,
  requires: [],
};

export const productionTarget: DeploymentTargetInfo = {
  name: 'production',
  title: 'Production (333333333333)',
  accountId: '333333333333',
  region: 'us-east-1',
  instanceTypes: ['ml.m5.xlarge', 'ml.c5.2xlarge'],
  maxInstanceCount: 4,
  requires: ['staging'],
};

/** An endpoint in a target serving one version. */
export function makeEndpoint(
  target: DeploymentTargetInfo,
  endpointName: string,
  served: ModelVersionSummary,
  status = 'InService',
): ModelEndpoint {
  return {
    target: target.name,
    accountId: target.accountId,
    region: target.region,
    endpointName,
    endpointArn: `arn:aws:sagemaker:${target.region}:${target.accountId}:endpoint/${endpointName}`,
    status,
    createdAt: '2026-03-01T09:00:00.000Z',
    lastModifiedAt: '2026-03-02T09:00:00.000Z',
    variants: [
      {
        variantName: 'AllTraffic',
        modelName: `${served.groupName}-${served.version}`,
        instanceType: 'ml.m5.large',
        instanceCount: 1,
        versionArn: served.arn,
        groupName: served.groupName,
        version: served.version,
      },
    ],
  };
}
