import {
  BatchDescribeModelPackageCommand,
  BatchDescribeModelPackageSummary,
  ListModelPackagesCommand,
  ModelPackageSummary,
} from '@aws-sdk/client-sagemaker';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  EntityModelVersionsResponse,
  ListVersionsQuery,
  ModelApprovalStatus,
  ModelPackageGroupArn,
  ModelPackageGroupVersions,
  ModelVersionSummary,
} from '@internal/backstage-plugin-sagemaker-common';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { EntityGroupResolver } from './EntityGroupResolver';
import { SageMakerRegistryService } from './types';

/** BatchDescribeModelPackage accepts at most this many ARNs per call. */
const BATCH_DESCRIBE_LIMIT = 100;

interface Cursor {
  /** The group the cursor belongs to. */
  g: string;
  /** SageMaker's NextToken. */
  t: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(value: string, groupArn: string): string {
  let cursor: Partial<Cursor> | undefined;
  try {
    cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    cursor = undefined;
  }
  if (!cursor || typeof cursor.t !== 'string' || typeof cursor.g !== 'string') {
    throw new InputError('cursor: not a cursor returned by this API');
  }
  if (cursor.g !== groupArn) {
    throw new InputError(`cursor: belongs to another group than '${groupArn}'`);
  }
  return cursor.t;
}

function toSummary(
  listed: ModelPackageSummary,
  described: BatchDescribeModelPackageSummary | undefined,
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
    metrics: {},
    images: (described?.InferenceSpecification?.Containers ?? [])
      .map(container => container.Image)
      .filter((image): image is string => Boolean(image)),
    realtimeInstanceTypes:
      described?.InferenceSpecification
        ?.SupportedRealtimeInferenceInstanceTypes ?? [],
  };
}

/**
 * Reads model versions from the registry accounts an entity names.
 */
export class DefaultSageMakerRegistryService
  implements SageMakerRegistryService
{
  constructor(
    private readonly resolver: EntityGroupResolver,
    private readonly gateway: SageMakerGateway,
  ) {}

  async listVersions(
    ref: CompoundEntityRef,
    query: ListVersionsQuery,
    options: { credentials: BackstageCredentials },
  ): Promise<EntityModelVersionsResponse> {
    const entity = await this.resolver.resolve(ref, options.credentials);
    const groups = query.group
      ? [EntityGroupResolver.pick(entity, query.group)]
      : entity.groups;
    return {
      entityRef: entity.entityRef,
      groups: await Promise.all(
        groups.map(group => this.listGroupVersions(group, query)),
      ),
    };
  }

  private async listGroupVersions(
    group: ModelPackageGroupArn,
    query: ListVersionsQuery,
  ): Promise<ModelPackageGroupVersions> {
    const nextToken = query.cursor
      ? decodeCursor(query.cursor, group.arn)
      : undefined;
    const listed = await this.gateway.call(group, 'ListModelPackages', client =>
      client.send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: group.name,
          ModelPackageType: 'Versioned',
          ModelApprovalStatus: query.status,
          SortBy: query.sort === 'name' ? 'Name' : 'CreationTime',
          SortOrder: query.order === 'asc' ? 'Ascending' : 'Descending',
          MaxResults: query.limit,
          NextToken: nextToken,
        }),
      ),
    );
    const packages = listed.ModelPackageSummaryList ?? [];
    const described = new Map<string, BatchDescribeModelPackageSummary>();
    for (let i = 0; i < packages.length; i += BATCH_DESCRIBE_LIMIT) {
      const arns = packages
        .slice(i, i + BATCH_DESCRIBE_LIMIT)
        .map(p => p.ModelPackageArn!);
      const batch = await this.gateway.call(
        group,
        'BatchDescribeModelPackage',
        client =>
          client.send(
            new BatchDescribeModelPackageCommand({ ModelPackageArnList: arns }),
          ),
      );
      for (const [arn, summary] of Object.entries(
        batch.ModelPackageSummaries ?? {},
      )) {
        described.set(arn, summary);
      }
    }
    return {
      groupArn: group.arn,
      groupName: group.name,
      accountId: group.accountId,
      region: group.region,
      versions: packages.map(p =>
        toSummary(p, described.get(p.ModelPackageArn!), group.name),
      ),
      nextCursor: listed.NextToken
        ? encodeCursor({ g: group.arn, t: listed.NextToken })
        : undefined,
    };
  }
}
