import { ConfigReader } from '@backstage/config';
import { readSageMakerConfig } from './SageMakerConfig';

const production = {
  name: 'production',
  accountId: '333333333333',
  region: 'us-east-1',
  executionRoleArn: 'arn:aws:iam::333333333333:role/SageMakerExecutionRole',
  instanceTypes: ['ml.m5.large'],
};

function readTarget(extra: object) {
  return readSageMakerConfig(
    new ConfigReader({
      aws: { accounts: [{ accountId: '333333333333' }] },
      sagemaker: { deploymentTargets: [{ ...production, ...extra }] },
    }),
  ).deploymentTargets[0];
}

const at = 'sagemaker.deploymentTargets[0]';

describe('deploymentConfig and serverless on a target', () => {
  it('reads a canary blue/green with alarms, durations in seconds', () => {
    const target = readTarget({
      deploymentConfig: {
        blueGreen: {
          trafficRouting: 'CANARY',
          canarySize: { type: 'CAPACITY_PERCENT', value: 10 },
          waitInterval: { minutes: 5 },
          terminationWait: 'PT2M',
          maximumExecutionTimeout: { hours: 1 },
        },
        autoRollbackAlarms: ['model-5xx', 'model-latency'],
      },
    });
    expect(target.deploymentConfig).toEqual({
      blueGreen: {
        trafficRouting: 'CANARY',
        canarySize: { type: 'CAPACITY_PERCENT', value: 10 },
        waitIntervalSeconds: 300,
        terminationWaitSeconds: 120,
        maximumExecutionTimeoutSeconds: 3600,
      },
      autoRollbackAlarms: ['model-5xx', 'model-latency'],
    });
  });

  it('reads a linear blue/green and a rolling update', () => {
    expect(
      readTarget({
        deploymentConfig: {
          blueGreen: {
            trafficRouting: 'LINEAR',
            linearStepSize: { type: 'INSTANCE_COUNT', value: 1 },
            waitInterval: { seconds: 30 },
          },
        },
      }).deploymentConfig?.blueGreen,
    ).toEqual({
      trafficRouting: 'LINEAR',
      linearStepSize: { type: 'INSTANCE_COUNT', value: 1 },
      waitIntervalSeconds: 30,
    });
    expect(
      readTarget({
        deploymentConfig: {
          rollingUpdate: {
            maximumBatchSize: { type: 'CAPACITY_PERCENT', value: 25 },
            waitInterval: { seconds: 60 },
          },
          autoRollbackAlarms: ['model-5xx'],
        },
      }).deploymentConfig,
    ).toEqual({
      rollingUpdate: {
        maximumBatchSize: { type: 'CAPACITY_PERCENT', value: 25 },
        waitIntervalSeconds: 60,
      },
      autoRollbackAlarms: ['model-5xx'],
    });
  });

  it('has no guardrails unless configured', () => {
    expect(readTarget({}).deploymentConfig).toBeUndefined();
  });

  it.each([
    [
      { blueGreen: { trafficRouting: 'SLOW', waitInterval: { seconds: 1 } } },
      `${at}.deploymentConfig.blueGreen.trafficRouting`,
    ],
    [
      { blueGreen: { trafficRouting: 'CANARY', waitInterval: { seconds: 1 } } },
      `${at}.deploymentConfig.blueGreen.canarySize`,
    ],
    [
      {
        blueGreen: {
          trafficRouting: 'LINEAR',
          linearStepSize: { type: 'CAPACITY_PERCENT', value: 101 },
          waitInterval: { seconds: 1 },
        },
      },
      `${at}.deploymentConfig.blueGreen.linearStepSize.value`,
    ],
    [
      {
        blueGreen: {
          trafficRouting: 'ALL_AT_ONCE',
          waitInterval: { hours: 2 },
        },
      },
      `${at}.deploymentConfig.blueGreen.waitInterval`,
    ],
    [
      {
        blueGreen: {
          trafficRouting: 'ALL_AT_ONCE',
          waitInterval: { seconds: 0 },
          maximumExecutionTimeout: { minutes: 1 },
        },
      },
      `${at}.deploymentConfig.blueGreen.maximumExecutionTimeout`,
    ],
    [
      { blueGreen: { trafficRouting: 'ALL_AT_ONCE' } },
      `${at}.deploymentConfig.blueGreen.waitInterval`,
    ],
    [
      {
        blueGreen: { trafficRouting: 'ALL_AT_ONCE', waitInterval: 'PT0S' },
        rollingUpdate: {
          maximumBatchSize: { type: 'INSTANCE_COUNT', value: 1 },
          waitInterval: 'PT0S',
        },
      },
      `${at}.deploymentConfig`,
    ],
    [
      { rollingUpdate: { waitInterval: 'PT0S' } },
      `${at}.deploymentConfig.rollingUpdate.maximumBatchSize`,
    ],
    [
      {
        blueGreen: { trafficRouting: 'ALL_AT_ONCE', waitInterval: 'PT0S' },
        autoRollbackAlarms: [' '],
      },
      `${at}.deploymentConfig.autoRollbackAlarms[0]`,
    ],
  ])('refuses %j naming %s', (deploymentConfig, key) => {
    expect(() => readTarget({ deploymentConfig })).toThrow(
      `Invalid configuration at '${key}'`,
    );
  });

  it('reads a serverless target, which has no instance types', () => {
    const target = readTarget({
      instanceTypes: undefined,
      serverless: { memorySizeInMB: 2048, maxConcurrency: 5 },
    });
    expect(target.serverless).toEqual({
      memorySizeInMB: 2048,
      maxConcurrency: 5,
    });
    expect(target.instanceTypes).toEqual([]);
  });

  it('refuses a serverless target with instance types, guardrails or odd sizes', () => {
    const serverless = { memorySizeInMB: 2048, maxConcurrency: 5 };
    expect(() => readTarget({ serverless })).toThrow(
      `Invalid configuration at '${at}.instanceTypes'`,
    );
    expect(() =>
      readTarget({
        instanceTypes: undefined,
        serverless,
        deploymentConfig: {
          blueGreen: { trafficRouting: 'ALL_AT_ONCE', waitInterval: 'PT0S' },
        },
      }),
    ).toThrow(`Invalid configuration at '${at}.deploymentConfig'`);
    expect(() =>
      readTarget({
        instanceTypes: undefined,
        serverless: { memorySizeInMB: 1000, maxConcurrency: 5 },
      }),
    ).toThrow(`Invalid configuration at '${at}.serverless.memorySizeInMB'`);
    expect(() =>
      readTarget({
        instanceTypes: undefined,
        serverless: { memorySizeInMB: 1024, maxConcurrency: 500 },
      }),
    ).toThrow(`Invalid configuration at '${at}.serverless.maxConcurrency'`);
  });
});
