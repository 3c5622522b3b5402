import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { sagemakerPlugin } from './plugin';
import { awsConfig, modelEntity } from './__testUtils__/fixtures';
import { FaultProxy, startFaultProxy } from './__testUtils__/faultProxy';
import {
  LocalEmulator,
  startLocalEmulator,
} from './__testUtils__/localEmulator';
import {
  registerGroup,
  sageMakerInAccount,
} from './__testUtils__/registrySeed';

jest.setTimeout(60_000);

const REGISTRY = '111111111111';

describe('SageMaker throttling, through the real SDK retry logic', () => {
  let emulator: LocalEmulator;
  let proxy: FaultProxy;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await startLocalEmulator();
    proxy = await startFaultProxy(emulator.endpoint);
    await registerGroup(
      await sageMakerInAccount(emulator.endpoint, REGISTRY),
      'fraud-detection',
      5,
    );
    // STS goes straight to the emulator; SageMaker goes through the proxy.
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = proxy.endpoint;
    ({ server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        mockServices.rootConfig.factory({
          data: {
            aws: awsConfig([REGISTRY]),
            sagemaker: {
              cache: { ttl: { seconds: 0 } },
              aws: { maxAttempts: 3 },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            modelEntity(
              'fraud',
              `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package-group/fraud-detection`,
            ),
          ],
        }),
      ],
    }));
  }, 60_000);

  afterAll(async () => {
    process.env = saved;
    await proxy?.stop();
    await emulator?.stop();
  });

  it('passes calls through when nothing is throttled', async () => {
    proxy.setThrottle(() => false);
    const res = await request(server).get(
      '/api/sagemaker/entities/component/default/fraud/versions',
    );
    expect(res.status).toBe(200);
  });

  it('retries a throttled call and succeeds', async () => {
    proxy.setThrottle(call => call % 2 === 1);
    const res = await request(server).get(
      '/api/sagemaker/entities/component/default/fraud/versions',
    );
    expect(res.status).toBe(200);
    expect(res.body.groups[0].versions).toHaveLength(5);
    expect(proxy.stats.faults).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('answers 503 once the retries are spent, naming the account', async () => {
    proxy.setThrottle(() => true);
    const before = proxy.stats.calls;
    const res = await request(server).get(
      '/api/sagemaker/entities/component/default/fraud/versions',
    );
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain(`account ${REGISTRY}`);
    expect(res.body.error.message).toContain('throttling');
    // maxAttempts: 3, for the first call of the page.
    expect(proxy.stats.calls - before).toBe(3);
  }, 30_000);
});
