import { Typography } from '@material-ui/core';
import { Deployment } from '@internal/backstage-plugin-sagemaker-common';
import { DataTable, DataTableColumn } from '../DataTable';
import { useEntityDeployments } from '../../hooks/useEntityDeployments';
import { formatDateTime } from '../../utils/labels';
import { ErrorCard } from '../ErrorCard';
import { EntityLink } from '../EntityLink';
import { SHORT_COLUMN } from '../../utils/tableStyles';
import { StatusText } from '../StatusText';
import { ErrorText } from '../ErrorText';

const PHASE_LABELS: Record<Deployment['phase'], string> = {
  model: 'creating the model',
  'endpoint-config': 'creating the endpoint config',
  endpoint: 'calling the endpoint',
  waiting: 'waiting for the endpoint',
  done: 'done',
};

const DeploymentStatus = ({ deployment }: { deployment: Deployment }) => {
  if (deployment.status === 'succeeded') {
    return <StatusText kind="ok">Succeeded</StatusText>;
  }
  if (deployment.status === 'failed') {
    return (
      <>
        <StatusText kind="error">Failed</StatusText>
        {deployment.error && (
          <ErrorText variant="caption" display="block">
            {deployment.error.code}: {deployment.error.message}
          </ErrorText>
        )}
      </>
    );
  }
  return (
    <StatusText kind="running">
      {`In progress: ${PHASE_LABELS[deployment.phase]}${
        deployment.endpointStatus ? ` (${deployment.endpointStatus})` : ''
      }`}
    </StatusText>
  );
};

const columns: DataTableColumn<Deployment>[] = [
  {
    title: 'Requested',
    field: 'createdAt',
    render: row => formatDateTime(row.createdAt),
    ...SHORT_COLUMN,
  },
  { title: 'Version', field: 'version', ...SHORT_COLUMN },
  { title: 'Target', field: 'target', ...SHORT_COLUMN },
  { title: 'Endpoint', field: 'endpointName', ...SHORT_COLUMN },
  {
    title: 'Instances',
    render: row => `${row.instanceCount} × ${row.instanceType}`,
    ...SHORT_COLUMN,
  },
  {
    title: 'Status',
    render: row => <DeploymentStatus deployment={row} />,
    headerStyle: SHORT_COLUMN.headerStyle,
    cellStyle: { minWidth: '12em' },
  },
  {
    title: 'Requested by',
    field: 'requestedBy',
    render: row => <EntityLink entityRef={row.requestedBy} userOnly />,
    ...SHORT_COLUMN,
  },
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
    <DataTable<Deployment>
      title="Deployments"
      isLoading={loading && !value}
      rowKey={d => d.id}
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
