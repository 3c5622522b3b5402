export { ModelVersionsPanel } from './ModelVersionsPanel';
export type { ModelVersionsPanelProps } from './ModelVersionsPanel';
