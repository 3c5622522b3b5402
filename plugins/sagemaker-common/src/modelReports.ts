/**
 * How reading one ModelMetrics report from S3 ended:
 * - `ok`: read and understood;
 * - `missing`: no object (or no bucket) at the URI;
 * - `forbidden`: S3 refused the registry account's role;
 * - `malformed`: not JSON;
 * - `unknown-format`: JSON, but none of SageMaker's report formats;
 * - `too-large`: larger than the configured bound, not read;
 * - `unavailable`: S3 did not answer in time, or failed otherwise.
 *
 * @public
 */
export type ModelReportState =
  | 'ok'
  | 'missing'
  | 'forbidden'
  | 'malformed'
  | 'unknown-format'
  | 'too-large'
  | 'unavailable';

/**
 * The problem types of SageMaker's model quality formats.
 *
 * @public
 */
export type ModelProblemType =
  | 'binary_classification'
  | 'multiclass_classification'
  | 'regression';

/**
 * One metric of a model quality report: `value` and, where the report gives
 * it, `standard_deviation`.
 *
 * @public
 */
export interface ReportMetric {
  name: string;
  value: number;
  standardDeviation?: number;
}

/**
 * One constraint of a model quality constraints report.
 *
 * @public
 */
export interface ReportConstraint {
  metric: string;
  threshold: number;
  comparisonOperator: string;
}

/**
 * One bias metric of a SageMaker Clarify report, for one facet value.
 *
 * @public
 */
export interface ReportBiasMetric {
  stage: 'pre-training' | 'post-training';
  facet: string;
  facetValue: string;
  name: string;
  description?: string;
  value: number;
}

/**
 * What a report holds, once understood. Every part is optional: a
 * statistics report has metrics, a constraints report constraints, a bias
 * report bias metrics, an explainability report feature attributions.
 *
 * @public
 */
export interface ParsedModelReport {
  problemType?: ModelProblemType;
  metrics: ReportMetric[];
  /** Counts by actual label (rows) and predicted label (columns). */
  confusionMatrix?: { labels: string[]; counts: number[][] };
  /** Receiver operating characteristic: false against true positive rate. */
  rocCurve?: Array<{ x: number; y: number }>;
  /** Precision against recall. */
  precisionRecallCurve?: Array<{ x: number; y: number }>;
  constraints?: ReportConstraint[];
  bias?: ReportBiasMetric[];
  /** Global feature attributions (SHAP), largest first. */
  featureAttributions?: Array<{ feature: string; value: number }>;
  /** Data quality: the dataset's size and features. */
  dataset?: { itemCount?: number; featureCount?: number };
}

/**
 * One ModelMetrics report of a version, as the backend read it from S3.
 *
 * @public
 */
export interface ModelReport extends Partial<ParsedModelReport> {
  /** Where ModelMetrics names it, e.g. `ModelQuality.Statistics`. */
  kind: string;
  s3Uri: string;
  contentType?: string;
  state: ModelReportState;
  /** For every state but `ok`: what went wrong, naming the bucket and account. */
  message?: string;
  /** The object's ETag when it was read. */
  etag?: string;
}

/**
 * The sensible key metrics of each problem type, for cards, when a group
 * configures none.
 *
 * @public
 */
export const DEFAULT_KEY_METRICS: Record<ModelProblemType, string[]> = {
  binary_classification: ['auc', 'accuracy', 'f1', 'precision', 'recall'],
  multiclass_classification: [
    'accuracy',
    'weighted_f1',
    'weighted_precision',
    'weighted_recall',
  ],
  regression: ['rmse', 'mae', 'r2', 'mse'],
};

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finite(value: Json): number | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

function numbers(value: Json): number[] | undefined {
  if (!Array.isArray(value) || value.some(v => finite(v) === undefined)) {
    return undefined;
  }
  return value as number[];
}

function curve(
  xs: Json,
  ys: Json,
): Array<{ x: number; y: number }> | undefined {
  const x = numbers(xs);
  const y = numbers(ys);
  if (!x || !y || x.length !== y.length || x.length === 0) {
    return undefined;
  }
  return x.map((value, i) => ({ x: value, y: y[i] }));
}

/** `{ "0": { "0": 10, "1": 2 }, "1": {…} }`: actual label → predicted label → count. */
function confusionMatrix(value: Json): ParsedModelReport['confusionMatrix'] {
  if (!isObject(value)) {
    return undefined;
  }
  const labels = new Set<string>();
  for (const [actual, row] of Object.entries(value)) {
    if (!isObject(row)) {
      return undefined;
    }
    labels.add(actual);
    Object.keys(row).forEach(predicted => labels.add(predicted));
  }
  const sorted = [...labels].sort((a, b) =>
    a.localeCompare(b, undefined, { numeric: true }),
  );
  const counts = sorted.map(actual =>
    sorted.map(predicted => {
      const row = value[actual];
      return (isObject(row) ? finite(row[predicted]) : undefined) ?? 0;
    }),
  );
  return sorted.length > 0 ? { labels: sorted, counts } : undefined;
}

const PROBLEM_TYPES: ModelProblemType[] = [
  'binary_classification',
  'multiclass_classification',
  'regression',
];

function parseQuality(
  problemType: ModelProblemType,
  section: Record<string, Json>,
): ParsedModelReport {
  const metrics: ReportMetric[] = [];
  for (const [name, entry] of Object.entries(section)) {
    const value = isObject(entry) ? finite(entry.value) : undefined;
    if (value !== undefined && isObject(entry)) {
      const standardDeviation = finite(entry.standard_deviation);
      metrics.push(
        standardDeviation === undefined
          ? { name, value }
          : { name, value, standardDeviation },
      );
    }
  }
  const roc = isObject(section.receiver_operating_characteristic_curve)
    ? section.receiver_operating_characteristic_curve
    : {};
  const pr = isObject(section.precision_recall_curve)
    ? section.precision_recall_curve
    : {};
  return {
    problemType,
    metrics,
    confusionMatrix: confusionMatrix(section.confusion_matrix),
    rocCurve: curve(roc.false_positive_rates, roc.true_positive_rates),
    precisionRecallCurve: curve(pr.recalls, pr.precisions),
  };
}

function parseConstraints(
  problemType: ModelProblemType,
  section: Record<string, Json>,
): ParsedModelReport {
  const constraints: ReportConstraint[] = [];
  for (const [metric, entry] of Object.entries(section)) {
    const threshold = isObject(entry) ? finite(entry.threshold) : undefined;
    if (threshold !== undefined && isObject(entry)) {
      constraints.push({
        metric,
        threshold,
        comparisonOperator: String(entry.comparison_operator ?? ''),
      });
    }
  }
  return { problemType, metrics: [], constraints };
}

function parseBias(report: Record<string, Json>): ReportBiasMetric[] {
  const bias: ReportBiasMetric[] = [];
  const stages = [
    ['pre_training_bias_metrics', 'pre-training'],
    ['post_training_bias_metrics', 'post-training'],
  ] as const;
  for (const [key, stage] of stages) {
    const section = report[key];
    const facets = isObject(section) ? section.facets : undefined;
    if (!isObject(facets)) {
      continue;
    }
    for (const [facet, values] of Object.entries(facets)) {
      for (const facetValue of Array.isArray(values) ? values : []) {
        if (!isObject(facetValue) || !Array.isArray(facetValue.metrics)) {
          continue;
        }
        for (const metric of facetValue.metrics) {
          const value = isObject(metric) ? finite(metric.value) : undefined;
          if (value !== undefined && isObject(metric)) {
            bias.push({
              stage,
              facet,
              facetValue: String(facetValue.value_or_threshold ?? ''),
              name: String(metric.name ?? ''),
              description:
                typeof metric.description === 'string'
                  ? metric.description
                  : undefined,
              value,
            });
          }
        }
      }
    }
  }
  return bias;
}

/** Clarify's explanations: `kernel_shap.<label>.global_shap_values`. */
function parseExplanations(
  explanations: Record<string, Json>,
): ParsedModelReport['featureAttributions'] {
  const attributions = new Map<string, number>();
  for (const method of Object.values(explanations)) {
    if (!isObject(method)) {
      continue;
    }
    for (const label of Object.values(method)) {
      const values = isObject(label) ? label.global_shap_values : undefined;
      if (!isObject(values)) {
        continue;
      }
      for (const [feature, raw] of Object.entries(values)) {
        const value = finite(raw);
        if (value !== undefined && !attributions.has(feature)) {
          attributions.set(feature, value);
        }
      }
    }
  }
  return [...attributions]
    .map(([feature, value]) => ({ feature, value }))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
}

/**
 * Reads a ModelMetrics report in one of SageMaker's standard JSON formats:
 * model quality statistics (`binary_classification_metrics`,
 * `multiclass_classification_metrics`, `regression_metrics`, as the
 * SageMaker Python SDK's evaluation step and Model Monitor write them) and
 * constraints (`*_constraints`), data quality statistics (`dataset`,
 * `features`), Clarify bias (`pre_training_bias_metrics`,
 * `post_training_bias_metrics`) and explainability (`explanations`).
 * Undefined when the JSON is none of those.
 *
 * @public
 */
export function parseModelReport(json: Json): ParsedModelReport | undefined {
  if (!isObject(json)) {
    return undefined;
  }
  for (const problemType of PROBLEM_TYPES) {
    const statistics = json[`${problemType}_metrics`];
    if (isObject(statistics)) {
      return parseQuality(problemType, statistics);
    }
    const constraints = json[`${problemType}_constraints`];
    if (isObject(constraints)) {
      return parseConstraints(problemType, constraints);
    }
  }
  const bias = parseBias(json);
  if (
    bias.length > 0 ||
    isObject(json.pre_training_bias_metrics) ||
    isObject(json.post_training_bias_metrics)
  ) {
    return { metrics: [], bias };
  }
  if (isObject(json.explanations)) {
    return {
      metrics: [],
      featureAttributions: parseExplanations(json.explanations),
    };
  }
  // Data quality statistics have `dataset` and `features`; its
  // constraints only `features`.
  if (Array.isArray(json.features)) {
    return {
      metrics: [],
      dataset: {
        itemCount: isObject(json.dataset)
          ? finite(json.dataset.item_count)
          : undefined,
        featureCount: json.features.length,
      },
    };
  }
  return undefined;
}

/**
 * The ModelMetrics reports whose metrics a card shows: model quality
 * statistics, as the SDK's pipelines register their evaluation.
 *
 * @public
 */
export const CARD_REPORT_KIND = 'ModelQuality.Statistics';
