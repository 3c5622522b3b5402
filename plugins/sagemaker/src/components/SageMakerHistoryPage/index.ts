export { SageMakerHistoryPage } from './SageMakerHistoryPage';
