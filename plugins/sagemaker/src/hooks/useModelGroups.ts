import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sageMakerApiRef } from '../api';
import { useEntityCompoundRef } from './useEntityCompoundRef';

/**
 * Loads the current entity's model package groups: counts by status and the
 * latest version of each.
 */
export function useModelGroups() {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  return useAsyncRetry(() => api.listGroups(entityRef), [api, entityRef]);
}
