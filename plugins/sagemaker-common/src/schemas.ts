import { z } from 'zod';
import {
  HISTORY_ACTIONS,
  HISTORY_OUTCOMES,
  HISTORY_SOURCES,
  MODEL_APPROVAL_STATUSES,
} from './types';

/**
 * The limits of a versions page.
 *
 * @public
 */
export const VERSIONS_PAGE_LIMITS = { default: 50, max: 100 } as const;

/**
 * Query parameters of `GET /entities/:kind/:namespace/:name/versions`.
 *
 * @public
 */
export const listVersionsQuerySchema = z
  .object({
    group: z.string().min(1).max(2048).optional(),
    status: z.enum(MODEL_APPROVAL_STATUSES).optional(),
    sort: z.enum(['createdAt', 'name']).default('createdAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(VERSIONS_PAGE_LIMITS.max)
      .default(VERSIONS_PAGE_LIMITS.default),
    cursor: z.string().min(1).max(4096).optional(),
  })
  .strict()
  .refine(query => !query.cursor || query.group, {
    message: 'cursor needs the group it belongs to (the group parameter)',
    path: ['cursor'],
  });

/**
 * Parsed query of the versions route.
 *
 * @public
 */
export type ListVersionsQuery = z.infer<typeof listVersionsQuerySchema>;

/**
 * Path parameters that name an entity.
 *
 * @public
 */
export const entityPathSchema = z.object({
  kind: z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/, 'not a valid kind'),
  namespace: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, 'not a valid namespace'),
  name: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/, 'not a valid entity name'),
});

/**
 * Formats zod issues into one readable sentence that names each field.
 *
 * @public
 */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map(issue => `${issue.path.join('.') || 'request'}: ${issue.message}`)
    .join('; ');
}

/**
 * Query of the routes that address one of an entity's groups, optionally.
 *
 * @public
 */
export const groupQuerySchema = z
  .object({ group: z.string().min(1).max(2048).optional() })
  .strict();

/**
 * Path parameters that name one version of an entity's group.
 *
 * @public
 */
export const versionPathSchema = entityPathSchema.extend({
  version: z.coerce
    .number({ invalid_type_error: 'must be a version number' })
    .int('must be a whole version number')
    .min(1, 'must be 1 or more')
    .max(1_000_000, 'is out of range'),
});

/** Longest comment kept with an approval (SageMaker's ApprovalDescription is 1024). */
export const APPROVAL_COMMENT_MAX = 800;

/**
 * The body of an approval request.
 *
 * @public
 */
export const approvalRequestSchema = z
  .object({
    group: z.string().min(1).max(2048).optional(),
    status: z.enum(['Approved', 'Rejected']),
    comment: z.string().trim().max(APPROVAL_COMMENT_MAX).optional(),
  })
  .strict()
  .refine(body => body.status !== 'Rejected' || !!body.comment, {
    message: 'a comment is required to reject a version',
    path: ['comment'],
  });

/**
 * SageMaker's endpoint name rule: letters, digits and single dashes, 1–63
 * characters, starting and ending with a letter or digit.
 *
 * @public
 */
export const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/**
 * The body of a deploy request. Strict: a body that carries anything else
 * (an execution role, a VPC, a KMS key, an account) is refused.
 *
 * @public
 */
export const deployRequestSchema = z
  .object({
    group: z.string().min(1).max(2048).optional(),
    version: z.number().int().min(1),
    target: z.string().min(1).max(63),
    endpointName: z
      .string()
      .regex(
        ENDPOINT_NAME_PATTERN,
        'must be 1-63 letters, digits or dashes, starting and ending with a letter or digit',
      ),
    /** Required, except on a serverless target, which takes none. */
    instanceType: z.string().min(1).max(64).optional(),
    instanceCount: z.number().int().min(1).optional(),
  })
  .strict();

/**
 * The body of a rollback request. Strict: the version is the server's choice.
 *
 * @public
 */
export const rollbackRequestSchema = z
  .object({
    target: z.string().min(1).max(63),
    endpointName: z
      .string()
      .regex(
        ENDPOINT_NAME_PATTERN,
        'must be 1-63 letters, digits or dashes, starting and ending with a letter or digit',
      ),
  })
  .strict();

/**
 * The `Idempotency-Key` header: a client-chosen token, e.g. a UUID.
 *
 * @public
 */
export const idempotencyKeySchema = z
  .string()
  .regex(
    /^[A-Za-z0-9._:-]{8,128}$/,
    'must be 8-128 letters, digits or . _ : -',
  );

/**
 * A suggested endpoint name for a group and target, e.g.
 * `fraud-detection-staging`.
 *
 * @public
 */
export function defaultEndpointName(groupName: string, target: string): string {
  const suffix = `-${target}`.slice(0, 30);
  return `${groupName.slice(0, 63 - suffix.length)}${suffix}`.replace(
    /-+$/,
    '',
  );
}

const isoDate = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

/** Words people type as they read them ("Deploy", "Staging") match. */
const lowerCase = (value: unknown) =>
  typeof value === 'string' ? value.trim().toLocaleLowerCase('en-US') : value;

const historyFilterObject = z.object({
  entity: z
    .string()
    .trim()
    .regex(
      /^([a-z][a-z0-9-]*:)?([a-z0-9-]+\/)?[a-zA-Z0-9._-]+$/i,
      'must be an entity name or ref, like fraud-detection or component:default/fraud-detection',
    )
    .optional(),
  actor: z.string().trim().min(1).max(512).optional(),
  action: z.preprocess(lowerCase, z.enum(HISTORY_ACTIONS)).optional(),
  outcome: z.preprocess(lowerCase, z.enum(HISTORY_OUTCOMES)).optional(),
  source: z.preprocess(lowerCase, z.enum(HISTORY_SOURCES)).optional(),
  target: z.preprocess(lowerCase, z.string().min(1).max(63)).optional(),
  account: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit account ID')
    .optional(),
  endpoint: z
    .string()
    .regex(ENDPOINT_NAME_PATTERN, 'must be an endpoint name')
    .optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

const fromBeforeTo = (q: { from?: string; to?: string }) =>
  !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to);
const fromBeforeToMessage = {
  message: 'from must be before to',
  path: ['from'],
};

/**
 * The formats of the history export: CSV, a JSON array, and JSON lines.
 *
 * @public
 */
export const HISTORY_EXPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;

/**
 * @public
 */
export type HistoryExportFormat = (typeof HISTORY_EXPORT_FORMATS)[number];

/**
 * Filters of the org-wide history export.
 *
 * @public
 */
export const historyFilterSchema = historyFilterObject
  .extend({ format: z.enum(HISTORY_EXPORT_FORMATS).default('csv') })
  .strict()
  .refine(fromBeforeTo, fromBeforeToMessage);

/**
 * @public
 */
export type HistoryFilterQuery = z.infer<typeof historyFilterObject>;

/**
 * Query of `GET /history`: the filters plus paging.
 *
 * @public
 */
export const historyPageQuerySchema = historyFilterObject
  .extend({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().min(1).max(256).optional(),
  })
  .strict()
  .refine(fromBeforeTo, fromBeforeToMessage);

/**
 * Query of `GET /history/endpoint-at`.
 *
 * @public
 */
export const endpointAtQuerySchema = z
  .object({
    account: z.string().regex(/^\d{12}$/, 'must be a 12-digit account ID'),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region'),
    endpoint: z
      .string()
      .regex(ENDPOINT_NAME_PATTERN, 'must be an endpoint name'),
    at: isoDate,
  })
  .strict();
