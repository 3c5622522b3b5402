export { ModelVersionDrawer } from './ModelVersionDrawer';
export type { ModelVersionDrawerProps } from './ModelVersionDrawer';
