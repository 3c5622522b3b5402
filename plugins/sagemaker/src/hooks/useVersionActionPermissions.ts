import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  sageMakerModelVersionApprovePermission,
  sageMakerModelVersionDeployPermission,
  sageMakerModelVersionLifecyclePermission,
} from '@internal/backstage-plugin-sagemaker-common';

/**
 * Whether the user may take an action, and if not, why (for a tooltip).
 */
export interface ActionPermission {
  /** False while loading, so that nothing is clickable before it is known. */
  allowed: boolean;
  loading: boolean;
  reason?: string;
}

/**
 * What the user may do with an entity's versions. `lifecycle` is absent where
 * a caller offers no stage editing.
 */
export interface VersionActionPermissions {
  approve: ActionPermission;
  deploy: ActionPermission;
  lifecycle?: ActionPermission;
}

function toActionPermission(
  result: { loading: boolean; allowed: boolean },
  denied: string,
): ActionPermission {
  if (result.loading) {
    return {
      allowed: false,
      loading: true,
      reason: 'Checking your permissions…',
    };
  }
  return result.allowed
    ? { allowed: true, loading: false }
    : { allowed: false, loading: false, reason: denied };
}

/**
 * The user's permissions to approve, deploy and stage versions of an
 * entity. All are resource permissions on the entity, so a policy can allow
 * its owners.
 */
export function useVersionActionPermissions(
  entity: Entity,
): Required<VersionActionPermissions> {
  const resourceRef = stringifyEntityRef(entity);
  const name = entity.metadata.title ?? entity.metadata.name;
  const approve = usePermission({
    permission: sageMakerModelVersionApprovePermission,
    resourceRef,
  });
  const deploy = usePermission({
    permission: sageMakerModelVersionDeployPermission,
    resourceRef,
  });
  const lifecycle = usePermission({
    permission: sageMakerModelVersionLifecyclePermission,
    resourceRef,
  });
  return {
    approve: toActionPermission(
      approve,
      `You are not allowed to approve or reject versions of ${name}`,
    ),
    deploy: toActionPermission(
      deploy,
      `You are not allowed to deploy versions of ${name}`,
    ),
    lifecycle: toActionPermission(
      lifecycle,
      `You are not allowed to set the lifecycle stage of versions of ${name}`,
    ),
  };
}
