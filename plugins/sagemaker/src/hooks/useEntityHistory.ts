import { useApi } from '@backstage/core-plugin-api';
import { HistoryEvent } from '@internal/backstage-plugin-sagemaker-common';
import { sageMakerApiRef } from '../api';
import { useCursorPages } from './useCursorPages';
import { useEntityCompoundRef } from './useEntityCompoundRef';

/** Events per history page. */
export const HISTORY_PAGE_SIZE = 25;

/**
 * The current entity's history, newest first, a page at a time. A change of
 * `refreshKey` reloads it from the newest event.
 */
export function useEntityHistory(refreshKey: number = 0) {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  return useCursorPages<HistoryEvent>(
    async cursor => {
      const page = await api.listHistory(entityRef, {
        limit: HISTORY_PAGE_SIZE,
        cursor,
      });
      return { items: page.events, nextCursor: page.nextCursor };
    },
    [api, entityRef, refreshKey],
  );
}
