import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The entity tab of the plugin.
 */
export const entityContentRouteRef = createRouteRef({
  id: 'sagemaker:entity-content',
});
