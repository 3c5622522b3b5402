import { DependencyList, useCallback, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

/**
 * One page of a cursor-paged list.
 */
export interface CursorPage<T> {
  items: T[];
  /** Absent on the last page. */
  nextCursor?: string;
}

interface LoadedMore<T> {
  /** The first page these pages follow; stale when the first page changed. */
  base?: CursorPage<T>;
  items: T[];
  nextCursor?: string;
}

/**
 * A cursor-paged list that grows with "Load more". The first page loads
 * whenever `deps` change, which also drops the pages loaded after it; a
 * page that arrives after its list was reloaded is ignored.
 */
export function useCursorPages<T>(
  fetchPage: (cursor?: string) => Promise<CursorPage<T>>,
  deps: DependencyList,
) {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const first = useAsyncRetry(() => fetchPage(undefined), deps);
  const [loaded, setLoaded] = useState<LoadedMore<T>>({ items: [] });
  const base = first.value;
  const more: LoadedMore<T> =
    loaded.base === base && base
      ? loaded
      : { base, items: [], nextCursor: base?.nextCursor };

  const [moreState, loadMore] = useAsyncFn(async () => {
    if (!base || !more.nextCursor) {
      return;
    }
    const page = await fetchPage(more.nextCursor);
    setLoaded(previous => {
      const current =
        previous.base === base
          ? previous
          : { base, items: [], nextCursor: base.nextCursor };
      return {
        base,
        items: [...current.items, ...page.items],
        nextCursor: page.nextCursor,
      };
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base, more.nextCursor, ...deps]);

  const { retry } = first;
  const reload = useCallback(() => retry(), [retry]);

  return {
    items: base ? [...base.items, ...more.items] : [],
    /** True until the first page has loaded, and while it reloads. */
    loading: first.loading,
    error: first.error,
    retry: reload,
    hasMore: Boolean(more.nextCursor),
    loadMore,
    loadingMore: moreState.loading,
    loadMoreError: moreState.error,
  };
}
