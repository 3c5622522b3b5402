import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  HistoryEvent,
  historySignalChannel,
} from '@internal/backstage-plugin-sagemaker-common';
import { sageMakerApiRef } from '../api';
import { useCursorPages } from './useCursorPages';
import { useEntityCompoundRef } from './useEntityCompoundRef';
import { useSignalRefresh } from './useSignalRefresh';

/** Events per history page. */
export const HISTORY_PAGE_SIZE = 25;

/**
 * The current entity's history, newest first, a page at a time. A change of
 * `refreshKey`, or the backend's signal of a new event (one recorded
 * outside this page, by SageMaker's events or the sync, included), reloads
 * it from the newest event.
 */
export function useEntityHistory(refreshKey: number = 0) {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  const pages = useCursorPages<HistoryEvent>(
    async cursor => {
      const page = await api.listHistory(entityRef, {
        limit: HISTORY_PAGE_SIZE,
        cursor,
      });
      return { items: page.events, nextCursor: page.nextCursor };
    },
    [api, entityRef, refreshKey],
  );
  useSignalRefresh(
    historySignalChannel(stringifyEntityRef(entityRef)),
    pages.retry,
  );
  return pages;
}
