import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListEndpointsCommand,
  ListModelPackageGroupsCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { mockClient } from 'aws-sdk-client-mock';
import { readDiscoveryConfig } from '../config/DiscoveryConfig';
import { SageMakerEntityProvider } from './SageMakerEntityProvider';

const REGISTRY = '111111111111';
const TEAM = '222222222222';
const PARTNER = '444444444444'; // shares a group, no credentials
const AWS_ACCOUNTS = new Set([REGISTRY, TEAM]);

const groupArn = (account: string, name: string, region = 'us-east-1') =>
  `arn:aws:sagemaker:${region}:${account}:model-package-group/${name}`;

function summary(account: string, name: string, description?: string) {
  return {
    ModelPackageGroupName: name,
    ModelPackageGroupArn: groupArn(account, name),
    ModelPackageGroupDescription: description,
    CreationTime: new Date(),
    ModelPackageGroupStatus: 'Completed' as const,
  };
}

/** One mocked SageMaker client per account, as the factory hands them out. */
function accountClients() {
  const clients = new Map(
    [REGISTRY, TEAM].map(account => {
      const client = new SageMakerClient({ region: 'us-east-1' });
      return [account, { client, mock: mockClient(client) }];
    }),
  );
  for (const { mock } of clients.values()) {
    mock.on(ListModelPackageGroupsCommand).resolves({});
    mock.on(ListTagsCommand).resolves({ Tags: [] });
    mock.on(ListEndpointsCommand).resolves({ Endpoints: [] });
  }
  return {
    mockOf: (account: string) => clients.get(account)!.mock,
    source: async (account: string) => {
      const entry = clients.get(account);
      if (!entry) throw new Error(`no credentials for ${account}`);
      return entry.client;
    },
  };
}

function ownGroups(
  clients: ReturnType<typeof accountClients>,
  account: string,
  summaries: ReturnType<typeof summary>[],
) {
  return clients
    .mockOf(account)
    .on(ListModelPackageGroupsCommand, { CrossAccountFilterOption: undefined })
    .resolves({ ModelPackageGroupSummaryList: summaries });
}

function sharedGroups(
  clients: ReturnType<typeof accountClients>,
  account: string,
  summaries: ReturnType<typeof summary>[],
) {
  clients
    .mockOf(account)
    .on(ListModelPackageGroupsCommand, {
      CrossAccountFilterOption: 'CrossAccount',
    })
    .resolves({ ModelPackageGroupSummaryList: summaries });
}

function provider(
  clients: ReturnType<typeof accountClients>,
  settings: object = {},
) {
  const config = readDiscoveryConfig(
    new ConfigReader({
      catalog: {
        providers: {
          sagemaker: {
            accounts: [
              { accountId: REGISTRY, regions: ['us-east-1'] },
              { accountId: TEAM, regions: ['us-east-1'] },
            ],
            defaultOwner: 'ml-platform',
            ...settings,
          },
        },
      },
    }),
    AWS_ACCOUNTS,
  )!;
  const connection = { applyMutation: jest.fn(), refresh: jest.fn() };
  const instance = new SageMakerEntityProvider({
    config,
    clients: clients.source,
    awsAccountIds: AWS_ACCOUNTS,
    logger: mockServices.logger.mock(),
  });
  return { instance, connection };
}

async function run(
  instance: SageMakerEntityProvider,
  connection: { applyMutation: jest.Mock },
): Promise<Entity[]> {
  await instance.connect(connection as unknown as EntityProviderConnection);
  connection.applyMutation.mockClear();
  await instance.refresh();
  expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  const mutation = connection.applyMutation.mock.calls[0][0];
  expect(mutation.type).toBe('full');
  return mutation.entities.map((e: { entity: Entity }) => e.entity);
}

const byName = (entities: Entity[], name: string) =>
  entities.find(e => e.metadata.name === name)!;

describe('SageMakerEntityProvider', () => {
  it('emits one Resource per group, with owner, tags, annotation and link', async () => {
    const clients = accountClients();
    ownGroups(clients, REGISTRY, [
      summary(REGISTRY, 'fraud-detection', 'Card fraud scores'),
      summary(REGISTRY, 'churn--model'),
    ]);
    clients
      .mockOf(REGISTRY)
      .on(ListTagsCommand, {
        ResourceArn: groupArn(REGISTRY, 'fraud-detection'),
      })
      .resolves({
        Tags: [
          { Key: 'owner', Value: 'team-fraud' },
          { Key: 'Cost Center', Value: 'ML_42' },
          { Key: 'aws:cloudformation:stack-name', Value: 'x' },
        ],
      });
    const { instance, connection } = provider(clients);

    const entities = await run(instance, connection);

    expect(byName(entities, 'fraud-detection')).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'fraud-detection',
        title: 'fraud-detection',
        description: 'Card fraud scores',
        annotations: {
          'backstage.io/managed-by-location': `sagemaker-model-registry:${REGISTRY}/us-east-1`,
          'backstage.io/managed-by-origin-location': `sagemaker-model-registry:${REGISTRY}/us-east-1`,
          'aws.amazon.com/sagemaker-model-package-group-arn': groupArn(
            REGISTRY,
            'fraud-detection',
          ),
        },
        tags: ['cost-center-ml-42'],
        links: [
          {
            url: 'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/model-registry/model-package-groups/fraud-detection',
            title: 'SageMaker console',
            icon: 'cloud',
          },
        ],
      },
      spec: {
        type: 'sagemaker-model-package-group',
        owner: 'group:default/team-fraud',
      },
    });
    // No owner tag: the default owner; a name Backstage would refuse is fixed.
    const churn = byName(entities, 'churn-model');
    expect(churn.spec!.owner).toBe('group:default/ml-platform');
    expect(churn.metadata.title).toBe('churn--model');
    expect(churn.metadata.description).toMatch(/account 111111111111/);
  });

  it('qualifies names that two accounts share', async () => {
    const clients = accountClients();
    for (const account of [REGISTRY, TEAM]) {
      ownGroups(clients, account, [summary(account, 'forecast')]);
    }
    const { instance, connection } = provider(clients);
    const names = (await run(instance, connection)).map(e => e.metadata.name);
    expect(names.sort()).toEqual([
      'forecast-111111111111-us-east-1',
      'forecast-222222222222-us-east-1',
    ]);
  });

  it('discovers RAM-shared groups once, preferring the owner account view', async () => {
    const clients = accountClients();
    ownGroups(clients, REGISTRY, [summary(REGISTRY, 'risk')]);
    clients
      .mockOf(REGISTRY)
      .on(ListTagsCommand, { ResourceArn: groupArn(REGISTRY, 'risk') })
      .resolves({ Tags: [{ Key: 'owner', Value: 'team-risk' }] });
    sharedGroups(clients, TEAM, [
      summary(REGISTRY, 'risk'),
      summary(PARTNER, 'partner-scores'),
    ]);
    const { instance, connection } = provider(clients);

    const entities = await run(instance, connection);

    expect(entities.map(e => e.metadata.name).sort()).toEqual([
      'partner-scores',
      'risk',
    ]);
    expect(byName(entities, 'risk').spec!.owner).toBe(
      'group:default/team-risk',
    );
    const shared = byName(entities, 'partner-scores');
    // No credentials in the owner's account: no tags, the default owner.
    expect(shared.spec!.owner).toBe('group:default/ml-platform');
    expect(shared.metadata.annotations).toMatchObject({
      'aws.amazon.com/sagemaker-model-package-group-arn': groupArn(
        PARTNER,
        'partner-scores',
      ),
      'backstage.io/managed-by-location': `sagemaker-model-registry:${TEAM}/us-east-1`,
    });
    expect(shared.metadata.description).toMatch(/shared with 222222222222/);
  });

  it('reads a shared group tags in its owner account when it has credentials there', async () => {
    const clients = accountClients();
    sharedGroups(clients, TEAM, [summary(REGISTRY, 'risk')]);
    clients
      .mockOf(REGISTRY)
      .on(ListTagsCommand, { ResourceArn: groupArn(REGISTRY, 'risk') })
      .resolves({ Tags: [{ Key: 'team', Value: 'user:default/jane' }] });
    const { instance, connection } = provider(clients, {
      accounts: [{ accountId: TEAM, regions: ['us-east-1'] }],
      ownerTag: 'team',
    });
    const [risk] = await run(instance, connection);
    expect(risk.spec!.owner).toBe('user:default/jane');
  });

  it('applies include and exclude to group names, shared groups too', async () => {
    const clients = accountClients();
    ownGroups(clients, REGISTRY, [
      summary(REGISTRY, 'fraud-detection'),
      summary(REGISTRY, 'fraud-test'),
      summary(REGISTRY, 'churn'),
    ]);
    sharedGroups(clients, REGISTRY, [summary(PARTNER, 'fraud-partner')]);
    const { instance, connection } = provider(clients, {
      include: ['fraud-*'],
      exclude: ['*-test'],
    });
    const names = (await run(instance, connection)).map(e => e.metadata.name);
    expect(names.sort()).toEqual(['fraud-detection', 'fraud-partner']);
  });

  it('does not ask for shared groups when crossAccount is off', async () => {
    const clients = accountClients();
    const { instance, connection } = provider(clients, { crossAccount: false });
    await run(instance, connection);
    expect(
      clients
        .mockOf(REGISTRY)
        .commandCalls(ListModelPackageGroupsCommand)
        .map(c => c.args[0].input.CrossAccountFilterOption),
    ).toEqual([undefined]);
  });

  it('emits the endpoints serving the groups versions, depending on the groups', async () => {
    const clients = accountClients();
    ownGroups(clients, REGISTRY, [summary(REGISTRY, 'fraud-detection')]);
    clients
      .mockOf(REGISTRY)
      .on(ListTagsCommand)
      .resolves({ Tags: [{ Key: 'owner', Value: 'team-fraud' }] });
    const team = clients.mockOf(TEAM);
    team.on(ListEndpointsCommand).resolves({
      Endpoints: [
        { EndpointName: 'fraud-staging' } as any,
        { EndpointName: 'unrelated' } as any,
      ],
    });
    team
      .on(DescribeEndpointCommand, { EndpointName: 'fraud-staging' })
      .resolves({
        EndpointName: 'fraud-staging',
        EndpointArn: `arn:aws:sagemaker:us-east-1:${TEAM}:endpoint/fraud-staging`,
        EndpointConfigName: 'fraud-staging-config',
        EndpointStatus: 'InService',
      });
    team.on(DescribeEndpointCommand, { EndpointName: 'unrelated' }).resolves({
      EndpointName: 'unrelated',
      EndpointArn: `arn:aws:sagemaker:us-east-1:${TEAM}:endpoint/unrelated`,
      EndpointConfigName: 'unrelated-config',
      EndpointStatus: 'InService',
    });
    team
      .on(DescribeEndpointConfigCommand, {
        EndpointConfigName: 'fraud-staging-config',
      })
      .resolves({
        ProductionVariants: [{ VariantName: 'a', ModelName: 'fraud-v3' }],
      });
    team
      .on(DescribeEndpointConfigCommand, {
        EndpointConfigName: 'unrelated-config',
      })
      .resolves({
        ProductionVariants: [{ VariantName: 'a', ModelName: 'plain' }],
      });
    team.on(DescribeModelCommand, { ModelName: 'fraud-v3' }).resolves({
      PrimaryContainer: {
        ModelPackageName: `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package/fraud-detection/3`,
      },
    });
    team.on(DescribeModelCommand, { ModelName: 'plain' }).resolves({
      PrimaryContainer: { Image: 'some/image' },
    });
    const { instance, connection } = provider(clients);

    const entities = await run(instance, connection);

    expect(entities.map(e => e.metadata.name).sort()).toEqual([
      'fraud-detection',
      'fraud-staging',
    ]);
    const endpoint = byName(entities, 'fraud-staging');
    expect(endpoint.kind).toBe('Resource');
    expect(endpoint.spec).toEqual({
      type: 'sagemaker-endpoint',
      owner: 'group:default/team-fraud',
      dependsOn: ['resource:default/fraud-detection'],
    });
    expect(endpoint.metadata.annotations).toMatchObject({
      'aws.amazon.com/sagemaker-endpoint-arn': `arn:aws:sagemaker:us-east-1:${TEAM}:endpoint/fraud-staging`,
      'backstage.io/managed-by-location': `sagemaker-model-registry:${TEAM}/us-east-1`,
    });
    expect(endpoint.metadata.description).toMatch(/fraud-detection\/3/);
  });

  it('replaces everything each run, so a deleted group leaves the catalog', async () => {
    const clients = accountClients();
    const list = ownGroups(clients, REGISTRY, [
      summary(REGISTRY, 'a'),
      summary(REGISTRY, 'b'),
    ]);
    const { instance, connection } = provider(clients);
    expect((await run(instance, connection)).length).toBe(2);

    list.resolves({ ModelPackageGroupSummaryList: [summary(REGISTRY, 'a')] });
    const after = await run(instance, connection);
    expect(after.map(e => e.metadata.name)).toEqual(['a']);
  });

  it('keeps the catalog as it is when an account cannot be read', async () => {
    const clients = accountClients();
    clients
      .mockOf(TEAM)
      .on(ListModelPackageGroupsCommand)
      .rejects(new Error('AccessDenied'));
    const { instance, connection } = provider(clients);
    await instance.connect(connection as unknown as EntityProviderConnection);
    await expect(instance.refresh()).rejects.toThrow('AccessDenied');
    expect(connection.applyMutation).not.toHaveBeenCalled();
  });

  it('schedules its runs with the configured schedule', async () => {
    const clients = accountClients();
    const scheduler = mockServices.scheduler.mock();
    const config = readDiscoveryConfig(
      new ConfigReader({
        catalog: {
          providers: {
            sagemaker: {
              accounts: [{ accountId: REGISTRY, regions: ['us-east-1'] }],
              defaultOwner: 'ml-platform',
              schedule: { frequency: { minutes: 10 }, timeout: { minutes: 2 } },
            },
          },
        },
      }),
      AWS_ACCOUNTS,
    )!;
    const instance = new SageMakerEntityProvider({
      config,
      clients: clients.source,
      awsAccountIds: AWS_ACCOUNTS,
      logger: mockServices.logger.mock(),
      scheduler,
    });
    await instance.connect({ applyMutation: jest.fn() } as any);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'sagemaker-model-registry:refresh',
        frequency: { minutes: 10 },
        timeout: { minutes: 2 },
      }),
    );
  });
});
