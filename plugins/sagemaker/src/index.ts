/**
 * Frontend plugin for SageMaker Model Registry: model version cards on
 * catalog entities.
 *
 * @packageDocumentation
 */

export { sagemakerPlugin, EntitySageMakerModelVersionsCard } from './plugin';
export { sageMakerApiRef, SageMakerClient } from './api';
export type { SageMakerApi, ListVersionsOptions } from './api';
export { isSageMakerAvailable } from '@internal/backstage-plugin-sagemaker-common';
