import { useRouteRef } from '@backstage/core-plugin-api';
import { entityContentRouteRef } from '../routes';

/**
 * The path of the entity's SageMaker tab, or undefined where the app has not
 * mounted the tab (a card on a page without it links nowhere rather than
 * failing).
 */
export function useEntityTabLink(): string | undefined {
  try {
    // useRouteRef runs all of its hooks before it throws for a missing
    // route, so catching keeps the hook order stable across renders.
    return useRouteRef(entityContentRouteRef)();
  } catch {
    return undefined;
  }
}
