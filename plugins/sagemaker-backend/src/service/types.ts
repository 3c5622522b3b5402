import { DescribeModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  DeploymentTargetsResponse,
  EntityEndpointsResponse,
  EntityModelGroupsResponse,
  EntityModelVersionsResponse,
  ListVersionsQuery,
  ModelEndpoint,
  ModelPackageGroupArn,
  ModelVersionDetails,
} from '@internal/backstage-plugin-sagemaker-common';
import { DeploymentTarget } from '../config/SageMakerConfig';

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

  /**
   * A version's details from what DescribeModelPackage answered, with its
   * reports read from S3 (cached), as getVersion returns them.
   */
  versionDetails(
    group: ModelPackageGroupArn,
    described: DescribeModelPackageCommandOutput,
  ): Promise<ModelVersionDetails>;
}

/** An endpoint in a deployment target, with the model versions it serves. */
export type TargetEndpoint = Omit<ModelEndpoint, 'target'>;

/**
 * The endpoints of the configured deployment targets, as deploys need them:
 * which versions a target serves, and the state of one endpoint.
 */
export interface TargetEndpoints {
  /**
   * The endpoints of one target that serve versions of the groups; `fresh`
   * skips the cache, for decisions (a deploy's `requires`) rather than
   * display.
   */
  endpointsServing(
    target: DeploymentTarget,
    groupArns: string[],
    options: { fresh: boolean },
  ): Promise<{ endpoints: TargetEndpoint[]; discoveryTruncated: boolean }>;

  /** One endpoint of a target, read fresh; undefined when there is none. */
  describeEndpointInTarget(
    target: DeploymentTarget,
    endpointName: string,
  ): Promise<TargetEndpoint | undefined>;

  /** Drops the cached endpoints of a target, after a deploy to it. */
  invalidateTarget(target: DeploymentTarget): Promise<void>;
}
