import { Config } from '@backstage/config';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import { readDurationFromConfig } from '@backstage/config';

/**
 * A configured deployment target: an account and region that versions may be
 * deployed to, with the settings the server (never the browser) decides.
 *
 * @public
 */
export interface DeploymentTarget {
  name: string;
  title: string;
  accountId: string;
  region: string;
  executionRoleArn: string;
  instanceTypes: string[];
  maxInstanceCount: number;
  vpcConfig?: { subnets: string[]; securityGroupIds: string[] };
  kmsKeyId?: string;
  enableNetworkIsolation: boolean;
  tags: Record<string, string>;
  requires: string[];
}

/**
 * The role the backend assumes in an account (from aws.accounts).
 *
 * @public
 */
export interface AccountRole {
  roleArn?: string;
  externalId?: string;
  region?: string;
}

/**
 * The plugin's configuration, validated.
 *
 * @public
 */
export interface SageMakerConfig {
  /** Account IDs listed under aws.accounts: the only accounts the plugin calls. */
  accountIds: Set<string>;
  /** How each account under aws.accounts is reached, for per-user sessions. */
  accountRoles: Map<string, AccountRole>;
  /** Whether writes assume the role with a session named after the user. */
  attributeWritesToUser: boolean;
  /** How often in-flight deployments are followed. */
  deploymentPollIntervalMs: number;
  /** How often changes made outside Backstage are looked for. */
  syncIntervalMs: number;
  deploymentTargets: DeploymentTarget[];
  /** How long registry reads stay cached. */
  cacheTtlMs: number;
  /** Per-attempt timeout of an AWS call. */
  awsRequestTimeoutMs: number;
  /** Attempts per AWS call, retries included. */
  awsMaxAttempts: number;
  /** Whether a deploy is refused when a readiness check is `missing`. */
  preflightOnDeploy: boolean;
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const TARGET_NAME = /^[a-z0-9]([a-z0-9-]{0,62})$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const INSTANCE_TYPE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;

function fail(key: string, message: string): never {
  throw new Error(`Invalid configuration at '${key}': ${message}`);
}

function readDuration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): number {
  return durationToMilliseconds(
    config.has(key) ? readDurationFromConfig(config, { key }) : fallback,
  );
}

function readTarget(config: Config, key: string): DeploymentTarget {
  const name = config.getString('name');
  if (!TARGET_NAME.test(name)) {
    fail(
      `${key}.name`,
      `'${name}' must be lowercase letters, digits and dashes`,
    );
  }
  const accountId = config.getString('accountId');
  if (!ACCOUNT_ID.test(accountId)) {
    fail(`${key}.accountId`, `'${accountId}' is not a 12-digit AWS account ID`);
  }
  const region = config.getString('region');
  if (!REGION.test(region)) {
    fail(`${key}.region`, `'${region}' is not an AWS region`);
  }
  const executionRoleArn = config.getString('executionRoleArn');
  const roleMatch = ROLE_ARN.exec(executionRoleArn);
  if (!roleMatch) {
    fail(
      `${key}.executionRoleArn`,
      `'${executionRoleArn}' is not an IAM role ARN`,
    );
  }
  if (roleMatch[1] !== accountId) {
    fail(
      `${key}.executionRoleArn`,
      `the role is in account ${roleMatch[1]}, but the target deploys to account ${accountId}`,
    );
  }
  const instanceTypes = config.getStringArray('instanceTypes');
  if (instanceTypes.length === 0) {
    fail(`${key}.instanceTypes`, 'list at least one instance type');
  }
  for (const type of instanceTypes) {
    if (!INSTANCE_TYPE.test(type)) {
      fail(
        `${key}.instanceTypes`,
        `'${type}' is not a SageMaker instance type (ml.<family>.<size>)`,
      );
    }
  }
  const maxInstanceCount = config.getOptionalNumber('maxInstanceCount') ?? 1;
  if (!Number.isInteger(maxInstanceCount) || maxInstanceCount < 1) {
    fail(`${key}.maxInstanceCount`, 'must be a positive whole number');
  }
  const vpc = config.getOptionalConfig('vpcConfig');
  const vpcConfig = vpc
    ? {
        subnets: vpc.getStringArray('subnets'),
        securityGroupIds: vpc.getStringArray('securityGroupIds'),
      }
    : undefined;
  if (
    vpcConfig &&
    (!vpcConfig.subnets.length || !vpcConfig.securityGroupIds.length)
  ) {
    fail(
      `${key}.vpcConfig`,
      'needs at least one subnet and one security group',
    );
  }
  const tagsConfig = config.getOptionalConfig('tags');
  const tags: Record<string, string> = {};
  for (const tagKey of tagsConfig?.keys() ?? []) {
    tags[tagKey] = tagsConfig!.getString(tagKey);
  }
  return {
    name,
    title: config.getOptionalString('title') ?? name,
    accountId,
    region,
    executionRoleArn,
    instanceTypes,
    maxInstanceCount,
    vpcConfig,
    kmsKeyId: config.getOptionalString('kmsKeyId'),
    enableNetworkIsolation:
      config.getOptionalBoolean('enableNetworkIsolation') ?? false,
    tags,
    requires: config.getOptionalStringArray('requires') ?? [],
  };
}

/**
 * Reads and validates `aws.accounts` and `sagemaker.*`. Throws at startup with
 * a message that names the offending key.
 *
 * @public
 */
export function readSageMakerConfig(root: Config): SageMakerConfig {
  const accountIds = new Set<string>();
  const accountRoles = new Map<string, AccountRole>();
  (root.getOptionalConfigArray('aws.accounts') ?? []).forEach((account, i) => {
    const accountId = account.getString('accountId');
    if (!ACCOUNT_ID.test(accountId)) {
      fail(
        `aws.accounts[${i}].accountId`,
        `'${accountId}' is not a 12-digit AWS account ID`,
      );
    }
    accountIds.add(accountId);
    const roleName = account.getOptionalString('roleName');
    const partition = account.getOptionalString('partition') ?? 'aws';
    accountRoles.set(accountId, {
      roleArn: roleName
        ? `arn:${partition}:iam::${accountId}:role/${roleName}`
        : undefined,
      externalId: account.getOptionalString('externalId'),
      region: account.getOptionalString('region'),
    });
  });

  const config = root.getOptionalConfig('sagemaker');
  const deploymentTargets = (
    config?.getOptionalConfigArray('deploymentTargets') ?? []
  ).map((target, i) => readTarget(target, `sagemaker.deploymentTargets[${i}]`));

  const names = new Set<string>();
  deploymentTargets.forEach((target, i) => {
    const key = `sagemaker.deploymentTargets[${i}]`;
    if (names.has(target.name)) {
      fail(`${key}.name`, `duplicate target name '${target.name}'`);
    }
    names.add(target.name);
    if (!accountIds.has(target.accountId)) {
      fail(
        `${key}.accountId`,
        `account ${target.accountId} is not listed under aws.accounts, so the plugin has no credentials for it`,
      );
    }
  });
  deploymentTargets.forEach((target, i) => {
    for (const required of target.requires) {
      if (!names.has(required) || required === target.name) {
        fail(
          `sagemaker.deploymentTargets[${i}].requires`,
          `'${required}' is not another configured target`,
        );
      }
    }
  });

  const awsMaxAttempts = config?.getOptionalNumber('aws.maxAttempts') ?? 5;
  if (
    !Number.isInteger(awsMaxAttempts) ||
    awsMaxAttempts < 1 ||
    awsMaxAttempts > 10
  ) {
    fail('sagemaker.aws.maxAttempts', 'must be a whole number from 1 to 10');
  }

  return {
    accountIds,
    accountRoles,
    attributeWritesToUser:
      config?.getOptionalBoolean('attributeWritesToUser') ?? true,
    deploymentPollIntervalMs: config
      ? readDuration(config, 'deployments.pollInterval', { seconds: 5 })
      : 5_000,
    syncIntervalMs: config
      ? readDuration(config, 'sync.interval', { minutes: 5 })
      : 300_000,
    deploymentTargets,
    cacheTtlMs: config
      ? readDuration(config, 'cache.ttl', { seconds: 60 })
      : 60_000,
    awsRequestTimeoutMs: config
      ? readDuration(config, 'aws.requestTimeout', { seconds: 5 })
      : 5_000,
    awsMaxAttempts,
    preflightOnDeploy:
      config?.getOptionalBoolean('readiness.preflightOnDeploy') ?? true,
  };
}
