import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  ApprovalRequest,
  ApprovalResponse,
  Deployment,
  DeploymentTargetsResponse,
  DeployRequest,
  EntityEndpointsResponse,
  RollbackRequest,
  EntityModelGroupsResponse,
  EntityModelVersionsResponse,
  EndpointAtResponse,
  HistoryFacets,
  HistoryPage,
  HistoryVerification,
  ModelVersionDetails,
  GeneratedPoliciesResponse,
  ReadinessReport,
  EvidenceGatesResponse,
  LifecycleOptionsResponse,
  LifecycleRequest,
  LifecycleResponse,
} from '@internal/backstage-plugin-sagemaker-common';
import {
  DeployOptions,
  EndpointAtQuery,
  EntityDeploymentsResponse,
  GetVersionOptions,
  HistoryExportFile,
  HistoryExportFormat,
  HistoryFilter,
  ListHistoryOptions,
  ListVersionsOptions,
  QueryHistoryOptions,
  ReadinessOptions,
  SageMakerApi,
} from './SageMakerApi';

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

  async listTargets(): Promise<DeploymentTargetsResponse> {
    return this.request('/targets');
  }

  async listGroups(
    entity: CompoundEntityRef,
  ): Promise<EntityModelGroupsResponse> {
    return this.request(`${entityPath(entity)}/groups`);
  }

  async listVersions(
    entity: CompoundEntityRef,
    options: ListVersionsOptions = {},
  ): Promise<EntityModelVersionsResponse> {
    return this.request(`${entityPath(entity)}/versions${query(options)}`);
  }

  async getVersion(
    entity: CompoundEntityRef,
    version: number,
    options: GetVersionOptions = {},
  ): Promise<ModelVersionDetails> {
    return this.request(
      `${entityPath(entity)}/versions/${encodeURIComponent(version)}${query(
        options,
      )}`,
    );
  }

  async listEndpoints(
    entity: CompoundEntityRef,
  ): Promise<EntityEndpointsResponse> {
    return this.request(`${entityPath(entity)}/endpoints`);
  }

  async setApproval(
    entity: CompoundEntityRef,
    version: number,
    request: ApprovalRequest,
  ): Promise<ApprovalResponse> {
    return this.request(
      `${entityPath(entity)}/versions/${encodeURIComponent(version)}/approval`,
      { method: 'POST', body: request },
    );
  }

  async setLifecycle(
    entity: CompoundEntityRef,
    version: number,
    request: LifecycleRequest,
  ): Promise<LifecycleResponse> {
    return this.request(
      `${entityPath(entity)}/versions/${encodeURIComponent(version)}/lifecycle`,
      { method: 'POST', body: request },
    );
  }

  async listLifecycleOptions(): Promise<LifecycleOptionsResponse> {
    return this.request('/lifecycle-stages');
  }

  async getEvidenceGates(
    entity: CompoundEntityRef,
    options: { target: string; version: number; group?: string },
  ): Promise<EvidenceGatesResponse> {
    return this.request(
      `${entityPath(entity)}/gates${query({
        target: options.target,
        version: String(options.version),
        group: options.group,
      })}`,
    );
  }

  async deploy(
    entity: CompoundEntityRef,
    request: DeployRequest,
    options: DeployOptions = {},
  ): Promise<Deployment> {
    return this.request(`${entityPath(entity)}/deployments`, {
      method: 'POST',
      body: request,
      headers: {
        'Idempotency-Key': options.idempotencyKey ?? crypto.randomUUID(),
      },
    });
  }

  async rollback(
    entity: CompoundEntityRef,
    request: RollbackRequest,
    options: DeployOptions = {},
  ): Promise<Deployment> {
    return this.request(`${entityPath(entity)}/rollbacks`, {
      method: 'POST',
      body: request,
      headers: {
        'Idempotency-Key': options.idempotencyKey ?? crypto.randomUUID(),
      },
    });
  }

  async getDeployment(id: string): Promise<Deployment> {
    return this.request(`/deployments/${encodeURIComponent(id)}`);
  }

  async listDeployments(
    entity: CompoundEntityRef,
  ): Promise<EntityDeploymentsResponse> {
    return this.request(`${entityPath(entity)}/deployments`);
  }

  async listHistory(
    entity: CompoundEntityRef,
    options: ListHistoryOptions = {},
  ): Promise<HistoryPage> {
    return this.request(`${entityPath(entity)}/history${query(options)}`);
  }

  async queryHistory(options: QueryHistoryOptions = {}): Promise<HistoryPage> {
    return this.request(`/history${query(withoutEmpty(options))}`);
  }

  async exportHistory(
    filter: HistoryFilter,
    format: HistoryExportFormat,
  ): Promise<HistoryExportFile> {
    const response = await this.send(
      `/history/export${query({ format, ...withoutEmpty(filter) })}`,
    );
    return {
      filename:
        attachmentFilename(response.headers.get('Content-Disposition')) ??
        `sagemaker-history.${format}`,
      blob: await response.blob(),
    };
  }

  async getHistoryFacets(): Promise<HistoryFacets> {
    return this.request('/history/facets');
  }

  async verifyHistory(): Promise<HistoryVerification> {
    return this.request('/history/verify');
  }

  async getEndpointAt(question: EndpointAtQuery): Promise<EndpointAtResponse> {
    return this.request(`/history/endpoint-at${query(question)}`);
  }

  async getReadiness(
    entity: CompoundEntityRef,
    options: ReadinessOptions = {},
  ): Promise<ReadinessReport> {
    const { fresh, ...rest } = options;
    return this.request(
      `${entityPath(entity)}/readiness${query({
        ...rest,
        fresh: fresh ? 'true' : undefined,
      })}`,
    );
  }

  async getOrgReadiness(
    options: { target?: string; fresh?: boolean } = {},
  ): Promise<ReadinessReport> {
    return this.request(
      `/readiness${query({
        target: options.target,
        fresh: options.fresh ? 'true' : undefined,
      })}`,
    );
  }

  async getPolicies(
    entity: CompoundEntityRef,
    options: { target?: string } = {},
  ): Promise<GeneratedPoliciesResponse> {
    return this.request(`${entityPath(entity)}/policies${query(options)}`);
  }

  async getOrgPolicies(
    options: { target?: string } = {},
  ): Promise<GeneratedPoliciesResponse> {
    return this.request(`/policies${query(options)}`);
  }

  private async request<T>(
    path: string,
    init: {
      method?: 'GET' | 'POST';
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<T> {
    const response = await this.send(path, init);
    return (await response.json()) as T;
  }

  /** Sends a request; an error response throws a ResponseError. */
  private async send(
    path: string,
    init: {
      method?: 'GET' | 'POST';
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('sagemaker');
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function entityPath(entity: CompoundEntityRef): string {
  return `/entities/${[entity.kind, entity.namespace, entity.name]
    .map(encodeURIComponent)
    .join('/')}`;
}

function query(options: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The options without the empty strings of unset form fields. */
function withoutEmpty<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== ''),
  ) as Partial<T>;
}

/**
 * The file name of a `Content-Disposition: attachment` header: the RFC 5987
 * `filename*` when present, else `filename`; without any directory part.
 */
export function attachmentFilename(header: string | null): string | undefined {
  if (!header) {
    return undefined;
  }
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  let name = extended ? decodePercent(extended[2].trim()) : undefined;
  if (!name) {
    const plain = /filename\s*=\s*(?:"((?:\\.|[^"\\])*)"|([^;\s]+))/i.exec(
      header,
    );
    name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2];
  }
  const base = name?.split(/[\\/]/).pop()?.trim();
  return base || undefined;
}

function decodePercent(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
