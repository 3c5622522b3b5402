import { Entity } from '@backstage/catalog-model';
import { SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION } from '@internal/backstage-plugin-sagemaker-common';

/**
 * The `aws` config block of the tests: dummy main-account keys, and each
 * account reached through STS AssumeRole of the demo's role, as in production.
 */
export function awsConfig(accountIds: string[]) {
  return {
    mainAccount: { accessKeyId: 'test', secretAccessKey: 'test' },
    accounts: accountIds.map(accountId => ({
      accountId,
      roleName: 'BackstageSageMakerAccess',
      region: 'us-east-1',
    })),
  };
}

/** A catalog entity naming model package groups in its annotation. */
export function modelEntity(name: string, groupArns?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: groupArns
        ? { [SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION]: groupArns }
        : {},
    },
    spec: {
      type: 'ml-model',
      owner: 'group:default/ml',
      lifecycle: 'production',
    },
  };
}

/**
 * Config for unit tests: static keys per account (no STS) and one staging
 * target in 222222222222.
 */
export function staticKeysConfig(
  accountIds = ['111111111111', '222222222222'],
) {
  return {
    aws: {
      accounts: accountIds.map(accountId => ({
        accountId,
        accessKeyId: 'unit',
        secretAccessKey: 'unit',
      })),
    },
    sagemaker: {
      deploymentTargets: [
        {
          name: 'staging',
          accountId: '222222222222',
          region: 'us-east-1',
          executionRoleArn: 'arn:aws:iam::222222222222:role/Exec',
          instanceTypes: ['ml.m5.large'],
        },
      ],
    },
  };
}
