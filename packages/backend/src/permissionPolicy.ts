import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  sageMakerHistoryReadPermission,
  sageMakerModelVersionApprovePermission,
  sageMakerModelVersionDeployPermission,
  sageMakerModelVersionLifecyclePermission,
  sageMakerReadinessReadPermission,
} from '@internal/backstage-plugin-sagemaker-common';

/** Members of this group read the organisation-wide history. */
export const AUDITORS_GROUP = 'group:default/auditors';

/** Members of this group read every account's and target's readiness. */
export const PLATFORM_ADMINS_GROUP = 'group:default/platform-admins';

/**
 * The demo's policy: everyone reads; the owners of an entity approve,
 * deploy and stage its model versions; auditors read the org-wide history; platform
 * admins read every account's readiness.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (
      isPermission(
        request.permission,
        sageMakerModelVersionApprovePermission,
      ) ||
      isPermission(request.permission, sageMakerModelVersionDeployPermission) ||
      isPermission(request.permission, sageMakerModelVersionLifecyclePermission)
    ) {
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    if (isPermission(request.permission, sageMakerReadinessReadPermission)) {
      return {
        result: claims.includes(PLATFORM_ADMINS_GROUP)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (isPermission(request.permission, sageMakerHistoryReadPermission)) {
      return {
        result: claims.includes(AUDITORS_GROUP)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'sagemaker-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DemoPermissionPolicy());
      },
    });
  },
});
