import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Approve or reject a model version of an entity. A resource permission on
 * the catalog entity, so policies can use `isEntityOwner`.
 *
 * @public
 */
export const sageMakerModelVersionApprovePermission = createPermission({
  name: 'sagemaker.model-version.approve',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Deploy an approved model version of an entity to a deployment target.
 *
 * @public
 */
export const sageMakerModelVersionDeployPermission = createPermission({
  name: 'sagemaker.model-version.deploy',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Set the lifecycle stage (SageMaker's ModelLifeCycle) of a model version of
 * an entity. A resource permission on the catalog entity, so policies can use
 * `isEntityOwner`.
 *
 * @public
 */
export const sageMakerModelVersionLifecyclePermission = createPermission({
  name: 'sagemaker.model-version.lifecycle',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read the organisation-wide history of approvals and deployments.
 *
 * @public
 */
export const sageMakerHistoryReadPermission = createPermission({
  name: 'sagemaker.history.read',
  attributes: { action: 'read' },
});

/**
 * Read the organisation-wide readiness report and generated policies: every
 * configured account and target. Meant for platform admins.
 *
 * @public
 */
export const sageMakerReadinessReadPermission = createPermission({
  name: 'sagemaker.readiness.read',
  attributes: { action: 'read' },
});

/**
 * Every permission the plugin defines.
 *
 * @public
 */
export const sageMakerPermissions = [
  sageMakerModelVersionApprovePermission,
  sageMakerModelVersionDeployPermission,
  sageMakerModelVersionLifecyclePermission,
  sageMakerHistoryReadPermission,
  sageMakerReadinessReadPermission,
];
