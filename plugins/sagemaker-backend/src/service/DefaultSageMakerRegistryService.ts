import {
  BatchDescribeModelPackageCommand,
  BatchDescribeModelPackageSummary,
  DescribeModelPackageCommandOutput,
  DescribeModelPackageGroupCommand,
  ListModelPackagesCommand,
  ModelPackageSummary,
} from '@aws-sdk/client-sagemaker';
import { CompoundEntityRef } from '@backstage/catalog-model';
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
} from '@internal/backstage-plugin-sagemaker-common';
import { DeploymentTarget } from '../config/SageMakerConfig';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { EntityGroupResolver, ResolvedEntity } from './EntityGroupResolver';
import { RegistryCache } from './RegistryCache';
import { ModelReportReader } from './ModelReportReader';
import { toVersionDetails, toVersionSummary } from './mappers';
import { searchVersionMetadata } from './metadataSearch';
import { registryCacheKeys } from './registryCacheKeys';
import {
  RequestOptions,
  SageMakerRegistryService,
  TargetEndpoints,
} from './types';
import { decodeVersionsCursor, encodeVersionsCursor } from './versionsCursor';

/** BatchDescribeModelPackage accepts at most this many ARNs per call. */
const BATCH_DESCRIBE_LIMIT = 100;

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
      reports: ModelReportReader;
      endpoints: TargetEndpoints;
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
          this.deps.cache.getOrLoad(
            group.arn,
            registryCacheKeys.groupSummary,
            () => this.summarizeGroup(group),
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
            ? decodeVersionsCursor(query.cursor, group.arn)
            : undefined;
          return this.deps.cache.getOrLoad(
            group.arn,
            registryCacheKeys.versionsPage(query, nextToken),
            () => this.listGroupVersions(group, query, nextToken),
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
      registryCacheKeys.version(version),
      async () => {
        const described = await this.deps.gateway.describeModelPackage(
          group,
          modelPackageArn(group, version),
        );
        return this.versionDetails(group, described);
      },
    );
  }

  async listEndpoints(
    ref: CompoundEntityRef,
    options: RequestOptions,
  ): Promise<EntityEndpointsResponse> {
    const entity = await this.resolve(ref, options);
    const groupArns = entity.groups.map(g => g.arn);
    // Targets that share an account and region (e.g. instance and serverless
    // targets in staging) see the same endpoints: each place is read once and
    // its endpoints listed under the first target that names it.
    const places = new Map<string, DeploymentTarget>();
    for (const target of this.deps.targets) {
      const place = `${target.accountId}|${target.region}`;
      if (!places.has(place)) {
        places.set(place, target);
      }
    }
    const found = await Promise.all(
      [...places.values()].map(async target => ({
        target,
        ...(await this.deps.endpoints.endpointsServing(target, groupArns, {
          fresh: false,
        })),
      })),
    );
    const endpoints: ModelEndpoint[] = found.flatMap(
      ({ target, endpoints: serving }) =>
        serving.map(endpoint => ({ target: target.name, ...endpoint })),
    );
    const discoveryTruncated = found
      .filter(f => f.discoveryTruncated)
      .map(f => f.target.name);
    return { entityRef: entity.entityRef, endpoints, discoveryTruncated };
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
        deploymentConfig: target.deploymentConfig,
        serverless: target.serverless,
      })),
    };
  }

  async versionDetails(
    group: ModelPackageGroupArn,
    described: DescribeModelPackageCommandOutput,
  ): Promise<ModelVersionDetails> {
    const [reports, evidence] = await Promise.all([
      this.deps.reports.readAll(group, described.ModelMetrics),
      this.deps.reports.versionEvidence(group, described),
    ]);
    return toVersionDetails(described, group, reports, evidence);
  }

  async invalidateGroup(groupArn: string): Promise<void> {
    await this.deps.cache.invalidate(groupArn);
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
    const summaries = await this.deps.gateway.listAllVersions(group);
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

  /** One UI page of a group's versions: one ListModelPackages page. */
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
      searchVersionMetadata(this.deps.gateway, group, packages, query.status),
    ]);
    const evidence = await this.deps.reports.pageEvidence(
      group,
      packages.map(p => {
        const found = metadata.get(p.ModelPackageArn!);
        return {
          ModelMetrics: found?.modelMetrics,
          CustomerMetadataProperties: found?.customerMetadata,
        };
      }),
    );
    return {
      groupArn: group.arn,
      groupName: group.name,
      accountId: group.accountId,
      region: group.region,
      versions: packages.map((p, i) =>
        toVersionSummary(
          p,
          described.get(p.ModelPackageArn!),
          metadata.get(p.ModelPackageArn!) ?? {},
          evidence[i],
          group.name,
        ),
      ),
      nextCursor: listed.NextToken
        ? encodeVersionsCursor(group.arn, listed.NextToken)
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
}
