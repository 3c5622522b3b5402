import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION } from '@internal/backstage-plugin-sagemaker-common';
import { createServer, Server } from 'node:net';
import request from 'supertest';
import { sagemakerPlugin } from './plugin';

/**
 * The real SDK and the real credentials manager, with STS unreachable: a
 * listener that accepts and immediately closes every connection.
 */
describe('when STS cannot be reached', () => {
  let sts: Server;
  const saved = { ...process.env };

  beforeAll(async () => {
    sts = createServer(socket => socket.destroy());
    await new Promise<void>(done => sts.listen(0, '127.0.0.1', done));
    const { port } = sts.address() as { port: number };
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    process.env = saved;
    await new Promise(done => sts.close(done));
  });

  it('answers 502 naming the account, quickly', async () => {
    const { server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        mockServices.rootConfig.factory({
          data: {
            aws: {
              mainAccount: { accessKeyId: 'a', secretAccessKey: 'b' },
              accounts: [
                {
                  accountId: '111111111111',
                  roleName: 'BackstageSageMakerAccess',
                  region: 'us-east-1',
                },
              ],
            },
            sagemaker: { aws: { requestTimeout: { seconds: 2 } } },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'fraud',
                namespace: 'default',
                annotations: {
                  [SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION]:
                    'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud',
                },
              },
            },
          ],
        }),
      ],
    });
    const started = Date.now();
    const res = await request(server).get(
      '/api/sagemaker/entities/component/default/fraud/versions',
    );
    expect(res.status).toBe(502);
    expect(res.body.error.message).toContain('AWS account 111111111111');
    expect(res.body.error.message).toContain('STS AssumeRole failed');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
