export { ReadinessChecks, ReadinessStatusLabel } from './ReadinessChecks';
