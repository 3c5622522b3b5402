import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  DeploymentTargetsResponse,
  EntityEndpointsResponse,
  EntityModelGroupsResponse,
  EntityModelVersionsResponse,
  ListVersionsQuery,
  ModelVersionDetails,
} from '@internal/backstage-plugin-sagemaker-common';

/** Who is asking; the entity is loaded with these credentials. */
export interface RequestOptions {
  credentials: BackstageCredentials;
}

/**
 * Reads the SageMaker Model Registry and endpoints on behalf of a caller.
 * Every method that takes an entity uses only the groups that entity names.
 *
 * @public
 */
export interface SageMakerRegistryService {
  listGroups(
    entity: CompoundEntityRef,
    options: RequestOptions,
  ): Promise<EntityModelGroupsResponse>;

  listVersions(
    entity: CompoundEntityRef,
    query: ListVersionsQuery,
    options: RequestOptions,
  ): Promise<EntityModelVersionsResponse>;

  getVersion(
    entity: CompoundEntityRef,
    version: { group?: string; version: number },
    options: RequestOptions,
  ): Promise<ModelVersionDetails>;

  listEndpoints(
    entity: CompoundEntityRef,
    options: RequestOptions,
  ): Promise<EntityEndpointsResponse>;

  listTargets(options: RequestOptions): Promise<DeploymentTargetsResponse>;

  /** Drops cached reads of a group, after a write through this plugin. */
  invalidateGroup(groupArn: string): Promise<void>;
}
