import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION } from '@internal/backstage-plugin-sagemaker-common';
import request from 'supertest';
import { sagemakerPlugin } from './plugin';
import {
  LocalEmulator,
  startLocalEmulator,
} from './__testUtils__/localEmulator';
import {
  registerGroup,
  sageMakerInAccount,
} from './__testUtils__/registrySeed';

const REGISTRY = '111111111111';
const STAGING = '222222222222';

function model(name: string, arns: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { [SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION]: arns },
    },
    spec: {
      type: 'service',
      owner: 'group:default/ml',
      lifecycle: 'production',
    },
  };
}

const groupArn = (account: string, name: string) =>
  `arn:aws:sagemaker:us-east-1:${account}:model-package-group/${name}`;

describe('reading versions through STS from the emulated registry account', () => {
  let emulator: LocalEmulator;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  const previousEndpoint = process.env.AWS_ENDPOINT_URL;

  beforeAll(async () => {
    emulator = await startLocalEmulator();
    // The plugin has no emulator-specific code: the SDK's standard variable
    // points every client, STS included, at the emulator.
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;

    await registerGroup(
      await sageMakerInAccount(emulator.endpoint, REGISTRY),
      'fraud-detection',
      7,
    );
    await registerGroup(
      await sageMakerInAccount(emulator.endpoint, STAGING),
      'staging-only',
      2,
    );

    ({ server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        mockServices.rootConfig.factory({
          data: {
            aws: {
              mainAccount: {
                accessKeyId: 'test',
                secretAccessKey: 'test',
                region: 'us-east-1',
              },
              accounts: [REGISTRY, STAGING].map(accountId => ({
                accountId,
                roleName: 'BackstageSageMakerAccess',
                region: 'us-east-1',
              })),
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            model('fraud', groupArn(REGISTRY, 'fraud-detection')),
            model(
              'two-accounts',
              `${groupArn(REGISTRY, 'fraud-detection')},${groupArn(
                STAGING,
                'staging-only',
              )}`,
            ),
            model('unconfigured', groupArn('999999999999', 'elsewhere')),
            model('missing-group', groupArn(REGISTRY, 'never-registered')),
          ],
        }),
      ],
    }));
  }, 60_000);

  afterAll(async () => {
    process.env.AWS_ENDPOINT_URL = previousEndpoint;
    await emulator?.stop();
  });

  it('lists the versions of the group the entity names, newest first, from the registry account', async () => {
    const response = await request(server).get(
      '/api/sagemaker/entities/component/default/fraud/versions',
    );
    expect(response.body.error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.body.entityRef).toBe('component:default/fraud');
    const [group] = response.body.groups;
    expect(group).toMatchObject({
      groupArn: groupArn(REGISTRY, 'fraud-detection'),
      accountId: REGISTRY,
      region: 'us-east-1',
    });
    expect(group.versions.map((v: any) => v.version)).toEqual([
      7, 6, 5, 4, 3, 2, 1,
    ]);
    const v6 = group.versions[1];
    expect(v6.arn).toBe(
      `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package/fraud-detection/6`,
    );
    expect(v6.approvalStatus).toBe('Approved');
    expect(group.versions[0].approvalStatus).toBe('PendingManualApproval');
    expect(v6.description).toBe('fraud-detection v6');
    expect(v6.images).toEqual([
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost-inference:1.7-6',
    ]);
    expect(v6.realtimeInstanceTypes).toEqual(['ml.m5.large']);
  });

  it('pages with a cursor and filters by approval status', async () => {
    const base = '/api/sagemaker/entities/component/default/fraud/versions';
    const group = groupArn(REGISTRY, 'fraud-detection');
    const first = await request(server).get(base).query({ group, limit: 4 });
    expect(first.status).toBe(200);
    expect(first.body.groups[0].versions).toHaveLength(4);
    const cursor = first.body.groups[0].nextCursor;
    expect(cursor).toEqual(expect.any(String));

    const second = await request(server)
      .get(base)
      .query({ group, limit: 4, cursor });
    expect(second.body.groups[0].versions.map((v: any) => v.version)).toEqual([
      3, 2, 1,
    ]);
    expect(second.body.groups[0].nextCursor).toBeUndefined();

    const approved = await request(server)
      .get(base)
      .query({ status: 'Approved' });
    expect(approved.body.groups[0].versions.map((v: any) => v.version)).toEqual(
      [6, 3],
    );
  });

  it('reads groups in two accounts for one entity', async () => {
    const response = await request(server).get(
      '/api/sagemaker/entities/component/default/two-accounts/versions',
    );
    expect(response.status).toBe(200);
    expect(
      response.body.groups.map((g: any) => [g.accountId, g.versions.length]),
    ).toEqual([
      [REGISTRY, 7],
      [STAGING, 2],
    ]);
  });

  it('refuses a group the entity does not name, an unknown entity and an unconfigured account', async () => {
    const foreign = await request(server)
      .get('/api/sagemaker/entities/component/default/fraud/versions')
      .query({ group: groupArn(STAGING, 'staging-only') });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toContain(
      'does not name model package group',
    );

    const unknown = await request(server).get(
      '/api/sagemaker/entities/component/default/nobody/versions',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('component:default/nobody');

    const unconfigured = await request(server).get(
      '/api/sagemaker/entities/component/default/unconfigured/versions',
    );
    expect(unconfigured.status).toBe(400);
    expect(unconfigured.body.error.message).toContain('999999999999');
  });

  it('answers bad query parameters with 400 naming the parameter', async () => {
    const base = '/api/sagemaker/entities/component/default/fraud/versions';
    for (const [query, field] of [
      [{ limit: '0' }, 'limit'],
      [{ limit: '1000' }, 'limit'],
      [{ status: 'Maybe' }, 'status'],
      [{ sort: 'size' }, 'sort'],
      [{ cursor: 'abc' }, 'cursor'],
      [
        { group: groupArn(REGISTRY, 'fraud-detection'), cursor: '!!' },
        'cursor',
      ],
      [{ surprise: '1' }, 'surprise'],
    ] as const) {
      const response = await request(server).get(base).query(query);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain(field);
    }
  });
});
