export { MetricChart } from './MetricChart';
export type { MetricChartProps } from './MetricChart';
