import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  ApprovalResponse,
  Deployment,
  DeployRequest,
  EntityDeploymentsResponse,
  RollbackRequest,
  HistoryPage,
  LifecycleRequest,
  LifecycleResponse,
} from '@internal/backstage-plugin-sagemaker-common';

/** The caller of an action: a signed-in user. */
export interface ActionOptions {
  credentials: BackstageCredentials;
  /**
   * `agent` when an agent acts for the user through the plugin's actions
   * (the actions registry, e.g. over MCP): the history records it as the
   * event's source. Absent for the HTTP API.
   */
  via?: 'agent';
}

/** The history source of a change made with these options. */
export function sourceOf(options: ActionOptions): 'backstage' | 'agent' {
  return options.via === 'agent' ? 'agent' : 'backstage';
}

/**
 * Approvals, lifecycle stages, deployments and the per-entity history.
 *
 * @public
 */
export interface SageMakerActionsService {
  setApproval(
    entity: CompoundEntityRef,
    request: {
      group?: string;
      version: number;
      status: 'Approved' | 'Rejected';
      comment?: string;
    },
    options: ActionOptions,
  ): Promise<ApprovalResponse>;

  setLifecycle(
    entity: CompoundEntityRef,
    request: LifecycleRequest & { version: number },
    options: ActionOptions,
  ): Promise<LifecycleResponse>;

  deploy(
    entity: CompoundEntityRef,
    request: DeployRequest,
    options: ActionOptions & { idempotencyKey?: string },
  ): Promise<Deployment>;

  /**
   * Deploys again, to the endpoint, the version that served it before its
   * latest successful deployment (see rollbackOptions).
   */
  rollback(
    entity: CompoundEntityRef,
    request: RollbackRequest,
    options: ActionOptions & { idempotencyKey?: string },
  ): Promise<Deployment>;

  getDeployment(id: string, options: ActionOptions): Promise<Deployment>;

  listDeployments(
    entity: CompoundEntityRef,
    options: ActionOptions,
  ): Promise<EntityDeploymentsResponse>;

  listHistory(
    entity: CompoundEntityRef,
    query: { limit: number; cursor?: string },
    options: ActionOptions,
  ): Promise<HistoryPage>;
}
