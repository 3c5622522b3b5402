/**
 * A catalog module that discovers SageMaker model package groups and the
 * endpoints serving their versions.
 *
 * @packageDocumentation
 */

export { catalogModuleSageMakerModelRegistry as default } from './module';
export { SageMakerEntityProvider } from './provider/SageMakerEntityProvider';
export type {
  Discovery,
  SageMakerClientSource,
} from './provider/SageMakerEntityProvider';
export {
  ENDPOINT_TYPE,
  MODEL_PACKAGE_GROUP_TYPE,
  SAGEMAKER_ENDPOINT_ARN_ANNOTATION,
} from './provider/entities';
export type { DiscoveredEndpoint, DiscoveredGroup } from './provider/entities';
export { readDiscoveryConfig } from './config/DiscoveryConfig';
export type {
  DiscoveryAccount,
  DiscoveryConfig,
} from './config/DiscoveryConfig';
