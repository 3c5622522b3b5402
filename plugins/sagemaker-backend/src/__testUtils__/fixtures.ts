import { Entity } from '@backstage/catalog-model';
import { SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION } from '@internal/backstage-plugin-sagemaker-common';

/** The emulated accounts: the registry, staging and production. */
export const REGISTRY = '111111111111';
export const STAGING = '222222222222';
export const PRODUCTION = '333333333333';
/** An account no test config lists. */
export const UNCONFIGURED = '999999999999';

export const groupArn = (name: string, account = REGISTRY) =>
  `arn:aws:sagemaker:us-east-1:${account}:model-package-group/${name}`;
export const versionArn = (group: string, v: number) =>
  `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package/${group}/${v}`;

/** A deployment target in an emulated account, with the seeded execution role. */
export function deploymentTarget(
  name: string,
  accountId: string,
  extra: Record<string, unknown> = {},
) {
  return {
    name,
    accountId,
    region: 'us-east-1',
    executionRoleArn: `arn:aws:iam::${accountId}:role/SageMakerExecutionRole`,
    instanceTypes: ['ml.m5.large'],
    ...extra,
  };
}

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
      // Unit tests mock SageMaker only; preflight is covered on its own.
      readiness: { preflightOnDeploy: false },
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
