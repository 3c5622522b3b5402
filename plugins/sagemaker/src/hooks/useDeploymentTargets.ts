import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sageMakerApiRef } from '../api';

/**
 * Loads the deployment targets the user may choose from.
 */
export function useDeploymentTargets() {
  const api = useApi(sageMakerApiRef);
  return useAsyncRetry(() => api.listTargets(), [api]);
}
