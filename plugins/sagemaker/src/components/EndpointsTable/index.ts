export { EndpointsTable } from './EndpointsTable';
export type { EndpointsTableProps } from './EndpointsTable';
