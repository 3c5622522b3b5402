import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { entityDeploymentsSignalChannel } from '@internal/backstage-plugin-sagemaker-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sageMakerApiRef } from '../api';
import { useEntityCompoundRef } from './useEntityCompoundRef';
import { DEFAULT_POLL_INTERVAL_MS, usePolling } from './usePolling';
import { useSignalRefresh } from './useSignalRefresh';

/**
 * The current entity's recent deployments, newest first, reloaded on the
 * backend's signal that one of them changed (without signals: polled while
 * any of them is in progress) and whenever `refreshKey` changes.
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
  const { live } = useSignalRefresh(
    entityDeploymentsSignalChannel(stringifyEntityRef(entityRef)),
    state.retry,
  );
  usePolling(state.retry, {
    active:
      !live &&
      !state.error &&
      Boolean(state.value?.deployments.some(d => d.status === 'in-progress')),
    idle: !state.loading,
    intervalMs: pollIntervalMs,
    result: state.value,
  });
  return state;
}
