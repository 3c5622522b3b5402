import { ModelVersionSummary } from '@internal/backstage-plugin-sagemaker-common';

/**
 * A column the version table sorts by: a field of the version, or one of its
 * metrics (`metric:accuracy`).
 */
export type VersionSortKey =
  | 'version'
  | 'created'
  | 'status'
  | `metric:${string}`;

/** How the version table is sorted. */
export interface VersionSort {
  key: VersionSortKey;
  direction: 'asc' | 'desc';
}

/** Reads a sort from its URL form, `metric:accuracy:desc`; undefined if unusable. */
export function parseVersionSort(
  text: string | null | undefined,
): VersionSort | undefined {
  const match = /^(version|created|status|metric:.+):(asc|desc)$/.exec(
    text ?? '',
  );
  if (!match) {
    return undefined;
  }
  return {
    key: match[1] as VersionSortKey,
    direction: match[2] as 'asc' | 'desc',
  };
}

/** The URL form of a sort, read back by {@link parseVersionSort}. */
export function formatVersionSort(sort: VersionSort): string {
  return `${sort.key}:${sort.direction}`;
}

/** The metric a sort key names, if it names one. */
export function sortedMetric(key: VersionSortKey): string | undefined {
  return key.startsWith('metric:') ? key.slice('metric:'.length) : undefined;
}

function value(
  version: ModelVersionSummary,
  key: VersionSortKey,
): number | string | undefined {
  const metric = sortedMetric(key);
  if (metric !== undefined) {
    return version.metrics[metric];
  }
  if (key === 'created') {
    return Date.parse(version.createdAt);
  }
  return key === 'status' ? version.approvalStatus : version.version;
}

/**
 * The versions in the order the table shows them. Versions without the
 * sorted metric come last in both directions: a missing value is not a low
 * one. Ties keep the version order.
 */
export function sortVersions(
  versions: ModelVersionSummary[],
  sort: VersionSort | undefined,
): ModelVersionSummary[] {
  if (!sort) {
    return versions;
  }
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...versions].sort((a, b) => {
    const x = value(a, sort.key);
    const y = value(b, sort.key);
    if (x === undefined || y === undefined) {
      return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0);
    }
    const order =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : String(x).localeCompare(String(y));
    return sign * order || b.version - a.version;
  });
}
