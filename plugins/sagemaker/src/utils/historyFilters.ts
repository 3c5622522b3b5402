import { historyPageQuerySchema } from '@internal/backstage-plugin-sagemaker-common';
import { HistoryFilter } from '../api';

/** The filters of the org-wide history, in the order the form shows them. */
export const HISTORY_FILTER_KEYS = [
  'entity',
  'actor',
  'action',
  'outcome',
  'source',
  'target',
  'account',
  'endpoint',
  'from',
  'to',
] as const;

export type HistoryFilterKey = (typeof HISTORY_FILTER_KEYS)[number];

/**
 * Filter values as the URL holds them: strings, `from` and `to` as ISO 8601
 * date-times; a filter that is not set is absent.
 */
export type HistoryFilterValues = Partial<Record<HistoryFilterKey, string>>;

/** Messages of invalid filters, by filter. */
export type HistoryFilterErrors = Partial<Record<HistoryFilterKey, string>>;

/** The filters in a URL's search parameters; other parameters are ignored. */
export function filtersFromSearchParams(
  params: URLSearchParams,
): HistoryFilterValues {
  const filters: HistoryFilterValues = {};
  for (const key of HISTORY_FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (value) {
      filters[key] = value;
    }
  }
  return filters;
}

/** The search parameters of a set of filters, in a stable order. */
export function filtersToSearchParams(
  filters: HistoryFilterValues,
): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of HISTORY_FILTER_KEYS) {
    const value = filters[key]?.trim();
    if (value) {
      params.set(key, value);
    }
  }
  return params;
}

export function hasFilters(filters: HistoryFilterValues): boolean {
  return HISTORY_FILTER_KEYS.some(key => Boolean(filters[key]));
}

/**
 * The filters as the API takes them. Values that came from an edited URL
 * are passed on as they are, and the backend says what is wrong with them.
 */
export function toHistoryFilter(filters: HistoryFilterValues): HistoryFilter {
  return filters as HistoryFilter;
}

/**
 * What is wrong with a set of filters, by the rules the backend applies
 * (the same schema), so the form can say it before sending anything.
 */
export function validateFilters(
  filters: HistoryFilterValues,
): HistoryFilterErrors {
  const result = historyPageQuerySchema.safeParse(filters);
  const errors: HistoryFilterErrors = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path[0] as HistoryFilterKey;
      if (HISTORY_FILTER_KEYS.includes(key) && !errors[key]) {
        errors[key] = issue.message;
      }
    }
  }
  return errors;
}

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * An ISO 8601 date-time as a `datetime-local` input shows it, in the
 * reader's time zone ('' when it is not a date).
 */
export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return '';
  }
  const seconds = date.getSeconds() ? `:${pad(date.getSeconds())}` : '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}T${pad(date.getHours())}:${pad(date.getMinutes())}${seconds}`;
}

/**
 * A `datetime-local` input's value (the reader's time zone) as an ISO 8601
 * date-time in UTC; undefined when empty or not a date.
 */
export function localInputToIso(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) {
    return undefined;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
