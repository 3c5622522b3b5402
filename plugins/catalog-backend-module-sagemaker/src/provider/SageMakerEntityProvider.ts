import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ModelPackageGroupSummary,
  SageMakerClient,
  paginateListEndpoints,
  paginateListModelPackageGroups,
  paginateListTags,
} from '@aws-sdk/client-sagemaker';
import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { collectPages } from '@internal/backstage-plugin-sagemaker-backend';
import { parseModelPackageGroupArn } from '@internal/backstage-plugin-sagemaker-common';
import { DiscoveryConfig } from '../config/DiscoveryConfig';
import {
  DiscoveredEndpoint,
  DiscoveredGroup,
  endpointEntity,
  entityNames,
  groupArnOfVersion,
  groupEntity,
  ownerOf,
} from './entities';

/** A SageMaker client with the backend's own role in an account and region. */
export type SageMakerClientSource = (
  accountId: string,
  region: string,
) => Promise<SageMakerClient>;

/** What one discovery run found. */
export interface Discovery {
  groups: DiscoveredGroup[];
  endpoints: DiscoveredEndpoint[];
}

/**
 * Discovers the SageMaker model package groups of the configured accounts
 * and regions (their own, and with `crossAccount` those shared with them
 * through AWS RAM), and the endpoints of those accounts that serve the
 * groups' versions, as Resource entities. Each run replaces everything the
 * provider emitted before (a full mutation), so a deleted group, or one
 * that no longer passes the filters, leaves the catalog.
 *
 * @public
 */
export class SageMakerEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly options: {
      config: DiscoveryConfig;
      clients: SageMakerClientSource;
      /** Accounts with credentials (aws.accounts): tags of a shared group are read in its own account when it is one. */
      awsAccountIds: Set<string>;
      logger: LoggerService;
      scheduler?: SchedulerService;
    },
  ) {}

  getProviderName(): string {
    return 'sagemaker-model-registry';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const { scheduler, config } = this.options;
    if (!scheduler) {
      return;
    }
    await scheduler.scheduleTask({
      id: `${this.getProviderName()}:refresh`,
      ...config.schedule,
      fn: () => this.refresh(),
    });
  }

  /** One discovery run: reads every account and region, then replaces the provider's entities. */
  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected yet`);
    }
    const started = Date.now();
    const discovery = await this.discover();
    const entities = this.toEntities(discovery);
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.options.logger.info(
      `Discovered ${discovery.groups.length} model package groups and ${
        discovery.endpoints.length
      } endpoints in ${Date.now() - started} ms`,
    );
  }

  /**
   * Reads the accounts. Any failure fails the whole run, so that the catalog
   * keeps what the last good run found rather than losing an account's
   * entities to a transient AWS error.
   */
  async discover(): Promise<Discovery> {
    const { config } = this.options;
    const groups = new Map<string, DiscoveredGroup>();
    for (const { accountId, regions } of config.accounts) {
      for (const region of regions) {
        for (const group of await this.readGroups(accountId, region)) {
          const known = groups.get(group.arn);
          // The owner's view wins over a share's: it has the tags.
          if (!known || (known.sharedWith && !group.sharedWith)) {
            groups.set(group.arn, group);
          }
        }
      }
    }
    const endpoints: DiscoveredEndpoint[] = [];
    if (config.endpoints) {
      for (const { accountId, regions } of config.accounts) {
        for (const region of regions) {
          endpoints.push(
            ...(await this.readEndpoints(accountId, region, groups)),
          );
        }
      }
    }
    return { groups: [...groups.values()], endpoints };
  }

  /** Entities of what a run found. */
  toEntities(discovery: Discovery): Entity[] {
    const { ownerTag, defaultOwner } = this.options.config;
    const groupNames = entityNames(discovery.groups);
    const groupRefs = new Map<string, { ref: string; owner: string }>();
    const entities: Entity[] = discovery.groups.map(group => {
      const entity = groupEntity(group, {
        name: groupNames.get(group.arn)!,
        ownerTag,
        defaultOwner,
      });
      groupRefs.set(group.arn, {
        ref: stringifyEntityRef(entity),
        owner: ownerOf(group.tags, ownerTag, defaultOwner),
      });
      return entity;
    });
    const endpointNames = entityNames(discovery.endpoints);
    for (const endpoint of discovery.endpoints) {
      const served = [
        ...new Set(
          endpoint.modelPackageArns
            .map(arn => groupRefs.get(groupArnOfVersion(arn) ?? ''))
            .filter((g): g is { ref: string; owner: string } => !!g),
        ),
      ];
      entities.push(
        endpointEntity(endpoint, {
          name: endpointNames.get(endpoint.arn)!,
          owner: served[0].owner,
          dependsOn: [...new Set(served.map(s => s.ref))],
        }),
      );
    }
    return entities;
  }

  private passes(name: string): boolean {
    const { include, exclude } = this.options.config;
    return (
      (include.length === 0 || include.some(p => p.test(name))) &&
      !exclude.some(p => p.test(name))
    );
  }

  private async readGroups(
    accountId: string,
    region: string,
  ): Promise<DiscoveredGroup[]> {
    const client = await this.options.clients(accountId, region);
    const own = await collectPages(
      paginateListModelPackageGroups({ client }, {}),
      page => page.ModelPackageGroupSummaryList,
    );
    const shared = this.options.config.crossAccount
      ? await collectPages(
          paginateListModelPackageGroups(
            { client },
            { CrossAccountFilterOption: 'CrossAccount' },
          ),
          page => page.ModelPackageGroupSummaryList,
        )
      : [];
    const result: DiscoveredGroup[] = [];
    const add = async (
      summary: ModelPackageGroupSummary,
      isShared: boolean,
    ) => {
      const arn = parseModelPackageGroupArn(summary.ModelPackageGroupArn ?? '');
      if (!arn || !this.passes(arn.name)) {
        return;
      }
      const ownerAccount = arn.accountId;
      // The RAM permission for model package groups does not cover ListTags:
      // a shared group's tags are read in its own account, when we have
      // credentials there.
      let tagsClient: SageMakerClient | undefined;
      if (ownerAccount === accountId) {
        tagsClient = client;
      } else if (this.options.awsAccountIds.has(ownerAccount)) {
        tagsClient = await this.options.clients(ownerAccount, arn.region);
      }
      const tags = tagsClient
        ? Object.fromEntries(
            (
              await collectPages(
                paginateListTags(
                  { client: tagsClient },
                  { ResourceArn: arn.arn },
                ),
                page => page.Tags,
              )
            ).map(tag => [tag.Key!, tag.Value ?? '']),
          )
        : undefined;
      result.push({
        arn: arn.arn,
        name: arn.name,
        accountId: ownerAccount,
        region: arn.region,
        description: summary.ModelPackageGroupDescription,
        tags,
        sharedWith: isShared ? accountId : undefined,
      });
    };
    for (const summary of own) {
      await add(summary, false);
    }
    for (const summary of shared) {
      await add(summary, true);
    }
    return result;
  }

  private async readEndpoints(
    accountId: string,
    region: string,
    groups: Map<string, DiscoveredGroup>,
  ): Promise<DiscoveredEndpoint[]> {
    const client = await this.options.clients(accountId, region);
    const summaries = await collectPages(
      paginateListEndpoints({ client }, {}),
      page => page.Endpoints,
    );
    const configs = new Map<string, Promise<string[]>>();
    const models = new Map<string, Promise<string[]>>();
    const modelPackagesOf = (modelName: string) => {
      if (!models.has(modelName)) {
        models.set(
          modelName,
          client
            .send(new DescribeModelCommand({ ModelName: modelName }))
            .then(model =>
              [model.PrimaryContainer, ...(model.Containers ?? [])]
                .map(container => container?.ModelPackageName)
                .filter((name): name is string => !!name),
            ),
        );
      }
      return models.get(modelName)!;
    };
    const modelNamesOf = (configName: string) => {
      if (!configs.has(configName)) {
        configs.set(
          configName,
          client
            .send(
              new DescribeEndpointConfigCommand({
                EndpointConfigName: configName,
              }),
            )
            .then(config =>
              (config.ProductionVariants ?? [])
                .map(variant => variant.ModelName)
                .filter((name): name is string => !!name),
            ),
        );
      }
      return configs.get(configName)!;
    };

    const result: DiscoveredEndpoint[] = [];
    for (const summary of summaries) {
      const endpoint = await client.send(
        new DescribeEndpointCommand({ EndpointName: summary.EndpointName }),
      );
      if (!endpoint.EndpointConfigName) {
        continue;
      }
      const packages = new Set<string>();
      for (const modelName of await modelNamesOf(endpoint.EndpointConfigName)) {
        for (const packageArn of await modelPackagesOf(modelName)) {
          const groupArn = groupArnOfVersion(packageArn);
          if (groupArn && groups.has(groupArn)) {
            packages.add(packageArn);
          }
        }
      }
      if (packages.size > 0) {
        result.push({
          arn: endpoint.EndpointArn!,
          name: endpoint.EndpointName!,
          accountId,
          region,
          status: endpoint.EndpointStatus,
          modelPackageArns: [...packages],
        });
      }
    }
    return result;
  }
}
