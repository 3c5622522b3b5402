export { ModelVersionCard } from './ModelVersionCard';
export type { ModelVersionCardProps } from './ModelVersionCard';
