import {
  lifecycleLabel,
  ModelVersionSummary,
} from '@internal/backstage-plugin-sagemaker-common';
import { APPROVAL_STATUS_LABELS } from './labels';

/** How many versions can be compared side by side. */
export const MAX_COMPARED = 4;

/**
 * Whether a version matches a free-text search: its number (`12`, `v12` or
 * `version 12`, matched exactly), description, creator, approval status,
 * lifecycle stage or a metric name.
 */
export function matchesSearch(
  version: ModelVersionSummary,
  search: string,
): boolean {
  const needle = search.trim().toLocaleLowerCase();
  if (!needle) {
    return true;
  }
  const number = /^(?:v|version)?\s*(\d+)$/.exec(needle);
  if (number) {
    return version.version === Number(number[1]);
  }
  const haystack = [
    version.description ?? '',
    version.createdBy ?? '',
    APPROVAL_STATUS_LABELS[version.approvalStatus] ?? version.approvalStatus,
    version.modelLifeCycle ? lifecycleLabel(version.modelLifeCycle) : '',
    ...Object.keys(version.metrics),
  ];
  return haystack.some(text => text.toLocaleLowerCase().includes(needle));
}

/** The metric names found in any of the versions, sorted. */
export function metricNames(versions: ModelVersionSummary[]): string[] {
  const names = new Set<string>();
  for (const version of versions) {
    Object.keys(version.metrics).forEach(name => names.add(name));
  }
  return [...names].sort((a, b) => a.localeCompare(b));
}

const PREFERRED_METRICS = [
  'accuracy',
  'auc',
  'f1',
  'precision',
  'recall',
  'rmse',
  'mae',
  'mape',
];

function rank(name: string): number {
  const index = PREFERRED_METRICS.indexOf(name.toLocaleLowerCase());
  return index === -1 ? PREFERRED_METRICS.length : index;
}

/** Orders metric names with well-known ones first, then by name. */
export function compareMetricNames(a: string, b: string): number {
  return rank(a) - rank(b) || a.localeCompare(b);
}

/**
 * The few metrics a version card shows: the version's key metrics (the
 * group's configured ones, or its problem type's) in their order, then
 * well-known ones, then the rest by name.
 */
export function keyMetrics(
  version: Pick<ModelVersionSummary, 'metrics' | 'keyMetrics'>,
  max = 4,
): Array<[string, number]> {
  const preferred = version.keyMetrics ?? [];
  const position = (name: string) => {
    const index = preferred.indexOf(name);
    return index === -1 ? preferred.length : index;
  };
  return Object.entries(version.metrics)
    .sort(([a], [b]) => position(a) - position(b) || compareMetricNames(a, b))
    .slice(0, max);
}
