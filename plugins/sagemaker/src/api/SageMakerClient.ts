import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityModelVersionsResponse } from '@internal/backstage-plugin-sagemaker-common';
import { ListVersionsOptions, SageMakerApi } from './SageMakerApi';

/**
 * The default {@link SageMakerApi}, on the backend plugin's REST API.
 *
 * @public
 */
export class SageMakerClient implements SageMakerApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listVersions(
    entity: CompoundEntityRef,
    options: ListVersionsOptions = {},
  ): Promise<EntityModelVersionsResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options)) {
      if (value !== undefined) {
        params.set(key, String(value));
      }
    }
    const query = params.toString();
    return this.get(
      `${this.entityPath(entity)}/versions${query ? `?${query}` : ''}`,
    );
  }

  private entityPath(entity: CompoundEntityRef): string {
    return `/entities/${[entity.kind, entity.namespace, entity.name]
      .map(encodeURIComponent)
      .join('/')}`;
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('sagemaker');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
