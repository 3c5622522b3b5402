import { Deployment } from '@internal/backstage-plugin-sagemaker-common';
import { rollbackOptions } from './rollbackPlan';

function deployment(
  id: string,
  version: number,
  overrides: Partial<Deployment> = {},
): Deployment {
  return {
    id,
    entityRef: 'component:default/fraud',
    groupArn:
      'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud',
    versionArn: `arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud/${version}`,
    version,
    target: 'production',
    accountId: '333333333333',
    region: 'us-east-1',
    endpointName: 'fraud-production',
    instanceType: 'ml.m5.large',
    instanceCount: 1,
    mode: 'update',
    status: 'succeeded',
    phase: 'done',
    requestedBy: 'user:default/ana',
    createdAt: '2026-11-30T12:00:00.000Z',
    updatedAt: '2026-11-30T12:00:00.000Z',
    ...overrides,
  };
}

describe('rollbackOptions', () => {
  it('restores the version that served before the latest successful deployment', () => {
    expect(
      rollbackOptions([
        deployment('d4', 6, { status: 'failed' }),
        deployment('d3', 6),
        deployment('d2', 6),
        deployment('d1', 3),
        deployment('d0', 2),
      ]),
    ).toEqual([
      expect.objectContaining({
        target: 'production',
        endpointName: 'fraud-production',
        version: 3,
        restores: 'd1',
        undoes: 'd3',
        undoesVersion: 6,
      }),
    ]);
  });

  it('offers nothing for an endpoint that only ever served one version, per endpoint', () => {
    expect(
      rollbackOptions([
        deployment('s2', 6, {
          target: 'staging',
          endpointName: 'fraud-staging',
        }),
        deployment('p2', 6),
        deployment('p1', 6),
        deployment('s1', 3, {
          target: 'staging',
          endpointName: 'fraud-staging',
        }),
      ]).map(o => [o.target, o.version]),
    ).toEqual([['staging', 3]]);
  });
});
