import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  Endpoint,
  paginateSearch,
  SearchRecord,
} from '@aws-sdk/client-sagemaker';
import { isError } from '@backstage/errors';
import { parseModelPackageArn } from '@internal/backstage-plugin-sagemaker-common';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { collectPages } from '../aws/pagination';
import { DeploymentTarget } from '../config/SageMakerConfig';
import { mapWithConcurrency } from './mapWithConcurrency';
import { RegistryCache } from './RegistryCache';
import { registryCacheKeys } from './registryCacheKeys';
import { TargetEndpoint, TargetEndpoints } from './types';

/** Describe calls in flight at once while resolving a page of endpoints. */
const DESCRIBE_CONCURRENCY = 5;

/** Search's largest page. */
const PAGE_SIZE = 100;

/**
 * The tag the executor writes on every endpoint it creates or updates: the
 * model package group of the version it serves. The endpoints panel finds an
 * entity's endpoints by it, with one Search per page of matches.
 */
export const GROUP_TAG = 'backstage:model-package-group-arn';

/**
 * Pages of untagged endpoints (made outside Backstage, or by a version of the
 * plugin that did not write GROUP_TAG) read per target per cache TTL.
 */
export const DISCOVERY_MAX_PAGES = 3;

/** Endpoints of a target that serve some groups' versions. */
export interface ServingEndpoints {
  endpoints: TargetEndpoint[];
  /**
   * True when the target holds more untagged endpoints than discovery reads
   * (DISCOVERY_MAX_PAGES pages of 100): some made outside Backstage may be
   * missing.
   */
  discoveryTruncated: boolean;
}

interface Discovered {
  endpoints: TargetEndpoint[];
  truncated: boolean;
}

type Where = { accountId: string; region: string };

/** What DescribeEndpoint and an Endpoint search record both tell. */
type EndpointState = Partial<
  Pick<
    Endpoint,
    | 'EndpointName'
    | 'EndpointArn'
    | 'EndpointConfigName'
    | 'EndpointStatus'
    | 'FailureReason'
    | 'CreationTime'
    | 'LastModifiedTime'
  >
>;

/**
 * Resolves the endpoints of the deployment targets' accounts to the model
 * package versions they serve: endpoint → endpoint config → model → the
 * container's ModelPackageName. Endpoints the plugin wrote are found by their
 * GROUP_TAG through SageMaker Search, so the cost follows the matches, not
 * the account. Untagged endpoints are discovered by a bounded Search, cached
 * in the target's scope and shared by every entity.
 */
export class EndpointResolver implements TargetEndpoints {
  constructor(
    private readonly deps: {
      gateway: SageMakerGateway;
      cache: RegistryCache;
      discoveryMaxPages?: number;
    },
  ) {}

  async endpointsServing(
    target: DeploymentTarget,
    groupArns: string[],
    options: { fresh: boolean },
  ): Promise<ServingEndpoints> {
    const groups = [...new Set(groupArns)].sort();
    const scope = registryCacheKeys.targetScope(target);
    const load = <T>(key: string, fn: () => Promise<T>) =>
      options.fresh ? fn() : this.deps.cache.getOrLoad(scope, key, fn);
    const [tagged, discovered] = await Promise.all([
      load(registryCacheKeys.taggedEndpoints(groups), () =>
        this.tagged(target, groups),
      ),
      load(registryCacheKeys.discoveredEndpoints, () => this.discover(target)),
    ]);
    const wanted = new Set(groups);
    const serving = discovered.endpoints.filter(endpoint =>
      endpoint.variants.some(variant => {
        const parsed = variant.versionArn
          ? parseModelPackageArn(variant.versionArn)
          : undefined;
        return parsed !== undefined && wanted.has(parsed.groupArn);
      }),
    );
    return {
      endpoints: [...tagged, ...serving],
      discoveryTruncated: discovered.truncated,
    };
  }

  async describeEndpointInTarget(
    target: DeploymentTarget,
    endpointName: string,
  ): Promise<TargetEndpoint | undefined> {
    return this.describe(target, endpointName, new Map());
  }

  async invalidateTarget(target: DeploymentTarget): Promise<void> {
    await this.deps.cache.invalidate(registryCacheKeys.targetScope(target));
  }

  /** The endpoints tagged with one of the groups: one Search per 100. */
  private async tagged(
    target: DeploymentTarget,
    groups: string[],
  ): Promise<TargetEndpoint[]> {
    if (groups.length === 0) {
      return [];
    }
    const where = { accountId: target.accountId, region: target.region };
    const records = await this.deps.gateway.call(where, 'Search', client =>
      collectPages(
        paginateSearch(
          { client, pageSize: PAGE_SIZE },
          {
            Resource: 'Endpoint',
            SearchExpression: {
              Operator: 'Or',
              Filters: groups.map(arn => ({
                Name: `Tags.${GROUP_TAG}`,
                Operator: 'Equals',
                Value: arn,
              })),
            },
          },
        ),
        page => page.Results,
      ),
    );
    return this.resolveAll(target, records);
  }

  /** Untagged endpoints, at most discoveryMaxPages pages of them. */
  private async discover(target: DeploymentTarget): Promise<Discovered> {
    const where = { accountId: target.accountId, region: target.region };
    const maxPages = this.deps.discoveryMaxPages ?? DISCOVERY_MAX_PAGES;
    const { records, truncated } = await this.deps.gateway.call(
      where,
      'Search',
      async client => {
        const found: SearchRecord[] = [];
        let pages = 0;
        for await (const page of paginateSearch(
          { client, pageSize: PAGE_SIZE },
          {
            Resource: 'Endpoint',
            SearchExpression: {
              Filters: [{ Name: `Tags.${GROUP_TAG}`, Operator: 'NotExists' }],
            },
          },
        )) {
          found.push(...(page.Results ?? []));
          pages += 1;
          if (pages >= maxPages) {
            return { records: found, truncated: page.NextToken !== undefined };
          }
        }
        return { records: found, truncated: false };
      },
    );
    return { endpoints: await this.resolveAll(target, records), truncated };
  }

  private async resolveAll(
    target: DeploymentTarget,
    records: SearchRecord[],
  ): Promise<TargetEndpoint[]> {
    // Endpoints often share models: each is described once per load.
    const models = new Map<string, Promise<string | undefined>>();
    const endpoints = records
      .map(record => record.Endpoint)
      .filter((e): e is Endpoint => e?.EndpointName !== undefined);
    return mapWithConcurrency(endpoints, DESCRIBE_CONCURRENCY, endpoint =>
      this.resolve(target, endpoint, models),
    );
  }

  private async describe(
    target: DeploymentTarget,
    name: string,
    models: Map<string, Promise<string | undefined>>,
  ): Promise<TargetEndpoint | undefined> {
    const where = { accountId: target.accountId, region: target.region };
    let endpoint;
    try {
      endpoint = await this.deps.gateway.call(
        where,
        'DescribeEndpoint',
        client =>
          client.send(new DescribeEndpointCommand({ EndpointName: name })),
      );
    } catch (error) {
      if (isError(error) && error.name === 'NotFoundError') {
        return undefined;
      }
      throw error;
    }
    return this.resolve(target, endpoint, models);
  }

  /** An endpoint as DescribeEndpoint or a Search record shows it, resolved. */
  private async resolve(
    target: DeploymentTarget,
    endpoint: EndpointState,
    models: Map<string, Promise<string | undefined>>,
  ): Promise<TargetEndpoint> {
    const where = { accountId: target.accountId, region: target.region };
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
          ? await this.versionOfModel(where, variant.ModelName, models)
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
      endpointName: endpoint.EndpointName ?? '',
      endpointArn: endpoint.EndpointArn ?? '',
      status: endpoint.EndpointStatus ?? 'Unknown',
      failureReason: endpoint.FailureReason,
      createdAt: endpoint.CreationTime?.toISOString(),
      lastModifiedAt: endpoint.LastModifiedTime?.toISOString(),
      variants,
    };
  }

  /** The version a model's container serves; each model described once. */
  private versionOfModel(
    where: Where,
    modelName: string,
    models: Map<string, Promise<string | undefined>>,
  ): Promise<string | undefined> {
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
  }
}
