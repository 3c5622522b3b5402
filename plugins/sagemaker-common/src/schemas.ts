import { z } from 'zod';
import { MODEL_APPROVAL_STATUSES } from './types';

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
