import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  ModelReport,
  parseModelCard,
} from '@internal/backstage-plugin-sagemaker-common';
import { LineageView } from './LineageView';
import { ModelCardView } from './ModelCardView';
import { ModelReportView } from './ModelReportView';

const URI = 's3://ml-models-111111111111/churn-prediction/v12/evaluation.json';

const readReport: ModelReport = {
  kind: 'ModelQuality.Statistics',
  s3Uri: URI,
  contentType: 'application/json',
  state: 'ok',
  problemType: 'binary_classification',
  metrics: [
    { name: 'auc', value: 0.9512, standardDeviation: 0.004 },
    { name: 'recall', value: 0.81 },
  ],
  confusionMatrix: {
    labels: ['0', '1'],
    counts: [
      [1327, 73],
      [106, 494],
    ],
  },
  rocCurve: [
    { x: 0, y: 0 },
    { x: 0.1, y: 0.8 },
    { x: 1, y: 1 },
  ],
  precisionRecallCurve: [
    { x: 0, y: 1 },
    { x: 1, y: 0.3 },
  ],
};

describe('ModelReportView', () => {
  it('shows the metrics with standard deviations, the confusion matrix and both curves', async () => {
    await renderInTestApp(<ModelReportView report={readReport} />);
    const metrics = screen.getByRole('table', {
      name: 'ModelQuality.Statistics metrics',
    });
    const auc = within(metrics).getByText('auc').closest('tr')!;
    expect(within(auc).getByText('0.9512')).toBeInTheDocument();
    expect(within(auc).getByText('0.004')).toBeInTheDocument();
    const matrix = screen.getByRole('table', { name: 'Confusion matrix' });
    expect(within(matrix).getByText('1327')).toBeInTheDocument();
    expect(within(matrix).getByText('494')).toBeInTheDocument();
    expect(
      screen.getByText('Confusion matrix (2000 evaluated)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'ROC curve: true positive rate against false positive rate, 3 points',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Precision-recall curve: precision against recall, 2 points',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it.each([
    ['forbidden', 'Access to the report denied'],
    ['missing', 'Report not found'],
    ['malformed', 'Report is not valid JSON'],
    ['unknown-format', 'Report in an unknown format'],
  ] as const)(
    'says why a %s report could not be read',
    async (state, label) => {
      await renderInTestApp(
        <ModelReportView
          report={{
            kind: 'Bias.Report',
            s3Uri: URI,
            state,
            message:
              'in bucket ml-models-111111111111, read with the role of account 111111111111',
          }}
        />,
      );
      expect(screen.getByRole('status')).toHaveTextContent(
        `${label}: in bucket ml-models-111111111111, read with the role of account 111111111111`,
      );
      expect(screen.queryByRole('table')).not.toBeInTheDocument();
    },
  );

  it('shows bias metrics and feature attributions', async () => {
    await renderInTestApp(
      <ModelReportView
        report={{
          kind: 'Explainability.Report',
          s3Uri: URI,
          state: 'ok',
          metrics: [],
          bias: [
            {
              stage: 'post-training',
              facet: 'age',
              facetValue: '40',
              name: 'DI',
              description: 'Disparate Impact (DI)',
              value: 0.91,
            },
          ],
          featureAttributions: [{ feature: 'tenure_months', value: 0.27 }],
        }}
      />,
    );
    const bias = screen.getByRole('table', {
      name: 'Explainability.Report bias metrics',
    });
    expect(within(bias).getByText('Disparate Impact (DI)')).toBeInTheDocument();
    expect(within(bias).getByText('age = 40')).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('table', {
          name: 'Explainability.Report feature attributions',
        }),
      ).getByText('tenure_months'),
    ).toBeInTheDocument();
  });
});

describe('ModelCardView', () => {
  it('shows the status, the risk rating and the intended uses', async () => {
    await renderInTestApp(
      <ModelCardView
        card={parseModelCard({
          status: 'PendingReview',
          content: JSON.stringify({
            intended_uses: {
              intended_uses: 'Retention campaign targeting',
              risk_rating: 'Medium',
            },
          }),
        })}
      />,
    );
    expect(screen.getByText('Card status: PendingReview')).toBeInTheDocument();
    expect(screen.getByText('Risk rating: Medium')).toBeInTheDocument();
    expect(
      screen.getByText('Retention campaign targeting'),
    ).toBeInTheDocument();
  });

  it('says when a version has no model card', async () => {
    await renderInTestApp(<ModelCardView card={undefined} />);
    expect(
      screen.getByText('This version has no model card.'),
    ).toBeInTheDocument();
  });
});

describe('LineageView', () => {
  it('shows the commit and project with console links', async () => {
    await renderInTestApp(
      <LineageView
        lineage={{
          commitId: '4f1c2e9',
          projectId: 'p-churn0001',
          sourceAlgorithms: [],
          driftCheckBaselines: [],
          links: [
            {
              label: 'Training job churn-7 (account 111111111111, us-east-1)',
              url: 'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/jobs/churn-7',
            },
          ],
        }}
      />,
    );
    expect(screen.getByText('4f1c2e9')).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: /Training job churn-7 \(account 111111111111, us-east-1\)/,
      }),
    ).toHaveAttribute(
      'href',
      'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/jobs/churn-7',
    );
  });

  it('says when nothing is recorded', async () => {
    await renderInTestApp(
      <LineageView
        lineage={{ sourceAlgorithms: [], driftCheckBaselines: [], links: [] }}
      />,
    );
    expect(screen.getByText(/No lineage is recorded/)).toBeInTheDocument();
  });
});
