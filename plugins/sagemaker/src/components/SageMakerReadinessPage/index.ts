export { SageMakerReadinessPage } from './SageMakerReadinessPage';
