export { DeploymentProgress } from './DeploymentProgress';
export type { DeploymentProgressProps } from './DeploymentProgress';
