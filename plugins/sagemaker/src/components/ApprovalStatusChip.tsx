import {
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { ModelApprovalStatus } from '@internal/backstage-plugin-sagemaker-common';

const LABELS: Record<ModelApprovalStatus, string> = {
  Approved: 'Approved',
  Rejected: 'Rejected',
  PendingManualApproval: 'Pending approval',
};

/**
 * Shows a version's approval status with the matching status colour.
 *
 * @public
 */
export const ApprovalStatus = ({ status }: { status: ModelApprovalStatus }) => {
  const label = LABELS[status] ?? status;
  switch (status) {
    case 'Approved':
      return <StatusOK>{label}</StatusOK>;
    case 'Rejected':
      return <StatusError>{label}</StatusError>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
};
