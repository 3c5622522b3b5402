import { ConfigReader } from '@backstage/config';
import { readSageMakerConfig } from './SageMakerConfig';

const staging = {
  name: 'staging',
  accountId: '222222222222',
  region: 'us-east-1',
  executionRoleArn: 'arn:aws:iam::222222222222:role/SageMakerExecutionRole',
  instanceTypes: ['ml.m5.large'],
};

function read(sagemaker: object, accounts = ['222222222222', '333333333333']) {
  return readSageMakerConfig(
    new ConfigReader({
      aws: { accounts: accounts.map(accountId => ({ accountId })) },
      sagemaker,
    }),
  );
}

describe('readSageMakerConfig', () => {
  it('reads targets with defaults', () => {
    const config = read({ deploymentTargets: [staging] });
    expect(config.accountIds).toEqual(
      new Set(['222222222222', '333333333333']),
    );
    expect(config.deploymentTargets).toEqual([
      {
        ...staging,
        title: 'staging',
        maxInstanceCount: 1,
        vpcConfig: undefined,
        kmsKeyId: undefined,
        enableNetworkIsolation: false,
        tags: {},
        requires: [],
      },
    ]);
    expect(config.cacheTtlMs).toBe(60_000);
    expect(config.awsRequestTimeoutMs).toBe(5_000);
    expect(config.awsMaxAttempts).toBe(5);
  });

  it('syncs every 30 minutes behind the events, on topic sagemaker, unless told', () => {
    const config = read({ deploymentTargets: [staging] });
    expect(config.syncIntervalMs).toBe(30 * 60_000);
    expect(config.syncSearchOverlapMs).toBe(10 * 60_000);
    expect(config.eventsTopics).toEqual(['sagemaker']);
    expect(
      read({ events: { topic: ['sagemaker', 'sagemaker-staging'] } })
        .eventsTopics,
    ).toEqual(['sagemaker', 'sagemaker-staging']);
    expect(() => read({ events: { topic: [] } })).toThrow(
      "Invalid configuration at 'sagemaker.events.topic'",
    );
  });

  it('reads durations and production settings', () => {
    const config = read({
      cache: { ttl: { minutes: 5 } },
      aws: { requestTimeout: 'PT2S', maxAttempts: 5 },
      deploymentTargets: [
        staging,
        {
          ...staging,
          name: 'production',
          accountId: '333333333333',
          executionRoleArn: 'arn:aws:iam::333333333333:role/Exec',
          vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-1'] },
          tags: { environment: 'production' },
          requires: ['staging'],
        },
      ],
    });
    expect(config.cacheTtlMs).toBe(300_000);
    expect(config.awsRequestTimeoutMs).toBe(2_000);
    expect(config.awsMaxAttempts).toBe(5);
    expect(config.deploymentTargets[1]).toMatchObject({
      vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-1'] },
      tags: { environment: 'production' },
      requires: ['staging'],
    });
  });

  it.each([
    [
      { ...staging, accountId: '22' },
      'sagemaker.deploymentTargets[0].accountId',
    ],
    [{ ...staging, region: 'moon' }, 'sagemaker.deploymentTargets[0].region'],
    [{ ...staging, name: 'Staging!' }, 'sagemaker.deploymentTargets[0].name'],
    [
      { ...staging, executionRoleArn: 'arn:aws:iam::333333333333:role/Exec' },
      'sagemaker.deploymentTargets[0].executionRoleArn',
    ],
    [
      { ...staging, instanceTypes: [] },
      'sagemaker.deploymentTargets[0].instanceTypes',
    ],
    [
      { ...staging, instanceTypes: ['m5.large'] },
      'sagemaker.deploymentTargets[0].instanceTypes',
    ],
    [
      { ...staging, maxInstanceCount: 0 },
      'sagemaker.deploymentTargets[0].maxInstanceCount',
    ],
    [
      { ...staging, requires: ['nowhere'] },
      'sagemaker.deploymentTargets[0].requires',
    ],
    [
      {
        ...staging,
        accountId: '444444444444',
        executionRoleArn: 'arn:aws:iam::444444444444:role/E',
      },
      'sagemaker.deploymentTargets[0].accountId',
    ],
  ])('refuses a bad target and names the key (%#)', (target, key) => {
    expect(() => read({ deploymentTargets: [target] })).toThrow(key);
  });

  it('reads the history signing keys, and refuses weak or ambiguous ones', () => {
    const secret = 's'.repeat(32);
    expect(read({}).historySigningKeys).toEqual([]);
    expect(
      read({
        history: {
          signingKeys: [
            { id: '2026-11', secret },
            { id: '2026-05', secret },
          ],
        },
      }).historySigningKeys.map(k => k.id),
    ).toEqual(['2026-11', '2026-05']);
    expect(() =>
      read({ history: { signingKeys: [{ id: 'k1', secret: 'short' }] } }),
    ).toThrow(
      "Invalid configuration at 'sagemaker.history.signingKeys[0].secret': must be at least 32 characters",
    );
    expect(() =>
      read({
        history: {
          signingKeys: [
            { id: 'k1', secret },
            { id: 'k1', secret },
          ],
        },
      }),
    ).toThrow(
      "Invalid configuration at 'sagemaker.history.signingKeys[1].id': duplicate key id 'k1'",
    );
    expect(() =>
      read({ history: { signingKeys: [{ id: 'a key', secret }] } }),
    ).toThrow("'sagemaker.history.signingKeys[0].id'");
  });

  it('keeps 2 earlier deployments per endpoint unless told, and refuses a bad count', () => {
    expect(read({}).keepPreviousDeployments).toBe(2);
    expect(
      read({ deployments: { keepPrevious: 5 } }).keepPreviousDeployments,
    ).toBe(5);
    expect(() => read({ deployments: { keepPrevious: 0 } })).toThrow(
      "Invalid configuration at 'sagemaker.deployments.keepPrevious'",
    );
  });

  it('reads 3 pages of untagged endpoints unless told, and refuses a bad count', () => {
    expect(read({}).endpointDiscoveryMaxPages).toBe(3);
    expect(
      read({ endpoints: { discoveryMaxPages: 10 } }).endpointDiscoveryMaxPages,
    ).toBe(10);
    expect(() => read({ endpoints: { discoveryMaxPages: 0 } })).toThrow(
      "Invalid configuration at 'sagemaker.endpoints.discoveryMaxPages'",
    );
  });

  it('reads the deployment lease, which must outlast two polls', () => {
    expect(read({}).deploymentLeaseMs).toBe(15_000);
    const config = read({
      deployments: { pollInterval: { seconds: 1 }, lease: { seconds: 3 } },
    });
    expect(config.deploymentLeaseMs).toBe(3_000);
    expect(() =>
      read({
        deployments: { pollInterval: { seconds: 5 }, lease: { seconds: 6 } },
      }),
    ).toThrow(
      "Invalid configuration at 'sagemaker.deployments.lease': must be at least twice sagemaker.deployments.pollInterval (5000 ms)",
    );
  });

  it('refuses duplicate target names', () => {
    expect(() => read({ deploymentTargets: [staging, staging] })).toThrow(
      "sagemaker.deploymentTargets[1].name': duplicate target name 'staging'",
    );
  });

  it('refuses a malformed account under aws.accounts', () => {
    expect(() => read({}, ['1234'])).toThrow('aws.accounts[0].accountId');
  });

  it('names a missing required field', () => {
    const { executionRoleArn, ...partial } = staging;
    expect(() => read({ deploymentTargets: [partial] })).toThrow(
      /executionRoleArn/,
    );
  });
});
