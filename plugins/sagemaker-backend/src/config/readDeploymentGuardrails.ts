import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  CapacitySize,
  DeploymentGuardrails,
  ServerlessSettings,
} from '@internal/backstage-plugin-sagemaker-common';
import { fail } from './configErrors';

/** Seconds within SageMaker's bounds for the field, or undefined if unset. */
function readSeconds(
  config: Config,
  name: string,
  key: string,
  bounds: { min: number; max: number },
): number | undefined {
  if (!config.has(name)) {
    return undefined;
  }
  const seconds =
    durationToMilliseconds(readDurationFromConfig(config, { key: name })) /
    1000;
  if (
    !Number.isInteger(seconds) ||
    seconds < bounds.min ||
    seconds > bounds.max
  ) {
    fail(
      `${key}.${name}`,
      `must be whole seconds from ${bounds.min} to ${bounds.max}, got ${seconds}`,
    );
  }
  return seconds;
}

function requireSeconds(
  config: Config,
  name: string,
  key: string,
  bounds: { min: number; max: number },
): number {
  const seconds = readSeconds(config, name, key, bounds);
  if (seconds === undefined) {
    fail(`${key}.${name}`, 'is required');
  }
  return seconds;
}

const WAIT = { min: 0, max: 3600 };
const TIMEOUT = { min: 600, max: 28800 };

function readCapacity(
  config: Config,
  name: string,
  key: string,
): CapacitySize | undefined {
  const size = config.getOptionalConfig(name);
  if (!size) {
    return undefined;
  }
  const type = size.getString('type');
  if (type !== 'INSTANCE_COUNT' && type !== 'CAPACITY_PERCENT') {
    fail(
      `${key}.${name}.type`,
      `'${type}' must be INSTANCE_COUNT or CAPACITY_PERCENT`,
    );
  }
  const value = size.getNumber('value');
  const max = type === 'CAPACITY_PERCENT' ? 100 : Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    fail(
      `${key}.${name}.value`,
      type === 'CAPACITY_PERCENT'
        ? 'must be a whole percentage from 1 to 100'
        : 'must be a positive whole number of instances',
    );
  }
  return { type, value };
}

function readBlueGreen(
  config: Config,
  key: string,
): DeploymentGuardrails['blueGreen'] {
  const trafficRouting = config.getString('trafficRouting');
  if (
    trafficRouting !== 'ALL_AT_ONCE' &&
    trafficRouting !== 'CANARY' &&
    trafficRouting !== 'LINEAR'
  ) {
    fail(
      `${key}.trafficRouting`,
      `'${trafficRouting}' must be ALL_AT_ONCE, CANARY or LINEAR`,
    );
  }
  const canarySize = readCapacity(config, 'canarySize', key);
  const linearStepSize = readCapacity(config, 'linearStepSize', key);
  if (trafficRouting === 'CANARY' && !canarySize) {
    fail(`${key}.canarySize`, 'is required when trafficRouting is CANARY');
  }
  if (trafficRouting === 'LINEAR' && !linearStepSize) {
    fail(`${key}.linearStepSize`, 'is required when trafficRouting is LINEAR');
  }
  if (trafficRouting !== 'CANARY' && canarySize) {
    fail(`${key}.canarySize`, `does not apply to ${trafficRouting}`);
  }
  if (trafficRouting !== 'LINEAR' && linearStepSize) {
    fail(`${key}.linearStepSize`, `does not apply to ${trafficRouting}`);
  }
  return {
    trafficRouting,
    canarySize,
    linearStepSize,
    waitIntervalSeconds: requireSeconds(config, 'waitInterval', key, WAIT),
    terminationWaitSeconds: readSeconds(config, 'terminationWait', key, WAIT),
    maximumExecutionTimeoutSeconds: readSeconds(
      config,
      'maximumExecutionTimeout',
      key,
      TIMEOUT,
    ),
  };
}

function readRollingUpdate(
  config: Config,
  key: string,
): DeploymentGuardrails['rollingUpdate'] {
  const maximumBatchSize = readCapacity(config, 'maximumBatchSize', key);
  if (!maximumBatchSize) {
    fail(`${key}.maximumBatchSize`, 'is required');
  }
  return {
    maximumBatchSize,
    waitIntervalSeconds: requireSeconds(config, 'waitInterval', key, WAIT),
    maximumExecutionTimeoutSeconds: readSeconds(
      config,
      'maximumExecutionTimeout',
      key,
      TIMEOUT,
    ),
    rollbackMaximumBatchSize: readCapacity(
      config,
      'rollbackMaximumBatchSize',
      key,
    ),
  };
}

/**
 * Reads a target's `deploymentConfig` (under `key`, for messages); undefined
 * when the target has none, so updates switch traffic as SageMaker does by
 * default. Throws naming the key when it is not something UpdateEndpoint
 * would accept.
 *
 * @public
 */
export function readDeploymentGuardrails(
  target: Config,
  key: string,
): DeploymentGuardrails | undefined {
  const config = target.getOptionalConfig('deploymentConfig');
  if (!config) {
    return undefined;
  }
  const at = `${key}.deploymentConfig`;
  const blueGreenConfig = config.getOptionalConfig('blueGreen');
  const rollingConfig = config.getOptionalConfig('rollingUpdate');
  if (blueGreenConfig && rollingConfig) {
    fail(at, 'set blueGreen or rollingUpdate, not both');
  }
  if (!blueGreenConfig && !rollingConfig) {
    fail(at, 'set blueGreen or rollingUpdate');
  }
  const autoRollbackAlarms =
    config.getOptionalStringArray('autoRollbackAlarms') ?? [];
  if (autoRollbackAlarms.length > 10) {
    fail(`${at}.autoRollbackAlarms`, 'lists more than 10 alarms');
  }
  autoRollbackAlarms.forEach((name, i) => {
    if (!name.trim() || name.length > 255) {
      fail(
        `${at}.autoRollbackAlarms[${i}]`,
        'must be a CloudWatch alarm name of 1 to 255 characters',
      );
    }
  });
  return {
    blueGreen: blueGreenConfig
      ? readBlueGreen(blueGreenConfig, `${at}.blueGreen`)
      : undefined,
    rollingUpdate: rollingConfig
      ? readRollingUpdate(rollingConfig, `${at}.rollingUpdate`)
      : undefined,
    autoRollbackAlarms,
  };
}

/**
 * Reads a target's `serverless` (under `key`, for messages); undefined when
 * the target deploys to instances.
 *
 * @public
 */
export function readServerlessSettings(
  target: Config,
  key: string,
): ServerlessSettings | undefined {
  const config = target.getOptionalConfig('serverless');
  if (!config) {
    return undefined;
  }
  const memorySizeInMB = config.getNumber('memorySizeInMB');
  if (
    !Number.isInteger(memorySizeInMB) ||
    memorySizeInMB % 1024 !== 0 ||
    memorySizeInMB < 1024 ||
    memorySizeInMB > 6144
  ) {
    fail(
      `${key}.serverless.memorySizeInMB`,
      'must be 1024, 2048, 3072, 4096, 5120 or 6144',
    );
  }
  const maxConcurrency = config.getNumber('maxConcurrency');
  if (
    !Number.isInteger(maxConcurrency) ||
    maxConcurrency < 1 ||
    maxConcurrency > 200
  ) {
    fail(
      `${key}.serverless.maxConcurrency`,
      'must be a whole number from 1 to 200',
    );
  }
  return { memorySizeInMB, maxConcurrency };
}
