export { LoadingVersions } from './LoadingVersions';
