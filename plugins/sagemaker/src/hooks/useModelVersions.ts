import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ListVersionsOptions, sageMakerApiRef } from '../api';

/**
 * Loads the model versions of the current entity.
 *
 * @public
 */
export function useModelVersions(options: ListVersionsOptions = {}) {
  const api = useApi(sageMakerApiRef);
  const { entity } = useEntity();
  const ref = getCompoundEntityRef(entity);
  const key = JSON.stringify(options);
  return useAsyncRetry(
    () => api.listVersions(ref, options),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, ref.kind, ref.namespace, ref.name, key],
  );
}
