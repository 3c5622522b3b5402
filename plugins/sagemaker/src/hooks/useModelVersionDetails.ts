import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sageMakerApiRef } from '../api';
import { useEntityCompoundRef } from './useEntityCompoundRef';

/**
 * Loads everything the registry knows about one version of one of the
 * current entity's groups; nothing while `version` is undefined.
 */
export function useModelVersionDetails(
  groupArn: string | undefined,
  version: number | undefined,
) {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  return useAsyncRetry(async () => {
    if (version === undefined) {
      return undefined;
    }
    return api.getVersion(entityRef, version, { group: groupArn });
  }, [api, entityRef, groupArn, version]);
}

/**
 * Loads the details of several versions of one group at once (for a
 * comparison), in the order given.
 */
export function useModelVersionsDetails(groupArn: string, versions: number[]) {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  const key = versions.join(',');
  return useAsyncRetry(
    () =>
      Promise.all(
        key
          .split(',')
          .map(n => api.getVersion(entityRef, Number(n), { group: groupArn })),
      ),
    [api, entityRef, groupArn, key],
  );
}
