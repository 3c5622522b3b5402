import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import {
  EntityRefLinks,
  getEntityRelations,
} from '@backstage/plugin-catalog-react';
import { Alert } from '@material-ui/lab';
import { ActionPermission } from '../../hooks/useVersionActionPermissions';

/**
 * Says up front, not only in a tooltip, when the user may not approve or
 * deploy this entity's versions, and who may: its owners.
 */
export const WhoMayActNotice = ({
  entity,
  permissions,
}: {
  entity: Entity;
  permissions: { approve: ActionPermission; deploy: ActionPermission };
}) => {
  const { approve, deploy } = permissions;
  if (
    approve.loading ||
    deploy.loading ||
    (approve.allowed && deploy.allowed)
  ) {
    return null;
  }
  const owners = getEntityRelations(entity, RELATION_OWNED_BY);
  let actions = 'approve or deploy';
  if (approve.allowed) {
    actions = 'deploy';
  } else if (deploy.allowed) {
    actions = 'approve or reject';
  }
  const name = entity.metadata.title ?? entity.metadata.name;
  return (
    <Alert severity="info" role="note">
      You can review these versions, but not {actions} them.{' '}
      {owners.length > 0 ? (
        <>
          The owners of {name} can: <EntityRefLinks entityRefs={owners} />.
        </>
      ) : (
        `${name} has no owner in the catalog.`
      )}
    </Alert>
  );
};
