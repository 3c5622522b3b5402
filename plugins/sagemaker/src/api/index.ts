export { sageMakerApiRef } from './SageMakerApi';
export type {
  SageMakerApi,
  ListVersionsOptions,
  GetVersionOptions,
  DeployOptions,
  ListHistoryOptions,
  EntityDeploymentsResponse,
} from './SageMakerApi';
export { SageMakerClient } from './SageMakerClient';
