import { useApi } from '@backstage/core-plugin-api';
import { HistoryFacets } from '@internal/backstage-plugin-sagemaker-common';
import useAsync from 'react-use/esm/useAsync';
import { sageMakerApiRef } from '../api';

const NONE: HistoryFacets = {
  entities: [],
  actors: [],
  targets: [],
  endpoints: [],
};

/**
 * The entities, users, targets and endpoints the history names, to suggest
 * in its pickers. Suggestions are a help, not a need: while they load, or if
 * they cannot be read, the fields take typed values and suggest nothing.
 */
export function useHistoryFacets(): HistoryFacets {
  const api = useApi(sageMakerApiRef);
  const { value } = useAsync(async () => api.getHistoryFacets(), [api]);
  return value ?? NONE;
}
