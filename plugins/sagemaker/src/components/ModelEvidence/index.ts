export { ModelReportView } from './ModelReportView';
export type { ModelReportViewProps } from './ModelReportView';
export { ModelCardView } from './ModelCardView';
export type { ModelCardViewProps } from './ModelCardView';
export { LineageView } from './LineageView';
export type { LineageViewProps } from './LineageView';
