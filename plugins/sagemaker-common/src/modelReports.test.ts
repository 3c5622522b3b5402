import { parseModelReport } from './modelReports';

describe('parseModelReport', () => {
  it('reads binary classification statistics with the confusion matrix and curves', () => {
    const parsed = parseModelReport({
      version: 0.0,
      dataset: { item_count: 2096 },
      binary_classification_metrics: {
        confusion_matrix: {
          '0': { '0': 1180, '1': 510 },
          '1': { '0': 268, '1': 138 },
        },
        recall: { value: 0.34, standard_deviation: 0.0027 },
        auc: { value: 0.93, standard_deviation: 0.0011 },
        receiver_operating_characteristic_curve: {
          false_positive_rates: [0, 0.1, 1],
          true_positive_rates: [0, 0.8, 1],
        },
        precision_recall_curve: {
          precisions: [1, 0.9, 0.5],
          recalls: [0, 0.5, 1],
        },
      },
    });
    expect(parsed).toEqual({
      problemType: 'binary_classification',
      metrics: [
        { name: 'recall', value: 0.34, standardDeviation: 0.0027 },
        { name: 'auc', value: 0.93, standardDeviation: 0.0011 },
      ],
      confusionMatrix: {
        labels: ['0', '1'],
        counts: [
          [1180, 510],
          [268, 138],
        ],
      },
      rocCurve: [
        { x: 0, y: 0 },
        { x: 0.1, y: 0.8 },
        { x: 1, y: 1 },
      ],
      precisionRecallCurve: [
        { x: 0, y: 1 },
        { x: 0.5, y: 0.9 },
        { x: 1, y: 0.5 },
      ],
    });
  });

  it('reads multiclass statistics, filling absent cells of the matrix with 0 and ordering labels numerically', () => {
    const parsed = parseModelReport({
      multiclass_classification_metrics: {
        accuracy: { value: 0.81 },
        weighted_f1: { value: 0.8, standard_deviation: 0.01 },
        confusion_matrix: {
          '10': { '10': 5 },
          '2': { '2': 7, '10': 1 },
        },
      },
    });
    expect(parsed?.problemType).toBe('multiclass_classification');
    expect(parsed?.metrics).toEqual([
      { name: 'accuracy', value: 0.81 },
      { name: 'weighted_f1', value: 0.8, standardDeviation: 0.01 },
    ]);
    expect(parsed?.confusionMatrix).toEqual({
      labels: ['2', '10'],
      counts: [
        [7, 1],
        [0, 5],
      ],
    });
    expect(parsed?.rocCurve).toBeUndefined();
  });

  it('reads regression metrics as the SDK evaluation step writes them, skipping non-numeric values', () => {
    expect(
      parseModelReport({
        regression_metrics: {
          mse: { value: 4.6, standard_deviation: 2.2 },
          rmse: { value: 2.1 },
          r2: { value: '0.7' },
          mae: { value: null },
        },
      }),
    ).toEqual({
      problemType: 'regression',
      metrics: [
        { name: 'mse', value: 4.6, standardDeviation: 2.2 },
        { name: 'rmse', value: 2.1 },
      ],
      confusionMatrix: undefined,
      rocCurve: undefined,
      precisionRecallCurve: undefined,
    });
  });

  it('drops curves whose lists differ in length or hold non-numbers', () => {
    const parsed = parseModelReport({
      binary_classification_metrics: {
        receiver_operating_characteristic_curve: {
          false_positive_rates: [0, 1],
          true_positive_rates: [0],
        },
        precision_recall_curve: { precisions: [1, 'x'], recalls: [0, 1] },
      },
    });
    expect(parsed?.rocCurve).toBeUndefined();
    expect(parsed?.precisionRecallCurve).toBeUndefined();
  });

  it('reads model quality constraints', () => {
    expect(
      parseModelReport({
        version: 0.0,
        binary_classification_constraints: {
          recall: {
            threshold: 0.69,
            comparison_operator: 'GreaterThanThreshold',
          },
        },
      }),
    ).toEqual({
      problemType: 'binary_classification',
      metrics: [],
      constraints: [
        {
          metric: 'recall',
          threshold: 0.69,
          comparisonOperator: 'GreaterThanThreshold',
        },
      ],
    });
  });

  it('reads a Clarify bias report, pre- and post-training', () => {
    const parsed = parseModelReport({
      version: '1.0',
      pre_training_bias_metrics: {
        label: 'fraud',
        facets: {
          age: [
            {
              value_or_threshold: '40',
              metrics: [
                { name: 'CI', description: 'Class Imbalance (CI)', value: 0.1 },
                { name: 'DPL', value: null },
              ],
            },
          ],
        },
      },
      post_training_bias_metrics: {
        facets: {
          age: [
            { value_or_threshold: '40', metrics: [{ name: 'DI', value: 0.9 }] },
          ],
        },
      },
    });
    expect(parsed?.bias).toEqual([
      {
        stage: 'pre-training',
        facet: 'age',
        facetValue: '40',
        name: 'CI',
        description: 'Class Imbalance (CI)',
        value: 0.1,
      },
      {
        stage: 'post-training',
        facet: 'age',
        facetValue: '40',
        name: 'DI',
        description: undefined,
        value: 0.9,
      },
    ]);
  });

  it('reads a Clarify explainability report, largest attribution first', () => {
    expect(
      parseModelReport({
        version: '1.0',
        explanations: {
          kernel_shap: {
            label0: {
              global_shap_values: { amount: 0.2, age: -0.5, hour: 0.01 },
              expected_value: 0.3,
            },
          },
        },
      })?.featureAttributions,
    ).toEqual([
      { feature: 'age', value: -0.5 },
      { feature: 'amount', value: 0.2 },
      { feature: 'hour', value: 0.01 },
    ]);
  });

  it('reads data quality statistics and constraints', () => {
    expect(
      parseModelReport({
        dataset: { item_count: 500 },
        features: [{ name: 'a' }, { name: 'b' }],
      })?.dataset,
    ).toEqual({ itemCount: 500, featureCount: 2 });
    expect(parseModelReport({ features: [{ name: 'a' }] })?.dataset).toEqual({
      itemCount: undefined,
      featureCount: 1,
    });
  });

  it('answers undefined for JSON in no known format', () => {
    expect(parseModelReport({ accuracy: 0.9 })).toBeUndefined();
    expect(parseModelReport([1, 2])).toBeUndefined();
    expect(parseModelReport('text')).toBeUndefined();
    expect(parseModelReport(null)).toBeUndefined();
  });
});
