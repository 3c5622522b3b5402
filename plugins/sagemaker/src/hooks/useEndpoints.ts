import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sageMakerApiRef } from '../api';
import { useEntityCompoundRef } from './useEntityCompoundRef';

/**
 * Loads the endpoints that serve the current entity's versions.
 */
export function useEndpoints() {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  return useAsyncRetry(() => api.listEndpoints(entityRef), [api, entityRef]);
}
