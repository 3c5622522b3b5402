import { ModelVersionDetails } from '@internal/backstage-plugin-sagemaker-common';
import { compareVersions } from './versionActions';
import { toEntity } from './actionInputs';

const version = (
  v: number,
  fields: Partial<ModelVersionDetails> = {},
): ModelVersionDetails => ({
  arn: `arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud/${v}`,
  groupArn:
    'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud',
  groupName: 'fraud',
  accountId: '111111111111',
  region: 'us-east-1',
  version: v,
  approvalStatus: 'Approved',
  createdAt: '2026-11-01T00:00:00.000Z',
  metrics: {},
  images: ['img:1'],
  realtimeInstanceTypes: ['ml.m5.large'],
  containers: [{ image: 'img:1' }],
  supportedContentTypes: ['text/csv'],
  supportedResponseMimeTypes: ['text/csv'],
  transformInstanceTypes: [],
  metricsReports: [],
  customerMetadata: {},
  lineage: { sourceAlgorithms: [], driftCheckBaselines: [], links: [] },
  ...fields,
});

describe('compareVersions', () => {
  it('puts every metric of either side by side, with the change from a to b', () => {
    const { metrics } = compareVersions(
      version(3, { metrics: { auc: 0.91, accuracy: 0.803 } }),
      version(6, { metrics: { accuracy: 0.806, f1: 0.7 } }),
    );
    expect(metrics).toEqual([
      { name: 'accuracy', a: 0.803, b: 0.806, delta: 0.003 },
      { name: 'auc', a: 0.91, b: null, delta: null },
      { name: 'f1', a: null, b: 0.7, delta: null },
    ]);
  });

  it('lists only the fields that differ, nested ones compared by value', () => {
    const { differences } = compareVersions(
      version(3, {
        approvalStatus: 'Approved',
        customerMetadata: { team: 'fraud' },
        modelLifeCycle: { stage: 'Staging', stageStatus: 'Approved' },
      }),
      version(6, {
        approvalStatus: 'PendingManualApproval',
        customerMetadata: { team: 'fraud' },
        images: ['img:2'],
      }),
    );
    expect(differences).toEqual([
      { field: 'approvalStatus', a: 'Approved', b: 'PendingManualApproval' },
      { field: 'images', a: ['img:1'], b: ['img:2'] },
      {
        field: 'modelLifeCycle',
        a: { stage: 'Staging', stageStatus: 'Approved' },
        b: null,
      },
    ]);
  });

  it('finds no difference between a version and itself', () => {
    expect(compareVersions(version(3), version(3))).toEqual({
      metrics: [],
      differences: [],
    });
  });
});

describe('toEntity', () => {
  it('reads full refs and the catalog defaults', () => {
    expect(toEntity('component:default/fraud')).toEqual({
      kind: 'component',
      namespace: 'default',
      name: 'fraud',
    });
    expect(toEntity(' fraud ')).toEqual({
      kind: 'component',
      namespace: 'default',
      name: 'fraud',
    });
    expect(toEntity('resource:ml/churn')).toEqual({
      kind: 'resource',
      namespace: 'ml',
      name: 'churn',
    });
  });

  it('refuses what is not an entity ref, naming the field', () => {
    for (const bad of ['', 'a:b:c/d', 'component:default/no such', '../x']) {
      expect(() => toEntity(bad)).toThrow(/^entityRef: /);
    }
  });
});
