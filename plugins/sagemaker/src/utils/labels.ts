import {
  HistoryAction,
  HistoryOutcome,
  MetricSource,
  ModelApprovalStatus,
  ModelReportState,
} from '@internal/backstage-plugin-sagemaker-common';

/** How approval statuses read in the UI. */
export const APPROVAL_STATUS_LABELS: Record<ModelApprovalStatus, string> = {
  Approved: 'Approved',
  Rejected: 'Rejected',
  PendingManualApproval: 'Pending approval',
};

/** How history actions read in the UI. */
export const HISTORY_ACTION_LABELS: Record<HistoryAction, string> = {
  approve: 'Approve',
  reject: 'Reject',
  'reset-approval': 'Reset to pending approval',
  deploy: 'Deploy',
  'endpoint-status': 'Endpoint status',
  lifecycle: 'Lifecycle stage',
  register: 'Registered',
};

/** How history outcomes read in the UI. */
export const HISTORY_OUTCOME_LABELS: Record<HistoryOutcome, string> = {
  requested: 'Requested',
  succeeded: 'Succeeded',
  failed: 'Failed',
  denied: 'Denied',
  'rolled-back': 'Rolled back',
};

/** A date and time in the reader's locale. */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** A metric value, short enough for a card. */
export function formatMetric(value: number): string {
  if (Number.isInteger(value)) {
    return String(value);
  }
  return Math.abs(value) >= 1000
    ? value.toFixed(0)
    : String(Number(value.toPrecision(4)));
}

/**
 * A chart tooltip's line for a metric: its value as cards show it, named.
 * (recharts passes values it does not know as numbers through as they are.)
 */
export function metricTooltip(name: string) {
  return (value: unknown): [string, string] => [
    typeof value === 'number' ? formatMetric(value) : String(value),
    name,
  ];
}

/** An approval status inside a sentence: "is pending approval". */
export function approvalStatusPhrase(status: ModelApprovalStatus): string {
  return (APPROVAL_STATUS_LABELS[status] ?? status).toLocaleLowerCase('en-US');
}

/** Where a metric came from, as a short phrase. */
export const METRIC_SOURCE_LABELS: Record<MetricSource, string> = {
  report: 'from the evaluation report in S3',
  metadata: 'from the customer metadata',
  both: 'in both the evaluation report and the customer metadata; the report’s value is shown',
};

/** How a report read ended, as a short phrase. */
export const REPORT_STATE_LABELS: Record<ModelReportState, string> = {
  ok: 'Read',
  missing: 'Report not found',
  forbidden: 'Access to the report denied',
  malformed: 'Report is not valid JSON',
  'unknown-format': 'Report in an unknown format',
  'too-large': 'Report too large to read',
  unavailable: 'Report could not be read',
};
