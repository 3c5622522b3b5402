import { mockServices } from '@backstage/backend-test-utils';
import {
  REGISTRY,
  STAGING,
  UNCONFIGURED,
  groupArn,
  versionArn,
} from '../__testUtils__/fixtures';
import { stagingTarget } from '../__testUtils__/unitHarness';
import {
  endpointEvent,
  modelPackageEvent,
} from '../__testUtils__/sageMakerEvents';
import { SageMakerEventHandler } from './SageMakerEventHandler';

function setUp() {
  const logger = mockServices.logger.mock();
  const deps = {
    accountIds: new Set([REGISTRY, STAGING]),
    targets: [stagingTarget],
    sync: {
      syncVersionHint: jest.fn(async (_arn: string) => 1 as number | undefined),
      syncEndpointHint: jest.fn(async () => [
        { target: 'staging', recorded: true },
      ]),
    },
    invalidateGroup: jest.fn(async () => {}),
    invalidateTarget: jest.fn(async () => {}),
    followEndpoint: jest.fn(async () => 0),
    logger,
  };
  const handler = new SageMakerEventHandler(deps);
  const send = (eventPayload: unknown) =>
    handler.onEvent({ topic: 'sagemaker', eventPayload });
  return { deps, logger, send };
}

describe('SageMakerEventHandler', () => {
  it('re-reads the version an event names and invalidates its group', async () => {
    const t = setUp();
    await t.send(modelPackageEvent());
    expect(t.deps.sync.syncVersionHint).toHaveBeenCalledWith(
      versionArn('fraud', 3),
    );
    expect(t.deps.invalidateGroup).toHaveBeenCalledWith(groupArn('fraud'));
    expect(t.logger.warn).not.toHaveBeenCalled();
  });

  it('re-reads an endpoint, invalidates its target and has the executor follow it now', async () => {
    const t = setUp();
    await t.send(endpointEvent());
    const endpoint = {
      accountId: STAGING,
      region: 'us-east-1',
      endpointName: 'Fraud-Staging',
    };
    expect(t.deps.sync.syncEndpointHint).toHaveBeenCalledWith(
      expect.objectContaining(endpoint),
    );
    expect(t.deps.invalidateTarget).toHaveBeenCalledWith(stagingTarget);
    expect(t.deps.followEndpoint).toHaveBeenCalledWith(
      expect.objectContaining(endpoint),
    );
  });

  const other = `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package/other/1`;
  it.each([
    ['a string', 'Approved', /the event: Expected object/],
    ['null', null, /the event: Expected object/],
    ['another source', modelPackageEvent({ source: 'my.app' }), /^.*source/],
    [
      'another detail type',
      modelPackageEvent({
        'detail-type': 'SageMaker Training Job State Change',
      }),
      /detail-type/,
    ],
    [
      'an account not configured',
      modelPackageEvent({ account: UNCONFIGURED }),
      /account 999999999999 is not a configured SageMaker account/,
    ],
    ['no region', modelPackageEvent({ region: undefined }), /region/],
    ['a bad region', modelPackageEvent({ region: 'Mars' }), /region/],
    [
      'an ARN in another account',
      modelPackageEvent({ account: STAGING }),
      /ModelPackageArn is in 111111111111 us-east-1, the event in 222222222222/,
    ],
    [
      'an ARN in another region',
      modelPackageEvent({ region: 'eu-west-1' }),
      /the event in 111111111111 eu-west-1/,
    ],
    [
      'a group ARN for a version',
      modelPackageEvent({
        detail: { ModelPackageArn: groupArn('fraud') },
      }),
      /not a versioned model package ARN/,
    ],
    [
      'resources naming another version',
      modelPackageEvent({ resources: [other] }),
      /resources name another resource/,
    ],
    [
      'a group name that is not its ARN',
      modelPackageEvent({
        detail: {
          ModelPackageArn: versionArn('fraud', 3),
          ModelPackageGroupName: 'churn',
        },
      }),
      /ModelPackageGroupName does not match/,
    ],
    ['no detail', modelPackageEvent({ detail: undefined }), /detail: Required/],
    [
      'an oversized detail',
      modelPackageEvent({
        detail: {
          ModelPackageArn: versionArn('fraud', 3),
          Padding: 'x'.repeat(300 * 1024),
        },
      }),
      /more than EventBridge's 262144/,
    ],
    [
      'too many resources',
      modelPackageEvent({ resources: Array(11).fill(versionArn('fraud', 3)) }),
      /resources/,
    ],
    [
      'an endpoint ARN of another endpoint',
      endpointEvent({
        resources: [`arn:aws:sagemaker:us-east-1:${STAGING}:endpoint/other`],
      }),
      /endpoint ARN is not Fraud-Staging's in 222222222222 us-east-1/,
    ],
    [
      'an endpoint name that is not a name',
      endpointEvent({ detail: { EndpointName: 'a/../b' } }),
      /detail.EndpointName/,
    ],
  ])(
    'drops an event with %s, logging one line, reading nothing',
    async (_, payload, reason) => {
      const t = setUp();
      await expect(t.send(payload)).resolves.toBeUndefined();
      expect(t.logger.warn).toHaveBeenCalledTimes(1);
      const [line] = t.logger.warn.mock.calls[0];
      expect(line).toMatch(
        /^Dropped a message on topic sagemaker: not a valid SageMaker event \(/,
      );
      expect(line).toMatch(reason);
      expect(t.deps.sync.syncVersionHint).not.toHaveBeenCalled();
      expect(t.deps.sync.syncEndpointHint).not.toHaveBeenCalled();
      expect(t.deps.invalidateGroup).not.toHaveBeenCalled();
      expect(t.deps.followEndpoint).not.toHaveBeenCalled();
    },
  );

  it('logs one line and throws nothing when SageMaker cannot confirm an event', async () => {
    const t = setUp();
    t.deps.sync.syncVersionHint.mockRejectedValueOnce(
      Object.assign(new Error('ModelPackage does not exist.'), {
        name: 'NotFoundError',
      }),
    );
    await expect(t.send(modelPackageEvent())).resolves.toBeUndefined();
    expect(t.logger.warn).toHaveBeenCalledTimes(1);
    expect(t.logger.warn.mock.calls[0][0]).toMatch(
      /^Dropped SageMaker event c1b7f9e2-.* about arn:aws:sagemaker:us-east-1:111111111111:model-package\/fraud\/3: SageMaker could not confirm it/,
    );
    expect(t.deps.invalidateGroup).not.toHaveBeenCalled();
  });

  it('coalesces hints about one version that arrive while it is read into one more read', async () => {
    const t = setUp();
    let release!: () => void;
    t.deps.sync.syncVersionHint.mockImplementationOnce(
      () => new Promise(resolve => (release = () => resolve(1))),
    );
    const first = t.send(modelPackageEvent());
    const duplicates = Array.from({ length: 5 }, () =>
      t.send(modelPackageEvent()),
    );
    await new Promise(r => setImmediate(r));
    release();
    await Promise.all([first, ...duplicates]);
    expect(t.deps.sync.syncVersionHint).toHaveBeenCalledTimes(2);
  });

  it('drops nothing and reads nothing more for a group no entity names', async () => {
    const t = setUp();
    t.deps.sync.syncVersionHint.mockResolvedValueOnce(undefined);
    await t.send(modelPackageEvent());
    expect(t.deps.invalidateGroup).not.toHaveBeenCalled();
    expect(t.logger.warn).not.toHaveBeenCalled();
  });
});
