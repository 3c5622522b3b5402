import { ConfigReader } from '@backstage/config';
import { readDiscoveryConfig } from './DiscoveryConfig';

const AWS = new Set(['111111111111', '222222222222']);

function read(sagemaker: object | undefined) {
  return readDiscoveryConfig(
    new ConfigReader(
      sagemaker ? { catalog: { providers: { sagemaker } } } : {},
    ),
    AWS,
  );
}

const minimal = {
  accounts: [{ accountId: '111111111111', regions: ['us-east-1'] }],
  defaultOwner: 'ml-platform',
};

describe('readDiscoveryConfig', () => {
  it('is undefined when discovery is not configured', () => {
    expect(read(undefined)).toBeUndefined();
  });

  it('applies the defaults', () => {
    const config = read(minimal)!;
    expect(config).toMatchObject({
      accounts: [{ accountId: '111111111111', regions: ['us-east-1'] }],
      ownerTag: 'owner',
      defaultOwner: 'group:default/ml-platform',
      include: [],
      exclude: [],
      crossAccount: true,
      endpoints: true,
      schedule: { frequency: { minutes: 30 }, timeout: { minutes: 3 } },
    });
  });

  it('reads every setting', () => {
    const config = read({
      ...minimal,
      defaultOwner: 'user:default/jane',
      ownerTag: 'team',
      include: ['fraud-*', 'churn-?'],
      exclude: ['*-test'],
      crossAccount: false,
      endpoints: false,
      schedule: { frequency: { minutes: 5 }, timeout: 'PT1M' },
    })!;
    expect(config.defaultOwner).toBe('user:default/jane');
    expect(config.ownerTag).toBe('team');
    expect(config.include.map(p => p.test('fraud-detection'))).toEqual([
      true,
      false,
    ]);
    expect(config.include[1].test('churn-a')).toBe(true);
    expect(config.include[1].test('churn-ab')).toBe(false);
    expect(config.exclude[0].test('fraud-test')).toBe(true);
    expect(config.crossAccount).toBe(false);
    expect(config.endpoints).toBe(false);
    expect(config.schedule.frequency).toEqual({ minutes: 5 });
  });

  it.each([
    [{ ...minimal, accounts: [] }, "'catalog.providers.sagemaker.accounts'"],
    [
      { ...minimal, accounts: [{ accountId: '1234', regions: ['us-east-1'] }] },
      "'catalog.providers.sagemaker.accounts[0].accountId': '1234' is not a 12-digit",
    ],
    [
      {
        ...minimal,
        accounts: [{ accountId: '333333333333', regions: ['us-east-1'] }],
      },
      "'catalog.providers.sagemaker.accounts[0].accountId': account 333333333333 is not listed under aws.accounts",
    ],
    [
      {
        ...minimal,
        accounts: [
          { accountId: '111111111111', regions: ['us-east-1'] },
          { accountId: '111111111111', regions: ['eu-west-1'] },
        ],
      },
      "'catalog.providers.sagemaker.accounts[1].accountId': duplicate account",
    ],
    [
      {
        ...minimal,
        accounts: [{ accountId: '111111111111', regions: ['mars-1'] }],
      },
      "'catalog.providers.sagemaker.accounts[0].regions[0]'",
    ],
    [
      { ...minimal, include: ['fraud.*'] },
      "'catalog.providers.sagemaker.include[0]'",
    ],
    [
      { ...minimal, defaultOwner: 'group:' },
      "'catalog.providers.sagemaker.defaultOwner'",
    ],
    [
      { ...minimal, schedule: { timeout: { minutes: 1 } } },
      "'catalog.providers.sagemaker.schedule'",
    ],
    [{ ...minimal, ownerTag: ' ' }, "'catalog.providers.sagemaker.ownerTag'"],
  ])('fails naming the key for %j', (sagemaker, message) => {
    expect(() => read(sagemaker)).toThrow(message);
  });

  it('needs a default owner', () => {
    expect(() => read({ accounts: minimal.accounts })).toThrow(/defaultOwner/);
  });
});
