import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { ModelVersionSummary } from '@internal/backstage-plugin-sagemaker-common';
import { makeVersion, summaryOf } from '../../__testUtils__/fixtures';
import { ModelVersionCard } from './ModelVersionCard';

const allowed = { allowed: true, loading: false };

function renderCard(version: ModelVersionSummary) {
  return renderInTestApp(
    <ModelVersionCard
      version={version}
      placements={[]}
      permissions={{ approve: allowed, deploy: allowed }}
      selectedForComparison={false}
      canSelectForComparison
      onToggleComparison={jest.fn()}
      onDetails={jest.fn()}
      onApproval={jest.fn()}
      onDeploy={jest.fn()}
    />,
  );
}

const metricNames = () =>
  screen.getAllByRole('term').map(term => term.textContent);

describe('ModelVersionCard', () => {
  it('shows the key metrics first and says which came from the report', async () => {
    await renderCard(
      summaryOf(
        makeVersion('churn-prediction', 12, {
          metrics: { accuracy: 0.9, zeta: 1, recall: 0.81, auc: 0.95 },
          metricSources: { auc: 'both', recall: 'report', accuracy: 'report' },
          keyMetrics: ['recall', 'auc'],
          report: { state: 'ok' },
        }),
      ),
    );
    expect(metricNames()).toEqual([
      'recall (report)',
      'auc (report, metadata)',
      'accuracy (report)',
      'zeta',
    ]);
    expect(screen.getByText('0.81')).toBeInTheDocument();
  });

  it('says the evaluation report could not be read, and why, keeping the metadata metrics', async () => {
    await renderCard(
      summaryOf(
        makeVersion('churn-prediction', 3, {
          metrics: { auc: 0.9 },
          report: {
            state: 'forbidden',
            message:
              'S3 denied s3:GetObject on v3/evaluation.json in bucket training-reports, read with the role of account 111111111111',
          },
        }),
      ),
    );
    expect(
      screen.getByText(
        'Evaluation report: Access to the report denied. S3 denied s3:GetObject on v3/evaluation.json in bucket training-reports, read with the role of account 111111111111',
      ),
    ).toBeInTheDocument();
    expect(metricNames()).toEqual(['auc']);
  });

  it('says when a version has no metrics at all', async () => {
    await renderCard(
      summaryOf(makeVersion('churn-prediction', 1, { metrics: {} })),
    );
    expect(
      screen.getByText(
        'No metrics: no evaluation report and no numeric metadata.',
      ),
    ).toBeInTheDocument();
  });
});
