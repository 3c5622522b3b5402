import { ModelApprovalStatus } from '@internal/backstage-plugin-sagemaker-common';
import { APPROVAL_STATUS_LABELS } from '../../utils/labels';
import { StatusKind, StatusText } from '../StatusText';

const KINDS: Record<ModelApprovalStatus, StatusKind> = {
  Approved: 'ok',
  Rejected: 'error',
  PendingManualApproval: 'pending',
};

/**
 * Shows a version's approval status with the matching status colour.
 */
export const ApprovalStatus = ({ status }: { status: ModelApprovalStatus }) => (
  <StatusText kind={KINDS[status] ?? 'pending'}>
    {APPROVAL_STATUS_LABELS[status] ?? status}
  </StatusText>
);
