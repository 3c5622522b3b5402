import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  paginateListEndpoints,
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

/** Describe calls in flight at once per endpoint scan. */
const DESCRIBE_CONCURRENCY = 5;

/**
 * Resolves the endpoints of the deployment targets' accounts to the model
 * package versions they serve: endpoint → endpoint config → model → the
 * container's ModelPackageName. A scan of a target is cached in the target's
 * scope and shared by every entity.
 */
export class EndpointResolver implements TargetEndpoints {
  constructor(
    private readonly deps: {
      gateway: SageMakerGateway;
      cache: RegistryCache;
    },
  ) {}

  async endpointsInTarget(
    target: DeploymentTarget,
    options: { fresh: boolean },
  ): Promise<TargetEndpoint[]> {
    if (options.fresh) {
      return this.scan(target);
    }
    return this.deps.cache.getOrLoad(
      registryCacheKeys.targetScope(target),
      registryCacheKeys.targetEndpoints,
      () => this.scan(target),
    );
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

  private async scan(target: DeploymentTarget): Promise<TargetEndpoint[]> {
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
    const scanned = await mapWithConcurrency<
      string,
      TargetEndpoint | undefined
    >(names, DESCRIBE_CONCURRENCY, name => this.describe(target, name, models));
    return scanned.filter((e): e is TargetEndpoint => e !== undefined);
  }

  private async describe(
    target: DeploymentTarget,
    name: string,
    models: Map<string, Promise<string | undefined>>,
  ): Promise<TargetEndpoint | undefined> {
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
