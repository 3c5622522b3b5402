import { parseModelCard } from './modelCard';

describe('parseModelCard', () => {
  it('is undefined for a version without a model card', () => {
    expect(parseModelCard(undefined)).toBeUndefined();
    expect(parseModelCard({})).toBeUndefined();
  });

  it('reads intended uses, risk rating, training and evaluation details', () => {
    const card = parseModelCard({
      status: 'PendingReview',
      content: JSON.stringify({
        intended_uses: {
          purpose_of_model: 'Score card transactions for fraud',
          intended_uses: 'Real-time scoring before authorisation',
          risk_rating: 'High',
          explanations_for_risk_rating: 'Blocks payments',
        },
        business_details: { line_of_business: 'Payments' },
        training_details: {
          objective_function: {
            function: { function: 'Minimize', facet: 'Loss' },
          },
          training_job_details: {
            training_arn:
              'arn:aws:sagemaker:us-east-1:111111111111:training-job/fraud-7',
            training_datasets: ['s3://data/train.csv'],
            hyper_parameters: [{ name: 'max_depth', value: '6' }],
          },
        },
        evaluation_details: [
          {
            name: 'Holdout 2026-10',
            evaluation_observation: 'Stable across regions',
            metric_groups: [
              {
                name: 'binary',
                metric_data: [{ name: 'auc', type: 'number', value: 0.95 }],
              },
            ],
          },
        ],
      }),
    });
    expect(card?.status).toBe('PendingReview');
    expect(card?.riskRating).toBe('High');
    expect(card?.sections).toEqual([
      {
        title: 'Intended uses',
        fields: [
          ['Purpose', 'Score card transactions for fraud'],
          ['Intended uses', 'Real-time scoring before authorisation'],
          ['Risk rating', 'High'],
          ['Why this risk rating', 'Blocks payments'],
        ],
      },
      { title: 'Business details', fields: [['Line of business', 'Payments']] },
      {
        title: 'Training',
        fields: [
          ['Objective', 'Minimize Loss'],
          [
            'Training job',
            'arn:aws:sagemaker:us-east-1:111111111111:training-job/fraud-7',
          ],
          ['Training datasets', 's3://data/train.csv'],
          ['Hyperparameters', 'max_depth = 6'],
        ],
      },
    ]);
    expect(card?.evaluations).toEqual([
      {
        name: 'Holdout 2026-10',
        fields: [['Observations', 'Stable across regions']],
        metrics: [{ group: 'binary', name: 'auc', value: '0.95' }],
      },
    ]);
  });

  it('says so when the content is not JSON, keeping the status', () => {
    expect(parseModelCard({ status: 'Draft', content: '{nope' })).toEqual({
      status: 'Draft',
      sections: [],
      evaluations: [],
      unreadable: 'The model card content is not valid JSON.',
    });
  });
});
