import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  sageMakerModelVersionApprovePermission,
  sageMakerModelVersionDeployPermission,
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
 * The user's permissions to approve and deploy versions of an entity. Both
 * are resource permissions on the entity, so a policy can allow its owners.
 */
export function useVersionActionPermissions(entity: Entity) {
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
  return {
    approve: toActionPermission(
      approve,
      `You are not allowed to approve or reject versions of ${name}`,
    ),
    deploy: toActionPermission(
      deploy,
      `You are not allowed to deploy versions of ${name}`,
    ),
  };
}
