export { EntitySageMakerModelVersionsCard } from './EntitySageMakerModelVersionsCard';
export type { EntitySageMakerModelVersionsCardProps } from './EntitySageMakerModelVersionsCard';
