import { StatusKind, StatusText } from '../StatusText';

const KINDS: Record<string, StatusKind> = {
  InService: 'ok',
  Failed: 'error',
  Creating: 'running',
  Updating: 'running',
  SystemUpdating: 'running',
  OutOfService: 'warning',
  RollingBack: 'warning',
  Deleting: 'warning',
  UpdateRollbackFailed: 'warning',
};

/**
 * Shows a SageMaker endpoint status (InService, Creating, Failed, …) with the
 * matching status colour.
 */
export const EndpointStatus = ({ status }: { status: string }) => (
  <StatusText kind={KINDS[status] ?? 'pending'}>{status}</StatusText>
);
