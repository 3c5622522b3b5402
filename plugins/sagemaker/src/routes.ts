import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The entity tab of the plugin.
 */
export const entityContentRouteRef = createRouteRef({
  id: 'sagemaker:entity-content',
});

/**
 * The organisation-wide history page (`/sagemaker/history` in the app).
 *
 * @public
 */
export const sageMakerHistoryRouteRef = createRouteRef({
  id: 'sagemaker:history',
});

/**
 * The organisation-wide readiness page (`/sagemaker/readiness` in the app).
 *
 * @public
 */
export const sageMakerReadinessRouteRef = createRouteRef({
  id: 'sagemaker:readiness',
});
