import { MODEL_APPROVAL_STATUSES, ModelApprovalStatus } from './types';

/**
 * How a version registered outside Backstage reads in its `register` history
 * event's comment, e.g. `Registered outside Backstage with status
 * PendingManualApproval`. The one format the events, the sync and the
 * notifications write and read.
 *
 * @public
 */
export function registrationComment(status: ModelApprovalStatus): string {
  return `Registered outside Backstage with status ${status}`;
}

const COMMENT = /^Registered outside Backstage with status ([A-Za-z]+)$/;

/**
 * The approval status a `register` event's comment names, if it has the
 * format of {@link registrationComment}.
 *
 * @public
 */
export function parseRegistrationComment(
  comment: string | undefined,
): ModelApprovalStatus | undefined {
  const status = comment ? COMMENT.exec(comment)?.[1] : undefined;
  return MODEL_APPROVAL_STATUSES.find(s => s === status);
}
