export { ModelVersionsTable } from './ModelVersionsTable';
export type { ModelVersionsTableProps } from './ModelVersionsTable';
