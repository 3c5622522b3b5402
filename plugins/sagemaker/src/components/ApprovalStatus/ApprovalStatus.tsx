import {
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { ModelApprovalStatus } from '@internal/backstage-plugin-sagemaker-common';
import { APPROVAL_STATUS_LABELS } from '../../utils/labels';

/**
 * Shows a version's approval status with the matching status colour.
 */
export const ApprovalStatus = ({ status }: { status: ModelApprovalStatus }) => {
  const label = APPROVAL_STATUS_LABELS[status] ?? status;
  switch (status) {
    case 'Approved':
      return <StatusOK>{label}</StatusOK>;
    case 'Rejected':
      return <StatusError>{label}</StatusError>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
};
