import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ListVersionsOptions, sageMakerApiRef } from '../api';
import { useEntityCompoundRef } from './useEntityCompoundRef';

/**
 * Loads one page of versions of each of the current entity's groups.
 */
export function useModelVersions(options: ListVersionsOptions = {}) {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  const key = JSON.stringify(options);
  return useAsyncRetry(
    () => api.listVersions(entityRef, JSON.parse(key)),
    [api, entityRef, key],
  );
}
