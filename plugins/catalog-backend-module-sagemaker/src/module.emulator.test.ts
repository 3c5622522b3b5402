import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateModelPackageGroupCommand,
  DeleteModelPackageGroupCommand,
} from '@aws-sdk/client-sagemaker';
import { CreateResourceShareCommand, RAMClient } from '@aws-sdk/client-ram';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import {
  LocalEmulator,
  awsConfig,
  clientInAccount,
  registerGroup,
  sageMakerInAccount,
  startLocalEmulator,
} from '@internal/backstage-plugin-sagemaker-backend/testUtils';
import catalogModule from './index';
import { SageMakerEntityProvider } from './provider/SageMakerEntityProvider';

jest.setTimeout(90_000);

const REGISTRY = '111111111111';
const TEAM = '222222222222';
const PARTNER = '444444444444'; // shares a group with the registry; not configured
const ARN = 'aws.amazon.com/sagemaker-model-package-group-arn';

const groupArn = (account: string, name: string) =>
  `arn:aws:sagemaker:us-east-1:${account}:model-package-group/${name}`;

describe('discovering the emulated accounts through the catalog module', () => {
  let emulator: LocalEmulator;
  let provider: SageMakerEntityProvider;
  const connection = { applyMutation: jest.fn(), refresh: jest.fn() };
  const previousEndpoint = process.env.AWS_ENDPOINT_URL;

  async function discovered(): Promise<Map<string, Entity>> {
    connection.applyMutation.mockClear();
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    const mutation = connection.applyMutation.mock.calls[0][0];
    expect(mutation.type).toBe('full');
    return new Map(
      mutation.entities.map(({ entity }: { entity: Entity }) => [
        `${entity.kind}:${entity.metadata.name}`,
        entity,
      ]),
    );
  }

  beforeAll(async () => {
    // Access checks off: the endpoint below runs another account's version
    // without the grants a real cross-account deploy needs.
    emulator = await startLocalEmulator({
      SAGEMAKER_LOCAL_ENFORCE_ACCESS: '0',
      SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS: '0',
    });
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;

    const registry = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    await registerGroup(registry, 'fraud-detection', 2);
    await registry.send(
      new CreateModelPackageGroupCommand({
        ModelPackageGroupName: 'retired-model',
        Tags: [{ Key: 'owner', Value: 'team-legacy' }],
      }),
    );
    const team = await sageMakerInAccount(emulator.endpoint, TEAM);
    await team.send(
      new CreateModelPackageGroupCommand({
        ModelPackageGroupName: 'team-forecast',
        ModelPackageGroupDescription: 'Weekly demand forecast',
      }),
    );
    const partner = await sageMakerInAccount(emulator.endpoint, PARTNER);
    await partner.send(
      new CreateModelPackageGroupCommand({
        ModelPackageGroupName: 'partner-scores',
      }),
    );
    const ram = await clientInAccount(RAMClient, emulator.endpoint, PARTNER);
    await ram.send(
      new CreateResourceShareCommand({
        name: 'partner-scores',
        resourceArns: [groupArn(PARTNER, 'partner-scores')],
        principals: [REGISTRY],
      }),
    );
    // The team serves the registry's fraud-detection v2 from its account.
    await team.send(
      new CreateModelCommand({
        ModelName: 'fraud-v2',
        ExecutionRoleArn: `arn:aws:iam::${TEAM}:role/SageMakerExecutionRole`,
        PrimaryContainer: {
          ModelPackageName: `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package/fraud-detection/2`,
        },
      }),
    );
    await team.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'fraud-staging-config',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: 'fraud-v2',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1,
          },
        ],
      }),
    );
    await team.send(
      new CreateEndpointCommand({
        EndpointName: 'fraud-staging',
        EndpointConfigName: 'fraud-staging-config',
      }),
    );

    const addEntityProvider = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [catalogProcessingExtensionPoint, { addEntityProvider }],
      ],
      features: [
        catalogModule,
        mockServices.scheduler.mock().factory,
        mockServices.rootConfig.factory({
          data: {
            aws: awsConfig([REGISTRY, TEAM]),
            catalog: {
              providers: {
                sagemaker: {
                  accounts: [
                    { accountId: REGISTRY, regions: ['us-east-1'] },
                    { accountId: TEAM, regions: ['us-east-1'] },
                  ],
                  defaultOwner: 'group:default/ml-platform',
                },
              },
            },
          },
        }),
      ],
    });
    if (addEntityProvider.mock.calls.length !== 1) {
      throw new Error('the module did not add exactly one entity provider');
    }
    provider = addEntityProvider.mock.calls[0][0] as SageMakerEntityProvider;
    await (provider as EntityProvider).connect(
      connection as unknown as EntityProviderConnection,
    );
  });

  afterAll(async () => {
    process.env.AWS_ENDPOINT_URL = previousEndpoint;
    await emulator?.stop();
  });

  it('finds the groups of two accounts and the RAM-shared one, with owners, annotation and the endpoint relation', async () => {
    const entities = await discovered();
    expect([...entities.keys()].sort()).toEqual([
      'Resource:fraud-detection',
      'Resource:fraud-staging',
      'Resource:partner-scores',
      'Resource:retired-model',
      'Resource:team-forecast',
    ]);

    const fraud = entities.get('Resource:fraud-detection')!;
    expect(fraud.spec).toEqual({
      type: 'sagemaker-model-package-group',
      owner: 'group:default/ml-platform', // registerGroup sets no tags
    });
    expect(fraud.metadata.annotations![ARN]).toBe(
      groupArn(REGISTRY, 'fraud-detection'),
    );
    const retired = entities.get('Resource:retired-model')!;
    expect(retired.spec!.owner).toBe('group:default/team-legacy');
    const forecast = entities.get('Resource:team-forecast')!;
    expect(forecast.metadata.annotations![ARN]).toBe(
      groupArn(TEAM, 'team-forecast'),
    );
    expect(forecast.metadata.description).toBe('Weekly demand forecast');

    const shared = entities.get('Resource:partner-scores')!;
    expect(shared.metadata.annotations![ARN]).toBe(
      groupArn(PARTNER, 'partner-scores'),
    );
    expect(shared.spec!.owner).toBe('group:default/ml-platform');
    expect(shared.metadata.description).toMatch(/shared with 111111111111/);

    const endpoint = entities.get('Resource:fraud-staging')!;
    expect(endpoint.spec).toEqual({
      type: 'sagemaker-endpoint',
      owner: 'group:default/ml-platform',
      dependsOn: ['resource:default/fraud-detection'],
    });
    expect(endpoint.metadata.annotations).toMatchObject({
      'aws.amazon.com/sagemaker-endpoint-arn': `arn:aws:sagemaker:us-east-1:${TEAM}:endpoint/fraud-staging`,
    });
  });

  it('drops a deleted group on the next run', async () => {
    const registry = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    await registry.send(
      new DeleteModelPackageGroupCommand({
        ModelPackageGroupName: 'retired-model',
      }),
    );
    const entities = await discovered();
    expect(entities.has('Resource:retired-model')).toBe(false);
    expect(entities.has('Resource:fraud-detection')).toBe(true);
    expect(entities.has('Resource:partner-scores')).toBe(true);
  });
});
