export { LifecycleDialog } from './LifecycleDialog';
export type { LifecycleDialogProps } from './LifecycleDialog';
