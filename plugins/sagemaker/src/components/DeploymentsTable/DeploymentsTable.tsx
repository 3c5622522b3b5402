import {
  StatusError,
  StatusOK,
  StatusRunning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import { Deployment } from '@internal/backstage-plugin-sagemaker-common';
import { useEntityDeployments } from '../../hooks/useEntityDeployments';
import { formatDateTime } from '../../utils/labels';
import { ErrorCard } from '../ErrorCard';

const PHASE_LABELS: Record<Deployment['phase'], string> = {
  model: 'creating the model',
  'endpoint-config': 'creating the endpoint config',
  endpoint: 'calling the endpoint',
  waiting: 'waiting for the endpoint',
  done: 'done',
};

const DeploymentStatus = ({ deployment }: { deployment: Deployment }) => {
  if (deployment.status === 'succeeded') {
    return <StatusOK>Succeeded</StatusOK>;
  }
  if (deployment.status === 'failed') {
    return (
      <>
        <StatusError>Failed</StatusError>
        {deployment.error && (
          <Typography variant="caption" display="block" color="error">
            {deployment.error.code}: {deployment.error.message}
          </Typography>
        )}
      </>
    );
  }
  return (
    <StatusRunning>
      In progress: {PHASE_LABELS[deployment.phase]}
      {deployment.endpointStatus ? ` (${deployment.endpointStatus})` : ''}
    </StatusRunning>
  );
};

const columns: TableColumn<Deployment>[] = [
  {
    title: 'Requested',
    field: 'createdAt',
    render: row => formatDateTime(row.createdAt),
  },
  { title: 'Version', field: 'version' },
  { title: 'Target', field: 'target' },
  { title: 'Endpoint', field: 'endpointName' },
  {
    title: 'Instances',
    render: row => `${row.instanceCount} × ${row.instanceType}`,
  },
  { title: 'Status', render: row => <DeploymentStatus deployment={row} /> },
  { title: 'Requested by', field: 'requestedBy' },
];

/**
 * Props of {@link DeploymentsTable}.
 */
export interface DeploymentsTableProps {
  /** Changes when a deployment was started here, to reload. */
  refreshKey?: number;
  pollIntervalMs?: number;
}

/**
 * The entity's recent deployments, newest first, followed live while any is
 * in progress.
 */
export const DeploymentsTable = ({
  refreshKey,
  pollIntervalMs,
}: DeploymentsTableProps) => {
  const { value, loading, error, retry } = useEntityDeployments(
    refreshKey,
    pollIntervalMs,
  );
  if (error) {
    return <ErrorCard title="Deployments" error={error} onRetry={retry} />;
  }
  return (
    <Table<Deployment>
      title="Deployments"
      isLoading={loading && !value}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={value?.deployments ?? []}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          No version of this entity was deployed from Backstage yet.
        </Typography>
      }
    />
  );
};
