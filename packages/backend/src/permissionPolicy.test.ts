import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  sageMakerHistoryReadPermission,
  sageMakerModelVersionApprovePermission,
  sageMakerModelVersionDeployPermission,
  sageMakerReadinessReadPermission,
} from '@internal/backstage-plugin-sagemaker-common';
import { DemoPermissionPolicy } from './permissionPolicy';

const user = (ownershipEntityRefs: string[]) => ({
  identity: {
    type: 'user' as const,
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs,
  },
  token: 'token',
  credentials: {} as any,
  info: { userEntityRef: 'user:default/guest', ownershipEntityRefs },
});

describe('DemoPermissionPolicy', () => {
  const policy = new DemoPermissionPolicy();

  it('lets only owners approve and deploy, through the catalog isEntityOwner rule', async () => {
    for (const permission of [
      sageMakerModelVersionApprovePermission,
      sageMakerModelVersionDeployPermission,
    ]) {
      const decision = await policy.handle(
        { permission },
        user(['user:default/guest', 'group:default/ml-fraud']),
      );
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: ['user:default/guest', 'group:default/ml-fraud'] },
        },
      });
    }
  });

  it('lets auditors, and only auditors, read the org-wide history', async () => {
    expect(
      await policy.handle(
        { permission: sageMakerHistoryReadPermission },
        user(['group:default/auditors']),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle(
        { permission: sageMakerHistoryReadPermission },
        user(['group:default/ml-fraud']),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it("lets platform admins, and only them, read every account's readiness", async () => {
    expect(
      await policy.handle(
        { permission: sageMakerReadinessReadPermission },
        user(['group:default/platform-admins']),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle(
        { permission: sageMakerReadinessReadPermission },
        user(['group:default/auditors', 'group:default/ml-fraud']),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('lets everyone read the catalog', async () => {
    expect(
      await policy.handle(
        { permission: catalogEntityReadPermission },
        user([]),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
