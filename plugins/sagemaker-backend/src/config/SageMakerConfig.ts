import { Config } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import {
  DeploymentGuardrails,
  HistorySigningKey,
  ServerlessSettings,
} from '@internal/backstage-plugin-sagemaker-common';
import {
  EvidenceGates,
  LifecycleConfig,
  readEvidenceGates,
  readLifecycleConfig,
} from './readGovernanceConfig';
import {
  readDeploymentGuardrails,
  readServerlessSettings,
} from './readDeploymentGuardrails';
import { fail, readDuration } from './configErrors';

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
  /** What a version must show before it is deployed here. */
  gates?: EvidenceGates;
  /** How an update shifts traffic; none: SageMaker's default switch. */
  deploymentConfig?: DeploymentGuardrails;
  /** Set for a serverless target, which then has no instance types. */
  serverless?: ServerlessSettings;
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
  /**
   * Earlier successful deployments per endpoint whose model and endpoint
   * config are kept; older ones are deleted after an update.
   */
  keepPreviousDeployments: number;
  /**
   * Pages of 100 untagged endpoints (made outside Backstage) the endpoints
   * panel reads per account and region and cache TTL.
   */
  endpointDiscoveryMaxPages: number;
  /**
   * How long a replica holds a deployment it follows without renewing it;
   * another replica takes over a deployment whose lease ran out.
   */
  deploymentLeaseMs: number;
  /**
   * How often the scheduled sync looks for changes made outside Backstage:
   * a backstop behind the SageMaker events, so rarely by default.
   */
  syncIntervalMs: number;
  /** How far before its last complete run the incremental sync looks again. */
  syncSearchOverlapMs: number;
  /** The events topics the SageMaker EventBridge events arrive on. */
  eventsTopics: string[];
  deploymentTargets: DeploymentTarget[];
  /** How long registry reads stay cached. */
  cacheTtlMs: number;
  /**
   * How long the catalog's answer to one principal's lookup of one entity is
   * reused (PrincipalEntityCache); zero turns it off.
   */
  entityCacheTtlMs: number;
  /** Per-attempt timeout of an AWS call. */
  awsRequestTimeoutMs: number;
  /** Attempts per AWS call, retries included. */
  awsMaxAttempts: number;
  /** Whether a deploy is refused when a readiness check is `missing`. */
  preflightOnDeploy: boolean;
  /** Keys of the history chain: the first signs, all verify; may be empty. */
  historySigningKeys: HistorySigningKey[];
  /** The lifecycle stages and statuses users may set. */
  lifecycle: LifecycleConfig;
}

/** The events topic of SageMaker's events unless `events.topic` names others. */
const DEFAULT_EVENTS_TOPIC = 'sagemaker';

/** `events.topic`: one topic, or a list (one per queue). */
function readEventsTopics(config: Config | undefined): string[] {
  const key = 'events.topic';
  if (!config?.has(key)) {
    return [DEFAULT_EVENTS_TOPIC];
  }
  const value = config.get(key);
  const topics = Array.isArray(value) ? value : [value];
  if (
    topics.length === 0 ||
    topics.some(t => typeof t !== 'string' || t.trim() === '')
  ) {
    fail(`sagemaker.${key}`, 'must be a topic name or a list of topic names');
  }
  return topics as string[];
}

/**
 * The value of every optional setting that is not configured; config.d.ts
 * documents the same values.
 */
const DEFAULTS = {
  attributeWritesToUser: true,
  deploymentPollInterval: { seconds: 5 },
  deploymentLease: { seconds: 15 },
  syncInterval: { minutes: 30 },
  syncSearchOverlap: { minutes: 10 },
  cacheTtl: { seconds: 60 },
  entityCacheTtl: { seconds: 5 },
  awsRequestTimeout: { seconds: 5 },
  awsMaxAttempts: 5,
  preflightOnDeploy: true,
  maxInstanceCount: 1,
  enableNetworkIsolation: false,
  keepPreviousDeployments: 2,
  endpointDiscoveryMaxPages: 3,
} as const satisfies Record<string, HumanDuration | number | boolean>;

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const TARGET_NAME = /^[a-z0-9]([a-z0-9-]{0,62})$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const INSTANCE_TYPE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MIN_SECRET_LENGTH = 32;

function readSigningKeys(config: Config | undefined): HistorySigningKey[] {
  const key = 'sagemaker.history.signingKeys';
  const ids = new Set<string>();
  return (config?.getOptionalConfigArray('history.signingKeys') ?? []).map(
    (entry, i) => {
      const id = entry.getString('id');
      if (!KEY_ID.test(id)) {
        fail(
          `${key}[${i}].id`,
          `'${id}' must be 1 to 64 letters, digits, '.', '_' or '-'`,
        );
      }
      if (ids.has(id)) {
        fail(`${key}[${i}].id`, `duplicate key id '${id}'`);
      }
      ids.add(id);
      const secret = entry.getString('secret');
      if (secret.length < MIN_SECRET_LENGTH) {
        fail(
          `${key}[${i}].secret`,
          `must be at least ${MIN_SECRET_LENGTH} characters`,
        );
      }
      return { id, secret };
    },
  );
}

function readTarget(
  config: Config,
  key: string,
  lifecycle: LifecycleConfig,
): DeploymentTarget {
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
  const serverless = readServerlessSettings(config, key);
  const deploymentConfig = readDeploymentGuardrails(config, key);
  if (serverless && deploymentConfig) {
    fail(
      `${key}.deploymentConfig`,
      'SageMaker has no deployment guardrails for serverless endpoints',
    );
  }
  const instanceTypes = serverless
    ? config.getOptionalStringArray('instanceTypes') ?? []
    : config.getStringArray('instanceTypes');
  if (serverless && instanceTypes.length > 0) {
    fail(
      `${key}.instanceTypes`,
      'a serverless target has no instance types; remove them or serverless',
    );
  }
  if (!serverless && instanceTypes.length === 0) {
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
  const maxInstanceCount =
    config.getOptionalNumber('maxInstanceCount') ?? DEFAULTS.maxInstanceCount;
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
      config.getOptionalBoolean('enableNetworkIsolation') ??
      DEFAULTS.enableNetworkIsolation,
    tags,
    requires: config.getOptionalStringArray('requires') ?? [],
    gates: readEvidenceGates(config, key, lifecycle),
    deploymentConfig,
    serverless,
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
  const lifecycle = readLifecycleConfig(config);
  const deploymentTargets = (
    config?.getOptionalConfigArray('deploymentTargets') ?? []
  ).map((target, i) =>
    readTarget(target, `sagemaker.deploymentTargets[${i}]`, lifecycle),
  );

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

  const deploymentPollIntervalMs = readDuration(
    config,
    'deployments.pollInterval',
    DEFAULTS.deploymentPollInterval,
  );
  const deploymentLeaseMs = readDuration(
    config,
    'deployments.lease',
    DEFAULTS.deploymentLease,
  );
  // The follower renews its lease a few times per lease and after each poll:
  // a lease shorter than two polls would pass the deployment around.
  if (deploymentLeaseMs < 2 * deploymentPollIntervalMs) {
    fail(
      'sagemaker.deployments.lease',
      `must be at least twice sagemaker.deployments.pollInterval (${deploymentPollIntervalMs} ms)`,
    );
  }

  const awsMaxAttempts =
    config?.getOptionalNumber('aws.maxAttempts') ?? DEFAULTS.awsMaxAttempts;
  if (
    !Number.isInteger(awsMaxAttempts) ||
    awsMaxAttempts < 1 ||
    awsMaxAttempts > 10
  ) {
    fail('sagemaker.aws.maxAttempts', 'must be a whole number from 1 to 10');
  }

  const keepPreviousDeployments =
    config?.getOptionalNumber('deployments.keepPrevious') ??
    DEFAULTS.keepPreviousDeployments;
  if (
    !Number.isInteger(keepPreviousDeployments) ||
    keepPreviousDeployments < 1 ||
    keepPreviousDeployments > 50
  ) {
    fail(
      'sagemaker.deployments.keepPrevious',
      'must be a whole number from 1 to 50',
    );
  }

  const endpointDiscoveryMaxPages =
    config?.getOptionalNumber('endpoints.discoveryMaxPages') ??
    DEFAULTS.endpointDiscoveryMaxPages;
  if (
    !Number.isInteger(endpointDiscoveryMaxPages) ||
    endpointDiscoveryMaxPages < 1 ||
    endpointDiscoveryMaxPages > 50
  ) {
    fail(
      'sagemaker.endpoints.discoveryMaxPages',
      'must be a whole number from 1 to 50',
    );
  }

  return {
    accountIds,
    accountRoles,
    keepPreviousDeployments,
    endpointDiscoveryMaxPages,
    attributeWritesToUser:
      config?.getOptionalBoolean('attributeWritesToUser') ??
      DEFAULTS.attributeWritesToUser,
    deploymentPollIntervalMs,
    deploymentLeaseMs,
    syncIntervalMs: readDuration(
      config,
      'sync.interval',
      DEFAULTS.syncInterval,
    ),
    syncSearchOverlapMs: readDuration(
      config,
      'sync.searchOverlap',
      DEFAULTS.syncSearchOverlap,
    ),
    eventsTopics: readEventsTopics(config),
    deploymentTargets,
    cacheTtlMs: readDuration(config, 'cache.ttl', DEFAULTS.cacheTtl),
    entityCacheTtlMs: readDuration(
      config,
      'cache.entityTtl',
      DEFAULTS.entityCacheTtl,
    ),
    awsRequestTimeoutMs: readDuration(
      config,
      'aws.requestTimeout',
      DEFAULTS.awsRequestTimeout,
    ),
    awsMaxAttempts,
    preflightOnDeploy:
      config?.getOptionalBoolean('readiness.preflightOnDeploy') ??
      DEFAULTS.preflightOnDeploy,
    historySigningKeys: readSigningKeys(config),
    lifecycle,
  };
}
