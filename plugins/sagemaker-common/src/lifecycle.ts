import { z } from 'zod';
import { HistoryEvent, ModelLifeCycle, ModelVersionDetails } from './types';

/**
 * The stages of SageMaker's predefined staging-construct template, the
 * default when `sagemaker.lifecycle.stages` is not configured.
 *
 * @public
 */
export const DEFAULT_LIFECYCLE_STAGES = [
  'Proposal',
  'Development',
  'QA',
  'PreProduction',
  'Production',
  'Archived',
] as const;

/**
 * The stage statuses of SageMaker's predefined staging-construct template,
 * the default when `sagemaker.lifecycle.statuses` is not configured.
 *
 * @public
 */
export const DEFAULT_LIFECYCLE_STATUSES = [
  'PendingApproval',
  'InProgress',
  'OnHold',
  'Approved',
  'Rejected',
  'Retired',
] as const;

/**
 * SageMaker's rule for ModelLifeCycle's Stage and StageStatus: letters,
 * digits and single dashes, 1–63 characters.
 *
 * @public
 */
export const LIFECYCLE_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** SageMaker's StageDescription limit. */
export const LIFECYCLE_DESCRIPTION_MAX = 1024;

/**
 * The stages and statuses users may set, as `GET /lifecycle-stages` answers.
 *
 * @public
 */
export interface LifecycleOptionsResponse {
  stages: string[];
  statuses: string[];
}

/**
 * The body of `POST /entities/:kind/:namespace/:name/versions/:version/lifecycle`.
 * The stage and status must be configured ones; the server checks.
 *
 * @public
 */
export const lifecycleRequestSchema = z
  .object({
    group: z.string().min(1).max(2048).optional(),
    stage: z
      .string()
      .regex(LIFECYCLE_NAME_PATTERN, 'must be 1-63 letters, digits or dashes'),
    stageStatus: z
      .string()
      .regex(LIFECYCLE_NAME_PATTERN, 'must be 1-63 letters, digits or dashes'),
    stageDescription: z
      .string()
      .trim()
      .max(800, 'must be at most 800 characters')
      .optional(),
  })
  .strict();

/**
 * @public
 */
export type LifecycleRequest = z.infer<typeof lifecycleRequestSchema>;

/**
 * The response of a lifecycle change: the version as it is now, and the
 * recorded event.
 *
 * @public
 */
export interface LifecycleResponse {
  version: ModelVersionDetails;
  event: HistoryEvent;
}

/**
 * How a lifecycle change reads in a history event's comment, e.g.
 * `Stage Production, status Approved: signed off by QA`. The one format the
 * history, the follow-up task and the sync write and read.
 *
 * @public
 */
export function lifecycleComment(lifecycle: ModelLifeCycle): string {
  const head = `Stage ${lifecycle.stage}, status ${lifecycle.stageStatus}`;
  return lifecycle.stageDescription
    ? `${head}: ${lifecycle.stageDescription}`
    : head;
}

const COMMENT =
  /^Stage ([a-zA-Z0-9-]+), status ([a-zA-Z0-9-]+)(?![a-zA-Z0-9-])/;

/**
 * The stage and status a lifecycle event's comment names, if it has the
 * format of {@link lifecycleComment}.
 *
 * @public
 */
export function parseLifecycleComment(
  comment: string | undefined,
): Pick<ModelLifeCycle, 'stage' | 'stageStatus'> | undefined {
  const match = comment ? COMMENT.exec(comment) : null;
  return match ? { stage: match[1], stageStatus: match[2] } : undefined;
}

/**
 * A version's lifecycle as one short label, e.g. `Production (Approved)`.
 *
 * @public
 */
export function lifecycleLabel(lifecycle: ModelLifeCycle): string {
  return `${lifecycle.stage} (${lifecycle.stageStatus})`;
}
