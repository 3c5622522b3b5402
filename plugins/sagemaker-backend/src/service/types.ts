import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EntityModelVersionsResponse,
  ListVersionsQuery,
} from '@internal/backstage-plugin-sagemaker-common';

/**
 * Reads the SageMaker Model Registry on behalf of a caller.
 *
 * @public
 */
export interface SageMakerRegistryService {
  listVersions(
    entity: CompoundEntityRef,
    query: ListVersionsQuery,
    options: { credentials: BackstageCredentials },
  ): Promise<EntityModelVersionsResponse>;
}
