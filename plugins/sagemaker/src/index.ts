/**
 * Frontend plugin for the SageMaker Model Registry: model version cards and
 * an entity tab to review, approve and deploy versions.
 *
 * @packageDocumentation
 */

export {
  sagemakerPlugin,
  EntitySageMakerModelVersionsCard,
  EntitySageMakerContent,
  SageMakerHistoryPage,
  SageMakerReadinessPage,
} from './plugin';
export { sageMakerHistoryRouteRef, sageMakerReadinessRouteRef } from './routes';
export type { EntitySageMakerModelVersionsCardProps } from './components/EntitySageMakerModelVersionsCard';
export type { EntitySageMakerContentProps } from './components/EntitySageMakerContent';
export * from './api';
export { isSageMakerAvailable } from '@internal/backstage-plugin-sagemaker-common';
