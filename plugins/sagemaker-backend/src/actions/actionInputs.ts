import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  describeZodError,
  entityPathSchema,
  idempotencyKeySchema,
} from '@internal/backstage-plugin-sagemaker-common';
import type { ActionsRegistryActionOptions } from '@backstage/backend-plugin-api/alpha';
import { z } from 'zod';

/**
 * The zod the actions registry hands to schema builders: action schemas are
 * built with it, not with the plugin's own copy.
 */
export type ActionZod = Parameters<
  ActionsRegistryActionOptions<any, any>['schema']['input']
>[0];

type ZodString = ReturnType<ActionZod['string']>;
type ZodOptionalString = ReturnType<ZodString['optional']>;
type ZodNumber = ReturnType<ActionZod['number']>;

/**
 * A service's answer as an action's output. The registry validates it at
 * runtime against the output schema, whose objects pass unlisted fields
 * through; TypeScript does not match the services' interfaces against those
 * (index-signature) types, so the check is left to the registry.
 */
export function serviceOutput(answer: object): any {
  return answer;
}

/**
 * The input field that names an entity, described for a model: the same
 * entity refs as the catalog, with the catalog's defaults.
 */
export const entityRefField = (zd: ActionZod): ZodString =>
  zd
    .string()
    .min(1)
    .max(512)
    .describe(
      'The catalog entity that names the model package groups, as an entity ref: "component:default/fraud-detection", or just "fraud-detection" (kind Component, namespace default).',
    );

/** An input field that names a version by its number within the group. */
export const versionField = (zd: ActionZod, description: string): ZodNumber =>
  zd.number().int().min(1).describe(description);

/** The optional input field that picks one of the entity's groups. */
export const groupField = (zd: ActionZod): ZodOptionalString =>
  zd
    .string()
    .min(1)
    .max(2048)
    .optional()
    .describe(
      "The model package group's ARN or name; needed only when the entity names several groups.",
    );

/** Turns the action's entity ref into the route's path parameters. */
export function toEntity(entityRef: string): CompoundEntityRef {
  let ref: CompoundEntityRef;
  try {
    ref = parseEntityRef(entityRef.trim(), {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(`entityRef: ${(error as Error).message}`);
  }
  return parseWith(entityPathSchema, ref, 'entityRef');
}

/**
 * Validates with the HTTP routes' own schema, so an action accepts exactly
 * what the route does; a refusal is an InputError naming the field.
 */
export function parseWith<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  prefix?: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const message = describeZodError(result.error);
    throw new InputError(prefix ? `${prefix}: ${message}` : message);
  }
  return result.data;
}

/** The optional idempotency key of a write action's input. */
export const idempotencyKeyField = (zd: ActionZod): ZodOptionalString =>
  zd
    .string()
    .optional()
    .describe(
      'A token of 8-128 letters, digits or . _ : - (e.g. a UUID): a retried call with the same key is the same change.',
    );

/** An action's idempotency key, validated like the header; may be absent. */
export function idempotencyKeyOf(value: string | undefined) {
  return value === undefined
    ? undefined
    : parseWith(idempotencyKeySchema, value, 'idempotencyKey');
}
