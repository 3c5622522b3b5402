import { useApi } from '@backstage/core-plugin-api';
import {
  Deployment,
  deploymentSignalChannel,
} from '@internal/backstage-plugin-sagemaker-common';
import { useEffect, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { sageMakerApiRef } from '../api';
import { DEFAULT_POLL_INTERVAL_MS, usePolling } from './usePolling';
import { useSignalRefresh } from './useSignalRefresh';

/**
 * Follows one deployment: starts from what the deploy request answered and
 * reads `GET /deployments/:id` again on each of the backend's signals for
 * it, and once as it starts listening (a fast deployment can move, even
 * end, before the subscription holds); without signals, polls it while it
 * is in progress. A failed poll stops polling until `retry` is called.
 */
export function useDeployment(
  initial: Deployment,
  pollIntervalMs: number = DEFAULT_POLL_INTERVAL_MS,
) {
  const api = useApi(sageMakerApiRef);
  const [deployment, setDeployment] = useState(initial);
  const [{ loading, error }, poll] = useAsyncFn(async () => {
    const next = await api.getDeployment(initial.id);
    setDeployment(next);
    return next;
  }, [api, initial.id]);
  const { live } = useSignalRefresh(deploymentSignalChannel(initial.id), poll);
  useEffect(() => {
    if (live) {
      poll();
    }
  }, [live, poll]);
  usePolling(poll, {
    active: !live && deployment.status === 'in-progress' && !error,
    idle: !loading,
    intervalMs: pollIntervalMs,
    result: deployment,
  });
  return { deployment, error, retry: poll };
}
