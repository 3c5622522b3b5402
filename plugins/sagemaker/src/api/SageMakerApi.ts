import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EntityModelVersionsResponse,
  ListVersionsQuery,
} from '@internal/backstage-plugin-sagemaker-common';

/**
 * Options of {@link SageMakerApi.listVersions}.
 *
 * @public
 */
export type ListVersionsOptions = Partial<ListVersionsQuery>;

/**
 * Talks to the SageMaker backend plugin.
 *
 * @public
 */
export interface SageMakerApi {
  listVersions(
    entity: CompoundEntityRef,
    options?: ListVersionsOptions,
  ): Promise<EntityModelVersionsResponse>;
}

/**
 * @public
 */
export const sageMakerApiRef = createApiRef<SageMakerApi>({
  id: 'plugin.sagemaker.api',
});
