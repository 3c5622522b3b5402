import { useApi } from '@backstage/core-plugin-api';
import { HistoryEvent } from '@internal/backstage-plugin-sagemaker-common';
import { sageMakerApiRef } from '../api';
import { HistoryFilterValues, toHistoryFilter } from '../utils/historyFilters';
import { useCursorPages } from './useCursorPages';

/** Events per page of the org-wide history. */
export const ORG_HISTORY_PAGE_SIZE = 50;

/**
 * The organisation-wide history matching the filters, newest first, a page
 * at a time; it loads again from the newest event when `key` changes.
 */
export function useOrgHistory(filters: HistoryFilterValues, key: string) {
  const api = useApi(sageMakerApiRef);
  return useCursorPages<HistoryEvent>(
    async cursor => {
      const page = await api.queryHistory({
        ...toHistoryFilter(filters),
        limit: ORG_HISTORY_PAGE_SIZE,
        cursor,
      });
      return { items: page.events, nextCursor: page.nextCursor };
    },
    // `key` stands for the filters.
    [api, key],
  );
}
