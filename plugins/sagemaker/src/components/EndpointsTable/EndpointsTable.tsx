import { Typography } from '@material-ui/core';
import {
  ModelEndpoint,
  RollbackOption,
} from '@internal/backstage-plugin-sagemaker-common';
import { ActionPermission } from '../../hooks/useVersionActionPermissions';
import { PermissionedButton } from '../PermissionedButton';
import { DataTable, DataTableColumn } from '../DataTable';
import { formatDateTime } from '../../utils/labels';
import { EndpointStatus } from '../EndpointStatus';
import { ErrorCard } from '../ErrorCard';
import { SHORT_COLUMN } from '../../utils/tableStyles';
import { ErrorText } from '../ErrorText';

const baseColumns: DataTableColumn<ModelEndpoint>[] = [
  {
    title: 'Endpoint',
    field: 'endpointName',
    highlight: true,
    ...SHORT_COLUMN,
  },
  { title: 'Target', field: 'target', ...SHORT_COLUMN },
  {
    title: 'Where',
    render: row => `${row.accountId}, ${row.region}`,
    ...SHORT_COLUMN,
  },
  {
    title: 'Status',
    field: 'status',
    headerStyle: SHORT_COLUMN.headerStyle,
    render: row => (
      <>
        <EndpointStatus status={row.status} />
        {row.failureReason && (
          <ErrorText variant="caption" display="block">
            {row.failureReason}
          </ErrorText>
        )}
      </>
    ),
  },
  {
    title: 'Serves',
    cellStyle: { minWidth: '12em' },
    render: row =>
      row.variants.map(variant => (
        <Typography variant="body2" key={variant.variantName}>
          {variant.version !== undefined
            ? `Version ${variant.version}${
                variant.groupName ? ` of ${variant.groupName}` : ''
              }`
            : variant.modelName}
          {variant.instanceType &&
            ` on ${variant.instanceCount ?? 1} × ${variant.instanceType}`}
        </Typography>
      )),
  },
  {
    title: 'Last modified',
    field: 'lastModifiedAt',
    ...SHORT_COLUMN,
    render: row => formatDateTime(row.lastModifiedAt ?? row.createdAt),
  },
];

/**
 * Props of {@link EndpointsTable}.
 */
export interface EndpointsTableProps {
  endpoints?: ModelEndpoint[];
  loading: boolean;
  error?: Error;
  retry: () => void;
  /**
   * Targets where the search for endpoints made outside Backstage stopped
   * at its bound; named under the title.
   */
  discoveryTruncated?: string[];
  /** What each endpoint can be rolled back to; no column without it. */
  rollbacks?: RollbackOption[];
  /** The user's permission to deploy, which a rollback needs. */
  deployPermission?: ActionPermission;
  onRollback?: (option: RollbackOption) => void;
}

function rollbackColumn(
  rollbacks: RollbackOption[],
  permission: ActionPermission,
  onRollback: (option: RollbackOption) => void,
): DataTableColumn<ModelEndpoint> {
  return {
    title: 'Roll back',
    ...SHORT_COLUMN,
    render: row => {
      const option = rollbacks.find(
        o => o.target === row.target && o.endpointName === row.endpointName,
      );
      return option ? (
        <PermissionedButton
          permission={permission}
          size="small"
          variant="outlined"
          onClick={() => onRollback(option)}
        >
          Roll back to version {option.version}
        </PermissionedButton>
      ) : (
        <Typography variant="caption" color="textSecondary">
          Nothing earlier
        </Typography>
      );
    },
  };
}

/**
 * The endpoints in the deployment targets that serve the entity's versions,
 * with their status and the version each variant serves.
 */
export const EndpointsTable = ({
  endpoints,
  loading,
  error,
  retry,
  discoveryTruncated,
  rollbacks,
  deployPermission,
  onRollback,
}: EndpointsTableProps) => {
  const columns =
    rollbacks && deployPermission && onRollback
      ? [
          ...baseColumns,
          rollbackColumn(rollbacks, deployPermission, onRollback),
        ]
      : baseColumns;
  if (error) {
    return <ErrorCard title="Endpoints" error={error} onRetry={retry} />;
  }
  return (
    <DataTable<ModelEndpoint>
      title="Endpoints"
      subtitle={
        discoveryTruncated?.length
          ? `Endpoints in the deployment targets that serve this entity's versions. Endpoints made outside Backstage in ${discoveryTruncated.join(
              ', ',
            )} were searched only in part: there are more than the plugin reads per refresh.`
          : "Endpoints in the deployment targets that serve this entity's versions"
      }
      isLoading={loading && !endpoints}
      rowKey={e => e.endpointArn}
      columns={columns}
      data={endpoints ?? []}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          No endpoint serves a version of this entity yet.
        </Typography>
      }
    />
  );
};
