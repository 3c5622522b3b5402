import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ApprovalResponse,
  Deployment,
  DeployRequest,
  HistoryPage,
  lifecycleComment,
  LifecycleRequest,
  LifecycleResponse,
  RollbackRequest,
  sageMakerModelVersionApprovePermission,
  sageMakerModelVersionDeployPermission,
  sageMakerModelVersionLifecyclePermission,
} from '@internal/backstage-plugin-sagemaker-common';
import { HistoryRecorder } from './HistoryRecorder';
import {
  ActionOptions,
  SageMakerActionsService,
  sourceOf,
} from './actionTypes';

/**
 * The one place write permissions are checked. A denied request makes no AWS
 * call and leaves a `denied` event in the history.
 */
export class AuthorizedSageMakerActionsService
  implements SageMakerActionsService
{
  constructor(
    private readonly inner: SageMakerActionsService,
    private readonly permissions: PermissionsService,
    private readonly history: HistoryRecorder,
  ) {}

  async setApproval(
    entity: CompoundEntityRef,
    request: Parameters<SageMakerActionsService['setApproval']>[1],
    options: ActionOptions,
  ): Promise<ApprovalResponse> {
    await this.authorize(
      sageMakerModelVersionApprovePermission,
      entity,
      options,
      {
        action: request.status === 'Approved' ? 'approve' : 'reject',
        version: request.version,
        comment: request.comment,
        verb: request.status === 'Approved' ? 'approve' : 'reject',
      },
    );
    return this.inner.setApproval(entity, request, options);
  }

  async setLifecycle(
    entity: CompoundEntityRef,
    request: LifecycleRequest & { version: number },
    options: ActionOptions,
  ): Promise<LifecycleResponse> {
    await this.authorize(
      sageMakerModelVersionLifecyclePermission,
      entity,
      options,
      {
        action: 'lifecycle',
        version: request.version,
        comment: lifecycleComment(request),
        verb: 'set the lifecycle stage of',
      },
    );
    return this.inner.setLifecycle(entity, request, options);
  }

  async deploy(
    entity: CompoundEntityRef,
    request: DeployRequest,
    options: ActionOptions & { idempotencyKey?: string },
  ): Promise<Deployment> {
    await this.authorize(
      sageMakerModelVersionDeployPermission,
      entity,
      options,
      {
        action: 'deploy',
        version: request.version,
        target: request.target,
        endpointName: request.endpointName,
        verb: 'deploy',
      },
    );
    return this.inner.deploy(entity, request, options);
  }

  async rollback(
    entity: CompoundEntityRef,
    request: RollbackRequest,
    options: ActionOptions & { idempotencyKey?: string },
  ): Promise<Deployment> {
    await this.authorize(
      sageMakerModelVersionDeployPermission,
      entity,
      options,
      {
        action: 'deploy',
        target: request.target,
        endpointName: request.endpointName,
        verb: 'roll back',
      },
    );
    return this.inner.rollback(entity, request, options);
  }

  getDeployment(id: string, options: ActionOptions): Promise<Deployment> {
    return this.inner.getDeployment(id, options);
  }

  listDeployments(entity: CompoundEntityRef, options: ActionOptions) {
    return this.inner.listDeployments(entity, options);
  }

  listHistory(
    entity: CompoundEntityRef,
    query: { limit: number; cursor?: string },
    options: ActionOptions,
  ): Promise<HistoryPage> {
    return this.inner.listHistory(entity, query, options);
  }

  private async authorize(
    permission: ResourcePermission<'catalog-entity'>,
    entity: CompoundEntityRef,
    options: ActionOptions,
    attempt: {
      action: 'approve' | 'reject' | 'deploy' | 'lifecycle';
      verb: string;
      version?: number;
      comment?: string;
      target?: string;
      endpointName?: string;
    },
  ) {
    const entityRef = stringifyEntityRef(entity);
    const [decision] = await this.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials: options.credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return;
    }
    const principal = options.credentials.principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
    };
    await this.history.record({
      actor: principal.userEntityRef ?? principal.subject ?? principal.type,
      action: attempt.action,
      outcome: 'denied',
      source: sourceOf(options),
      entityRef,
      version: attempt.version,
      target: attempt.target,
      endpointName: attempt.endpointName,
      comment: attempt.comment,
    });
    throw new NotAllowedError(
      `You are not allowed to ${attempt.verb} versions of ${entityRef}: ask its owners, or an admin for the ${permission.name} permission`,
    );
  }
}
