export { VersionsToolbar } from './VersionsToolbar';
export type { VersionsToolbarProps, VersionOrder } from './VersionsToolbar';
