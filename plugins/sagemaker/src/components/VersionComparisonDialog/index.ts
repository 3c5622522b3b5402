export { VersionComparisonDialog } from './VersionComparisonDialog';
export type { VersionComparisonDialogProps } from './VersionComparisonDialog';
