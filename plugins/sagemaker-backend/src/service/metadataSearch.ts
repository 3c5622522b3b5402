import {
  ModelMetrics,
  ModelPackageSummary,
  SearchExpression,
  UserContext,
  paginateSearch,
} from '@aws-sdk/client-sagemaker';
import {
  ModelApprovalStatus,
  ModelPackageGroupArn,
} from '@internal/backstage-plugin-sagemaker-common';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { collectPages } from '../aws/pagination';

/** What a version card needs that only Search returns. */
export interface VersionMetadata {
  customerMetadata?: Record<string, string>;
  createdBy?: UserContext;
  /** Where the version's reports are, read from S3 for its metrics. */
  modelMetrics?: ModelMetrics;
}

/**
 * The Search expression for the versions of a group between the lowest and
 * the highest of `versions`, with the listing's status filter.
 */
export function versionRangeExpression(
  groupName: string,
  versions: number[],
  status: ModelApprovalStatus | undefined,
): SearchExpression {
  return {
    Operator: 'And',
    Filters: [
      {
        Name: 'ModelPackageGroupName',
        Operator: 'Equals',
        Value: groupName,
      },
      {
        Name: 'ModelPackageVersion',
        Operator: 'GreaterThanOrEqualTo',
        Value: String(Math.min(...versions)),
      },
      {
        Name: 'ModelPackageVersion',
        Operator: 'LessThanOrEqualTo',
        Value: String(Math.max(...versions)),
      },
      ...(status
        ? [
            {
              Name: 'ModelApprovalStatus',
              Operator: 'Equals' as const,
              Value: status,
            },
          ]
        : []),
    ],
  };
}

/**
 * Neither ListModelPackages nor BatchDescribeModelPackage returns the
 * customer metadata (where teams keep accuracy, auc, f1…), CreatedBy or
 * ModelMetrics (where the SDK's pipelines put their evaluation report).
 * One Search over the page's version range returns both for the whole page,
 * instead of one DescribeModelPackage per version. Keyed by version ARN.
 */
export async function searchVersionMetadata(
  gateway: SageMakerGateway,
  group: ModelPackageGroupArn,
  packages: ModelPackageSummary[],
  status: ModelApprovalStatus | undefined,
): Promise<Map<string, VersionMetadata>> {
  const metadata = new Map<string, VersionMetadata>();
  const versions = packages
    .map(p => p.ModelPackageVersion)
    .filter((v): v is number => typeof v === 'number');
  if (versions.length === 0) {
    return metadata;
  }
  // The range can hold more packages than one Search page returns (100):
  // every page is read, or the metadata of the rest would be missing.
  const results = await gateway.call(group, 'Search', client =>
    collectPages(
      paginateSearch(
        { client, pageSize: 100 },
        {
          Resource: 'ModelPackage',
          SearchExpression: versionRangeExpression(
            group.name,
            versions,
            status,
          ),
        },
      ),
      page => page.Results,
    ),
  );
  for (const record of results) {
    const found = record.ModelPackage;
    if (found?.ModelPackageArn) {
      metadata.set(found.ModelPackageArn, {
        customerMetadata: found.CustomerMetadataProperties,
        createdBy: found.CreatedBy,
        modelMetrics: found.ModelMetrics,
      });
    }
  }
  return metadata;
}
