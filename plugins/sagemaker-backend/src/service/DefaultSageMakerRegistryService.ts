import {
  BatchDescribeModelPackageCommand,
  BatchDescribeModelPackageSummary,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageGroupCommand,
  ListModelPackagesCommand,
  ModelPackageSummary,
  SearchExpression,
  UserContext,
  paginateListEndpoints,
  paginateListModelPackages,
  paginateSearch,
} from '@aws-sdk/client-sagemaker';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { InputError, isError } from '@backstage/errors';
import {
  DeploymentTargetsResponse,
  EntityEndpointsResponse,
  EntityModelGroupsResponse,
  EntityModelVersionsResponse,
  ListVersionsQuery,
  MODEL_APPROVAL_STATUSES,
  ModelApprovalStatus,
  ModelEndpoint,
  ModelPackageGroupArn,
  ModelPackageGroupSummary,
  ModelPackageGroupVersions,
  ModelVersionDetails,
  modelPackageArn,
  parseModelPackageArn,
} from '@internal/backstage-plugin-sagemaker-common';
import { DeploymentTarget } from '../config/SageMakerConfig';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { collectPages } from '../aws/pagination';
import { EntityGroupResolver, ResolvedEntity } from './EntityGroupResolver';
import { RegistryCache } from './RegistryCache';
import { toVersionDetails, toVersionSummary } from './mappers';
import { RequestOptions, SageMakerRegistryService } from './types';

/** BatchDescribeModelPackage accepts at most this many ARNs per call. */
const BATCH_DESCRIBE_LIMIT = 100;
/** Describe calls in flight at once per endpoint scan. */
const DESCRIBE_CONCURRENCY = 5;

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

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from(
    { length: Math.min(limit, items.length) },
    async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]);
      }
    },
  );
  await Promise.all(workers);
  return results;
}

/** An endpoint in a target, with the model package versions it serves. */
type ScannedEndpoint = Omit<ModelEndpoint, 'target'>;

/**
 * Reads model versions and endpoints from the accounts an entity's groups and
 * the configured deployment targets live in.
 */
export class DefaultSageMakerRegistryService
  implements SageMakerRegistryService
{
  constructor(
    private readonly deps: {
      resolver: EntityGroupResolver;
      gateway: SageMakerGateway;
      cache: RegistryCache;
      targets: DeploymentTarget[];
    },
  ) {}

  async listGroups(
    ref: CompoundEntityRef,
    options: RequestOptions,
  ): Promise<EntityModelGroupsResponse> {
    const entity = await this.resolve(ref, options);
    return {
      entityRef: entity.entityRef,
      groups: await Promise.all(
        entity.groups.map(group =>
          this.deps.cache.getOrLoad(group.arn, 'summary', () =>
            this.summarizeGroup(group),
          ),
        ),
      ),
    };
  }

  async listVersions(
    ref: CompoundEntityRef,
    query: ListVersionsQuery,
    options: RequestOptions,
  ): Promise<EntityModelVersionsResponse> {
    const entity = await this.resolve(ref, options);
    const groups = query.group
      ? [EntityGroupResolver.pick(entity, query.group)]
      : entity.groups;
    return {
      entityRef: entity.entityRef,
      groups: await Promise.all(
        groups.map(group => {
          const nextToken = query.cursor
            ? decodeCursor(query.cursor, group.arn)
            : undefined;
          const key = JSON.stringify([
            'versions',
            query.status,
            query.sort,
            query.order,
            query.limit,
            nextToken,
          ]);
          return this.deps.cache.getOrLoad(group.arn, key, () =>
            this.listGroupVersions(group, query, nextToken),
          );
        }),
      ),
    };
  }

  async getVersion(
    ref: CompoundEntityRef,
    { group: groupArn, version }: { group?: string; version: number },
    options: RequestOptions,
  ): Promise<ModelVersionDetails> {
    const entity = await this.resolve(ref, options);
    const group = EntityGroupResolver.pickOrOnly(entity, groupArn);
    return this.deps.cache.getOrLoad(
      group.arn,
      `version|${version}`,
      async () => {
        const described = await this.deps.gateway.describeModelPackage(
          group,
          modelPackageArn(group, version),
        );
        return toVersionDetails(described, group);
      },
    );
  }

  async listEndpoints(
    ref: CompoundEntityRef,
    options: RequestOptions,
  ): Promise<EntityEndpointsResponse> {
    const entity = await this.resolve(ref, options);
    const groupArns = new Set(entity.groups.map(g => g.arn));
    const scans = await Promise.all(
      this.deps.targets.map(async target => ({
        target,
        endpoints: await this.deps.cache.getOrLoad(
          this.targetScope(target),
          'endpoints',
          () => this.scanEndpoints(target),
        ),
      })),
    );
    const seen = new Set<string>();
    const endpoints: ModelEndpoint[] = [];
    for (const { target, endpoints: scanned } of scans) {
      for (const endpoint of scanned) {
        const serves = endpoint.variants.some(variant => {
          const parsed = variant.versionArn
            ? parseModelPackageArn(variant.versionArn)
            : undefined;
          return parsed && groupArns.has(parsed.groupArn);
        });
        // Two targets may share an account and region; list an endpoint once.
        if (serves && !seen.has(endpoint.endpointArn)) {
          seen.add(endpoint.endpointArn);
          endpoints.push({ target: target.name, ...endpoint });
        }
      }
    }
    return { entityRef: entity.entityRef, endpoints };
  }

  async listTargets(): Promise<DeploymentTargetsResponse> {
    return {
      targets: this.deps.targets.map(target => ({
        name: target.name,
        title: target.title,
        accountId: target.accountId,
        region: target.region,
        instanceTypes: target.instanceTypes,
        maxInstanceCount: target.maxInstanceCount,
        requires: target.requires,
      })),
    };
  }

  async invalidateGroup(groupArn: string): Promise<void> {
    await this.deps.cache.invalidate(groupArn);
  }

  /**
   * The endpoints of one target with the versions they serve; `fresh` skips
   * the cache, for decisions (a deploy's `requires`) rather than display.
   */
  async endpointsInTarget(
    target: DeploymentTarget,
    options: { fresh: boolean },
  ): Promise<Omit<ModelEndpoint, 'target'>[]> {
    if (options.fresh) {
      return this.scanEndpoints(target);
    }
    return this.deps.cache.getOrLoad(
      this.targetScope(target),
      'endpoints',
      () => this.scanEndpoints(target),
    );
  }

  /** Drops the cached endpoint scan of a target, after a deploy to it. */
  async invalidateTarget(target: DeploymentTarget): Promise<void> {
    await this.deps.cache.invalidate(this.targetScope(target));
  }

  private targetScope(target: DeploymentTarget) {
    return `endpoints:${target.accountId}:${target.region}`;
  }

  private resolve(
    ref: CompoundEntityRef,
    options: RequestOptions,
  ): Promise<ResolvedEntity> {
    return this.deps.resolver.resolve(ref, options.credentials);
  }

  private async summarizeGroup(
    group: ModelPackageGroupArn,
  ): Promise<ModelPackageGroupSummary> {
    const described = await this.deps.gateway.call(
      group,
      'DescribeModelPackageGroup',
      client =>
        client.send(
          new DescribeModelPackageGroupCommand({
            ModelPackageGroupName: group.name,
          }),
        ),
    );
    const counts = Object.fromEntries(
      MODEL_APPROVAL_STATUSES.map(status => [status, 0]),
    ) as Record<ModelApprovalStatus, number>;
    const summaries = await this.deps.gateway.call(
      group,
      'ListModelPackages',
      client =>
        collectPages(
          paginateListModelPackages(
            { client, pageSize: 100 },
            {
              ModelPackageGroupName: group.name,
              ModelPackageType: 'Versioned',
              SortBy: 'CreationTime',
              SortOrder: 'Descending',
            },
          ),
          page => page.ModelPackageSummaryList,
        ),
    );
    let latest: ModelPackageSummary | undefined;
    for (const summary of summaries) {
      const status = (summary.ModelApprovalStatus ??
        'PendingManualApproval') as ModelApprovalStatus;
      counts[status] = (counts[status] ?? 0) + 1;
      if (
        !latest ||
        (summary.ModelPackageVersion ?? 0) > (latest.ModelPackageVersion ?? 0)
      ) {
        latest = summary;
      }
    }
    return {
      groupArn: group.arn,
      groupName: group.name,
      accountId: group.accountId,
      region: group.region,
      description: described.ModelPackageGroupDescription,
      createdAt: described.CreationTime?.toISOString(),
      latestVersion: latest
        ? {
            version: latest.ModelPackageVersion ?? 0,
            approvalStatus: (latest.ModelApprovalStatus ??
              'PendingManualApproval') as ModelApprovalStatus,
            createdAt: (latest.CreationTime ?? new Date(0)).toISOString(),
          }
        : undefined,
      counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
    };
  }

  private async listGroupVersions(
    group: ModelPackageGroupArn,
    query: ListVersionsQuery,
    nextToken: string | undefined,
  ): Promise<ModelPackageGroupVersions> {
    const listed = await this.deps.gateway.call(
      group,
      'ListModelPackages',
      client =>
        client.send(
          new ListModelPackagesCommand({
            ModelPackageGroupName: group.name,
            ModelPackageType: 'Versioned',
            ModelApprovalStatus: query.status,
            // Versions are numbered in the order they are created, so
            // creation time orders them numerically; SortBy Name compares
            // the names as text (1, 10, 11, 2…) or not at all.
            SortBy: 'CreationTime',
            SortOrder: query.order === 'asc' ? 'Ascending' : 'Descending',
            MaxResults: query.limit,
            NextToken: nextToken,
          }),
        ),
    );
    const packages = listed.ModelPackageSummaryList ?? [];
    const [described, metadata] = await Promise.all([
      this.batchDescribe(group, packages),
      this.searchMetadata(group, packages, query.status),
    ]);
    return {
      groupArn: group.arn,
      groupName: group.name,
      accountId: group.accountId,
      region: group.region,
      versions: packages.map(p =>
        toVersionSummary(
          p,
          described.get(p.ModelPackageArn!),
          metadata.get(p.ModelPackageArn!) ?? {},
          group.name,
        ),
      ),
      nextCursor: listed.NextToken
        ? encodeCursor({ g: group.arn, t: listed.NextToken })
        : undefined,
    };
  }

  private async batchDescribe(
    group: ModelPackageGroupArn,
    packages: ModelPackageSummary[],
  ): Promise<Map<string, BatchDescribeModelPackageSummary>> {
    const described = new Map<string, BatchDescribeModelPackageSummary>();
    for (let i = 0; i < packages.length; i += BATCH_DESCRIBE_LIMIT) {
      const arns = packages
        .slice(i, i + BATCH_DESCRIBE_LIMIT)
        .map(p => p.ModelPackageArn!);
      const batch = await this.deps.gateway.call(
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
    return described;
  }

  /**
   * Neither ListModelPackages nor BatchDescribeModelPackage returns the
   * customer metadata (where teams keep accuracy, auc, f1…) or CreatedBy.
   * One Search over the page's version range returns both for the whole page,
   * instead of one DescribeModelPackage per version.
   */
  private async searchMetadata(
    group: ModelPackageGroupArn,
    packages: ModelPackageSummary[],
    status: ModelApprovalStatus | undefined,
  ): Promise<
    Map<
      string,
      { customerMetadata?: Record<string, string>; createdBy?: UserContext }
    >
  > {
    const metadata = new Map<
      string,
      { customerMetadata?: Record<string, string>; createdBy?: UserContext }
    >();
    const versions = packages
      .map(p => p.ModelPackageVersion)
      .filter((v): v is number => typeof v === 'number');
    if (versions.length === 0) {
      return metadata;
    }
    const expression: SearchExpression = {
      Operator: 'And',
      Filters: [
        {
          Name: 'ModelPackageGroupName',
          Operator: 'Equals',
          Value: group.name,
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
    // The range can hold more packages than one Search page returns (100):
    // every page is read, or the metadata of the rest would be missing.
    const results = await this.deps.gateway.call(group, 'Search', client =>
      collectPages(
        paginateSearch(
          { client, pageSize: 100 },
          { Resource: 'ModelPackage', SearchExpression: expression },
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
        });
      }
    }
    return metadata;
  }

  /**
   * One endpoint of a target with the versions it serves, read fresh;
   * `undefined` when the target has no endpoint of that name.
   */
  async describeEndpointInTarget(
    target: DeploymentTarget,
    endpointName: string,
  ): Promise<ScannedEndpoint | undefined> {
    return this.describeEndpoint(target, endpointName, new Map());
  }

  private async scanEndpoints(
    target: DeploymentTarget,
  ): Promise<ScannedEndpoint[]> {
    const where = { accountId: target.accountId, region: target.region };
    const listed = await this.deps.gateway.call(
      where,
      'ListEndpoints',
      client =>
        collectPages(
          paginateListEndpoints({ client, pageSize: 100 }, {}),
          page => page.Endpoints,
        ),
    );
    const names = listed.map(e => e.EndpointName!).filter(Boolean);
    // Endpoints often share models: each is described once per scan.
    const models = new Map<string, Promise<string | undefined>>();
    const scanned = await mapLimited<string, ScannedEndpoint | undefined>(
      names,
      DESCRIBE_CONCURRENCY,
      name => this.describeEndpoint(target, name, models),
    );
    return scanned.filter((e): e is ScannedEndpoint => e !== undefined);
  }

  private async describeEndpoint(
    target: DeploymentTarget,
    name: string,
    models: Map<string, Promise<string | undefined>>,
  ): Promise<ScannedEndpoint | undefined> {
    const where = { accountId: target.accountId, region: target.region };
    const versionOfModel = (modelName: string) => {
      let found = models.get(modelName);
      if (!found) {
        found = this.deps.gateway
          .call(where, 'DescribeModel', client =>
            client.send(new DescribeModelCommand({ ModelName: modelName })),
          )
          .then(model =>
            [model.PrimaryContainer, ...(model.Containers ?? [])]
              .map(container => container?.ModelPackageName)
              .find(
                packageName => packageName && parseModelPackageArn(packageName),
              ),
          );
        models.set(modelName, found);
      }
      return found;
    };
    let endpoint;
    try {
      endpoint = await this.deps.gateway.call(
        where,
        'DescribeEndpoint',
        client =>
          client.send(new DescribeEndpointCommand({ EndpointName: name })),
      );
    } catch (error) {
      // No such endpoint (or deleted between ListEndpoints and now).
      if (isError(error) && error.name === 'NotFoundError') {
        return undefined;
      }
      throw error;
    }
    const config = endpoint.EndpointConfigName
      ? await this.deps.gateway.call(where, 'DescribeEndpointConfig', client =>
          client.send(
            new DescribeEndpointConfigCommand({
              EndpointConfigName: endpoint.EndpointConfigName,
            }),
          ),
        )
      : undefined;
    const variants = await Promise.all(
      (config?.ProductionVariants ?? []).map(async variant => {
        const versionArn = variant.ModelName
          ? await versionOfModel(variant.ModelName)
          : undefined;
        const parsed = versionArn
          ? parseModelPackageArn(versionArn)
          : undefined;
        return {
          variantName: variant.VariantName ?? '',
          modelName: variant.ModelName ?? '',
          instanceType: variant.InstanceType,
          instanceCount: variant.InitialInstanceCount,
          versionArn,
          groupName: parsed?.groupName,
          version: parsed?.version,
        };
      }),
    );
    return {
      accountId: target.accountId,
      region: target.region,
      endpointName: endpoint.EndpointName ?? name,
      endpointArn: endpoint.EndpointArn ?? '',
      status: endpoint.EndpointStatus ?? 'Unknown',
      failureReason: endpoint.FailureReason,
      createdAt: endpoint.CreationTime?.toISOString(),
      lastModifiedAt: endpoint.LastModifiedTime?.toISOString(),
      variants,
    };
  }
}
