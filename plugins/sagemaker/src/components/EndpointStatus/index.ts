export { EndpointStatus } from './EndpointStatus';
