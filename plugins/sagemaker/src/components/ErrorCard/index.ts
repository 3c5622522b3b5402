export { ErrorCard } from './ErrorCard';
export type { ErrorCardProps } from './ErrorCard';
