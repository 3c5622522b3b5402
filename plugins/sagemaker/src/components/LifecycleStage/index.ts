export { LifecycleStage } from './LifecycleStage';
