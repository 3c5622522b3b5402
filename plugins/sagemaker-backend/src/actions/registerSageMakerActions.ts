import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { DefaultReadinessService } from '../readiness/DefaultReadinessService';
import { SageMakerActionsService } from '../service/actionTypes';
import { SageMakerRegistryService } from '../service/types';
import { registerApprovalActions } from './approvalActions';
import { registerDeployActions } from './deployActions';
import { registerEndpointActions } from './endpointActions';
import { registerHistoryActions } from './historyActions';
import { registerLifecycleActions } from './lifecycleActions';
import { registerReadinessActions } from './readinessActions';
import { registerRollbackActions } from './rollbackActions';
import { registerVersionActions } from './versionActions';

/**
 * Registers the plugin's actions for agents (exposed over MCP by the
 * mcp-actions backend). They call the same services as the HTTP routes with
 * the caller's credentials: the same catalog visibility, permissions,
 * guardrails and history.
 */
export function registerSageMakerActions(
  actionsRegistry: ActionsRegistryService,
  deps: {
    registry: SageMakerRegistryService;
    actions: SageMakerActionsService;
    readiness: DefaultReadinessService;
  },
) {
  registerVersionActions(actionsRegistry, deps);
  registerEndpointActions(actionsRegistry, deps);
  registerHistoryActions(actionsRegistry, deps);
  registerReadinessActions(actionsRegistry, deps);
  registerApprovalActions(actionsRegistry, deps);
  registerLifecycleActions(actionsRegistry, deps);
  registerDeployActions(actionsRegistry, deps);
  registerRollbackActions(actionsRegistry, deps);
}
