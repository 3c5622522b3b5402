import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';

/**
 * Shows a SageMaker endpoint status (InService, Creating, Failed, …) with the
 * matching status colour.
 */
export const EndpointStatus = ({ status }: { status: string }) => {
  switch (status) {
    case 'InService':
      return <StatusOK>{status}</StatusOK>;
    case 'Failed':
      return <StatusError>{status}</StatusError>;
    case 'Creating':
    case 'Updating':
    case 'SystemUpdating':
      return <StatusRunning>{status}</StatusRunning>;
    case 'OutOfService':
    case 'RollingBack':
    case 'Deleting':
    case 'UpdateRollbackFailed':
      return <StatusWarning>{status}</StatusWarning>;
    default:
      return <StatusPending>{status}</StatusPending>;
  }
};
