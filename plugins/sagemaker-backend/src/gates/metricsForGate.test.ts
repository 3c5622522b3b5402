import { parseModelPackageGroupArn } from '@internal/backstage-plugin-sagemaker-common';
import { evaluateEvidenceGates } from './evaluateEvidenceGates';
import { metricsForGate } from './metricsForGate';

const group = parseModelPackageGroupArn(
  'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/churn',
)!;
const version = {
  ModelPackageName: 'churn',
  ModelPackageArn:
    'arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/3',
  CreationTime: new Date('2026-11-01T00:00:00Z'),
  ModelPackageStatus: 'Completed' as const,
  ModelPackageStatusDetails: { ValidationStatuses: [] },
  CustomerMetadataProperties: { auc: '0.81', commit: '1e10' },
  $metadata: {},
};
const gates = {
  metrics: [{ metric: 'auc', min: 0.85 }],
  approverNotRegistrant: false,
  deployerNotApprover: false,
};

describe('metricsForGate', () => {
  it('judges by the metadata alone without a report reader', async () => {
    const found = await metricsForGate(group, version);
    expect(found).toEqual({ metrics: { auc: 0.81 } });
    expect(evaluateEvidenceGates(gates, found)[0].found).toBe('auc is 0.81');
  });

  it("judges by the report's metrics, as the cards show them", async () => {
    const reports = {
      versionEvidence: jest.fn(async () => ({
        metrics: { auc: 0.91 },
        metricSources: { auc: 'both' as const },
        report: { state: 'ok' as const },
      })),
    };
    const found = await metricsForGate(group, version, reports);
    expect(reports.versionEvidence).toHaveBeenCalledWith(group, version);
    const [result] = evaluateEvidenceGates(gates, found);
    expect(result).toMatchObject({ passed: true, found: 'auc is 0.91' });
  });

  it('names why a metric is missing when the report could not be read', async () => {
    const reports = {
      versionEvidence: async () => ({
        metrics: {},
        report: {
          state: 'forbidden' as const,
          message:
            'Access denied reading s3://reports/churn/3/evaluation.json in account 111111111111',
        },
      }),
    };
    const [result] = evaluateEvidenceGates(
      gates,
      await metricsForGate(group, version, reports),
    );
    expect(result.passed).toBe(false);
    expect(result.found).toBe(
      'the version has no auc metric (Access denied reading s3://reports/churn/3/evaluation.json in account 111111111111)',
    );
  });
});
