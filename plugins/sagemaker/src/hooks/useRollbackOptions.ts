import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sageMakerApiRef } from '../api';
import { useEntityCompoundRef } from './useEntityCompoundRef';

/**
 * What each of the current entity's endpoints can be rolled back to, as the
 * server computes it from the deployments; reloaded when `refreshKey`
 * changes (a deployment started or ended), never polled.
 */
export function useRollbackOptions(refreshKey: number) {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  return useAsyncRetry(
    async () => (await api.listDeployments(entityRef)).rollbacks ?? [],
    [api, entityRef, refreshKey],
  );
}
