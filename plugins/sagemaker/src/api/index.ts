export { sageMakerApiRef } from './SageMakerApi';
export type { SageMakerApi, ListVersionsOptions } from './SageMakerApi';
export { SageMakerClient } from './SageMakerClient';
