export { DataTable } from './DataTable';
export type { DataTableColumn, DataTableProps } from './DataTable';
export { ScrollRegion, fromControl } from './ScrollRegion';
