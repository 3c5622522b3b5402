import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import catalogModule from './index';
import { SageMakerEntityProvider } from './provider/SageMakerEntityProvider';

const aws = {
  mainAccount: { accessKeyId: 'test', secretAccessKey: 'test' },
  accounts: [
    { accountId: '111111111111', roleName: 'BackstageSageMakerAccess' },
  ],
};

async function start(data: object) {
  const addEntityProvider = jest.fn();
  await startTestBackend({
    extensionPoints: [[catalogProcessingExtensionPoint, { addEntityProvider }]],
    features: [
      catalogModule,
      mockServices.scheduler.mock().factory,
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return addEntityProvider;
}

describe('catalogModuleSageMakerModelRegistry', () => {
  it('adds the provider when discovery is configured', async () => {
    const addEntityProvider = await start({
      aws,
      catalog: {
        providers: {
          sagemaker: {
            accounts: [{ accountId: '111111111111', regions: ['us-east-1'] }],
            defaultOwner: 'ml-platform',
          },
        },
      },
    });
    expect(addEntityProvider).toHaveBeenCalledTimes(1);
    expect(addEntityProvider.mock.calls[0][0]).toBeInstanceOf(
      SageMakerEntityProvider,
    );
  });

  it('adds nothing when discovery is not configured', async () => {
    const addEntityProvider = await start({ aws });
    expect(addEntityProvider).not.toHaveBeenCalled();
  });

  it('stops the backend on bad config, naming the key', async () => {
    await expect(
      start({
        aws,
        catalog: {
          providers: {
            sagemaker: {
              accounts: [{ accountId: '999999999999', regions: ['us-east-1'] }],
              defaultOwner: 'ml-platform',
            },
          },
        },
      }),
    ).rejects.toThrow(
      "Invalid configuration at 'catalog.providers.sagemaker.accounts[0].accountId': account 999999999999 is not listed under aws.accounts",
    );
  });
});
