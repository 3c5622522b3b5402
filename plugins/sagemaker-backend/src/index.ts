export { sagemakerPlugin as default } from './plugin';
// For the catalog module (plugins/catalog-backend-module-sagemaker), so it
// reads aws.accounts and builds its SDK clients exactly as the plugin does.
export { readSageMakerConfig } from './config/SageMakerConfig';
export type {
  SageMakerConfig,
  AccountRole,
  DeploymentTarget,
} from './config/SageMakerConfig';
export { SageMakerClientFactory } from './aws/SageMakerClientFactory';
export type { SdkClientClass } from './aws/SageMakerClientFactory';
export { collectPages } from './aws/pagination';
