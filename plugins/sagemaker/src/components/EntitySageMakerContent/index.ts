export { EntitySageMakerContent } from './EntitySageMakerContent';
export type { EntitySageMakerContentProps } from './EntitySageMakerContent';
