import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sageMakerApiRef } from '../api';
import { useEntityCompoundRef } from './useEntityCompoundRef';
import { DEFAULT_POLL_INTERVAL_MS, usePolling } from './usePolling';

/**
 * The current entity's recent deployments, newest first, reloaded while any
 * of them is in progress and whenever `refreshKey` changes.
 */
export function useEntityDeployments(
  refreshKey: number = 0,
  pollIntervalMs: number = DEFAULT_POLL_INTERVAL_MS,
) {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  const state = useAsyncRetry(
    () => api.listDeployments(entityRef),
    [api, entityRef, refreshKey],
  );
  usePolling(state.retry, {
    active:
      !state.error &&
      Boolean(state.value?.deployments.some(d => d.status === 'in-progress')),
    idle: !state.loading,
    intervalMs: pollIntervalMs,
    result: state.value,
  });
  return state;
}
