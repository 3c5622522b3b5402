import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  HistoryFilterValues,
  filtersFromSearchParams,
  filtersToSearchParams,
} from '../utils/historyFilters';

/**
 * The org-wide history's filters, kept in the URL's search parameters so a
 * reload, a bookmark or a shared link shows the same events. `key` changes
 * exactly when the filters do.
 */
export function useHistoryFilters() {
  const [searchParams, setSearchParams] = useSearchParams();
  const key = filtersToSearchParams(
    filtersFromSearchParams(searchParams),
  ).toString();
  const filters = useMemo(
    () => filtersFromSearchParams(new URLSearchParams(key)),
    [key],
  );
  const apply = useCallback(
    (next: HistoryFilterValues) => setSearchParams(filtersToSearchParams(next)),
    [setSearchParams],
  );
  return { filters, key, apply };
}
