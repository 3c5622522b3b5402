export { sageMakerApiRef } from './SageMakerApi';
export type {
  SageMakerApi,
  ListVersionsOptions,
  GetVersionOptions,
  DeployOptions,
  ListHistoryOptions,
  EntityDeploymentsResponse,
  HistoryFilter,
  QueryHistoryOptions,
  HistoryExportFormat,
  HistoryExportFile,
  EndpointAtQuery,
} from './SageMakerApi';
export { SageMakerClient } from './SageMakerClient';
