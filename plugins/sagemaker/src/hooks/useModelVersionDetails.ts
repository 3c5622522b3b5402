import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sageMakerApiRef } from '../api';
import { useEntityCompoundRef } from './useEntityCompoundRef';

/**
 * Loads everything the registry knows about one version of one of the
 * current entity's groups; nothing while `version` is undefined. A change of
 * `reloadKey` (the status the list shows, after an approval) loads it again.
 */
export function useModelVersionDetails(
  groupArn: string | undefined,
  version: number | undefined,
  reloadKey?: string,
) {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  return useAsyncRetry(async () => {
    if (version === undefined) {
      return undefined;
    }
    return api.getVersion(entityRef, version, { group: groupArn });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reloadKey only triggers a reload
  }, [api, entityRef, groupArn, version, reloadKey]);
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
