import {
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
  SearchCommand,
  SearchCommandInput,
  SearchCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { mockClient } from 'aws-sdk-client-mock';
import { SageMakerClientFactory } from '../aws/SageMakerClientFactory';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { DeploymentTarget } from '../config/SageMakerConfig';
import {
  STAGING,
  deploymentTarget,
  groupArn,
  staticKeysConfig,
  versionArn,
} from '../__testUtils__/fixtures';
import { EndpointResolver, GROUP_TAG } from './EndpointResolver';
import { RegistryCache } from './RegistryCache';

const sagemaker = mockClient(SageMakerClient);
const target = deploymentTarget('staging', STAGING) as DeploymentTarget;
const created = new Date('2026-11-01T10:00:00Z');

/** The cache service's contract, in memory. */
function memoryCache() {
  const values = new Map<string, any>();
  return mockServices.cache.mock({
    get: async key => values.get(key),
    set: async (key, value) => {
      values.set(key, value);
    },
    delete: async key => {
      values.delete(key);
    },
  });
}

function resolver(discoveryMaxPages?: number) {
  const gateway = new SageMakerGateway(
    new SageMakerClientFactory({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(
        new ConfigReader(staticKeysConfig([STAGING])),
      ),
      requestTimeoutMs: 1000,
      maxAttempts: 1,
      accountRoles: new Map(),
      attributeWritesToUser: false,
    }),
  );
  return new EndpointResolver({
    gateway,
    cache: new RegistryCache(memoryCache(), 60_000),
    discoveryMaxPages,
  });
}

/** An Endpoint search record whose config serves one version. */
function record(name: string, tags: Record<string, string> = {}) {
  return {
    Endpoint: {
      EndpointName: name,
      EndpointArn: `arn:aws:sagemaker:us-east-1:${STAGING}:endpoint/${name}`,
      EndpointConfigName: `${name}-config`,
      EndpointStatus: 'InService' as const,
      CreationTime: created,
      LastModifiedTime: created,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    },
  };
}

/** Endpoint → config → model → version, for each name. */
function serves(versions: Record<string, string>) {
  for (const [name, version] of Object.entries(versions)) {
    sagemaker
      .on(DescribeEndpointConfigCommand, {
        EndpointConfigName: `${name}-config`,
      })
      .resolves({
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: `${name}-model`,
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1,
          },
        ],
      })
      .on(DescribeModelCommand, { ModelName: `${name}-model` })
      .resolves({ PrimaryContainer: { ModelPackageName: version } });
  }
}

/**
 * Answers Search as SageMaker would over `tagged` (name → group) and
 * `untagged` endpoints, `pageSize` records a page.
 */
function searchOver(
  tagged: Record<string, string>,
  untagged: string[],
  pageSize = 100,
) {
  sagemaker.on(SearchCommand).callsFake((input: SearchCommandInput) => {
    const filters = input.SearchExpression?.Filters ?? [];
    const records = filters.some(f => f.Operator === 'NotExists')
      ? untagged.map(name => record(name))
      : Object.entries(tagged)
          .filter(([, group]) => filters.some(f => f.Value === group))
          .map(([name, group]) => record(name, { [GROUP_TAG]: group }));
    const offset = Number(input.NextToken ?? 0);
    const page = records.slice(offset, offset + pageSize);
    const output: Partial<SearchCommandOutput> = {
      Results: page,
      NextToken:
        offset + pageSize < records.length
          ? String(offset + pageSize)
          : undefined,
    };
    return output;
  });
}

const searches = () => sagemaker.commandCalls(SearchCommand);

describe('EndpointResolver', () => {
  beforeEach(() => sagemaker.reset());

  it('finds tagged endpoints by tag and untagged ones by discovery, describing only those', async () => {
    searchOver({ 'fraud-a': groupArn('fraud'), 'churn-a': groupArn('churn') }, [
      'outside-fraud',
      'outside-churn',
    ]);
    serves({
      'fraud-a': versionArn('fraud', 7),
      'outside-fraud': versionArn('fraud', 6),
      'outside-churn': versionArn('churn', 2),
    });

    const found = await resolver().endpointsServing(
      target,
      [groupArn('fraud')],
      { fresh: false },
    );

    expect(found.discoveryTruncated).toBe(false);
    expect(
      found.endpoints.map(e => [e.endpointName, e.variants[0].version]),
    ).toEqual([
      ['fraud-a', 7],
      ['outside-fraud', 6],
    ]);
    expect(found.endpoints[0]).toMatchObject({
      accountId: STAGING,
      status: 'InService',
      createdAt: created.toISOString(),
      variants: [{ groupName: 'fraud', instanceType: 'ml.m5.large' }],
    });
    const tagQuery = searches()[0].args[0].input;
    expect(tagQuery).toMatchObject({
      Resource: 'Endpoint',
      SearchExpression: {
        Operator: 'Or',
        Filters: [
          {
            Name: `Tags.${GROUP_TAG}`,
            Operator: 'Equals',
            Value: groupArn('fraud'),
          },
        ],
      },
    });
    // 2 Searches, and config + model for each tagged match and untagged one.
    expect(searches()).toHaveLength(2);
    expect(sagemaker.calls()).toHaveLength(2 + 3 * 2);
  });

  it('costs the same whatever the number of endpoints other groups tagged', async () => {
    const others = Object.fromEntries(
      Array.from({ length: 500 }, (_, i) => [`other-${i}`, groupArn('other')]),
    );
    searchOver({ ...others, 'fraud-a': groupArn('fraud') }, []);
    serves({ 'fraud-a': versionArn('fraud', 7) });

    const found = await resolver().endpointsServing(
      target,
      [groupArn('fraud')],
      { fresh: false },
    );

    expect(found.endpoints.map(e => e.endpointName)).toEqual(['fraud-a']);
    expect(sagemaker.calls()).toHaveLength(2 + 2);
  });

  it('stops discovery at its bound and says so', async () => {
    const untagged = Array.from({ length: 7 }, (_, i) => `outside-${i}`);
    searchOver({}, untagged, 2);
    serves(
      Object.fromEntries(untagged.map(name => [name, versionArn('fraud', 1)])),
    );

    const found = await resolver(2).endpointsServing(
      target,
      [groupArn('fraud')],
      { fresh: false },
    );

    expect(found.discoveryTruncated).toBe(true);
    expect(found.endpoints.map(e => e.endpointName)).toEqual([
      'outside-0',
      'outside-1',
      'outside-2',
      'outside-3',
    ]);
    // One tag query, and discovery read exactly its two pages.
    expect(searches()).toHaveLength(1 + 2);
  });

  it('shares the discovery between entities and skips the cache when fresh', async () => {
    searchOver({ 'fraud-a': groupArn('fraud') }, ['outside-churn']);
    serves({
      'fraud-a': versionArn('fraud', 7),
      'outside-churn': versionArn('churn', 2),
    });
    const endpoints = resolver();

    await endpoints.endpointsServing(target, [groupArn('fraud')], {
      fresh: false,
    });
    const afterFirst = searches().length;
    const churn = await endpoints.endpointsServing(
      target,
      [groupArn('churn')],
      { fresh: false },
    );
    expect(churn.endpoints.map(e => e.endpointName)).toEqual(['outside-churn']);
    // Only churn's tag query: the discovery came from the cache.
    expect(searches()).toHaveLength(afterFirst + 1);

    await endpoints.endpointsServing(target, [groupArn('fraud')], {
      fresh: true,
    });
    expect(searches()).toHaveLength(afterFirst + 3);
  });
});
