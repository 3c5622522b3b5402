/**
 * A model package's model card, in the parts an approver reads: the
 * sections of SageMaker's model card JSON schema
 * (`intended_uses`, `business_details`, `training_details`,
 * `evaluation_details`, `additional_information`), flattened to labelled
 * text. `unreadable` says why the content could not be read.
 *
 * @public
 */
export interface ModelCardView {
  /** Draft, PendingReview, Approved or Archived. */
  status?: string;
  riskRating?: string;
  /** Each section's fields as label and text, in the schema's order. */
  sections: Array<{ title: string; fields: Array<[string, string]> }>;
  evaluations: Array<{
    name: string;
    fields: Array<[string, string]>;
    metrics: Array<{ group: string; name: string; value: string }>;
  }>;
  unreadable?: string;
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text for a schema value: strings as they are, lists joined, numbers printed. */
function text(value: Json): string | undefined {
  if (typeof value === 'string') {
    return value.trim() || undefined;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    const parts = value.map(text).filter((v): v is string => !!v);
    return parts.length > 0 ? parts.join(', ') : undefined;
  }
  return undefined;
}

function fields(
  section: Json,
  labels: Array<[string, string]>,
): Array<[string, string]> {
  if (!isObject(section)) {
    return [];
  }
  return labels
    .map(([key, label]) => [label, text(section[key])] as const)
    .filter((row): row is [string, string] => row[1] !== undefined);
}

function trainingFields(training: Json): Array<[string, string]> {
  if (!isObject(training)) {
    return [];
  }
  const objective = isObject(training.objective_function)
    ? training.objective_function
    : {};
  const fn = isObject(objective.function) ? objective.function : {};
  const job = isObject(training.training_job_details)
    ? training.training_job_details
    : {};
  const environment = isObject(job.training_environment)
    ? job.training_environment
    : {};
  const pairs = (list: Json) =>
    Array.isArray(list)
      ? list
          .filter(isObject)
          .map(item => `${text(item.name) ?? '?'} = ${text(item.value) ?? '?'}`)
      : [];
  const rows: Array<[string, string | undefined]> = [
    [
      'Objective',
      text([fn.function, fn.facet, fn.condition].filter(Boolean).join(' ')),
    ],
    ['Objective notes', text(objective.notes)],
    ['Training job', text(job.training_arn)],
    ['Training datasets', text(job.training_datasets)],
    ['Training image', text(environment.container_image)],
    ['Training metrics', text(pairs(job.training_metrics))],
    ['Hyperparameters', text(pairs(job.hyper_parameters))],
    ['Observations', text(training.training_observations)],
  ];
  return rows.filter((row): row is [string, string] => row[1] !== undefined);
}

function evaluations(value: Json): ModelCardView['evaluations'] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.filter(isObject).map((evaluation, index) => ({
    name: text(evaluation.name) ?? `Evaluation ${index + 1}`,
    fields: fields(evaluation, [
      ['evaluation_observation', 'Observations'],
      ['evaluation_job_arn', 'Evaluation job'],
      ['datasets', 'Datasets'],
    ]),
    metrics: (Array.isArray(evaluation.metric_groups)
      ? evaluation.metric_groups
      : []
    )
      .filter(isObject)
      .flatMap(group =>
        (Array.isArray(group.metric_data) ? group.metric_data : [])
          .filter(isObject)
          .map(metric => ({
            group: text(group.name) ?? '',
            name: text(metric.name) ?? '',
            value: text(metric.value) ?? '',
          })),
      ),
  }));
}

/**
 * Reads DescribeModelPackage's `ModelCard` (`ModelCardContent`, a JSON
 * string, and `ModelCardStatus`). Undefined when the version has no card.
 *
 * @public
 */
export function parseModelCard(
  card: { content?: string; status?: string } | undefined,
): ModelCardView | undefined {
  if (!card || (card.content === undefined && card.status === undefined)) {
    return undefined;
  }
  let content: Json = {};
  try {
    content = card.content ? JSON.parse(card.content) : {};
  } catch {
    return {
      status: card.status,
      sections: [],
      evaluations: [],
      unreadable: 'The model card content is not valid JSON.',
    };
  }
  if (!isObject(content)) {
    return {
      status: card.status,
      sections: [],
      evaluations: [],
      unreadable: 'The model card content is not a JSON object.',
    };
  }
  const intended = content.intended_uses;
  const sections = [
    {
      title: 'Intended uses',
      fields: fields(intended, [
        ['purpose_of_model', 'Purpose'],
        ['intended_uses', 'Intended uses'],
        ['factors_affecting_model_efficiency', 'Factors affecting efficiency'],
        ['risk_rating', 'Risk rating'],
        ['explanations_for_risk_rating', 'Why this risk rating'],
      ]),
    },
    {
      title: 'Business details',
      fields: fields(content.business_details, [
        ['business_problem', 'Business problem'],
        ['business_stakeholders', 'Stakeholders'],
        ['line_of_business', 'Line of business'],
      ]),
    },
    { title: 'Training', fields: trainingFields(content.training_details) },
    {
      title: 'Additional information',
      fields: fields(content.additional_information, [
        ['ethical_considerations', 'Ethical considerations'],
        ['caveats_and_recommendations', 'Caveats and recommendations'],
        ['custom_details', 'Custom details'],
      ]),
    },
  ].filter(section => section.fields.length > 0);
  return {
    status: card.status,
    riskRating: isObject(intended) ? text(intended.risk_rating) : undefined,
    sections,
    evaluations: evaluations(content.evaluation_details),
  };
}
