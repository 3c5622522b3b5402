import { Box, Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { HistoryEvent } from '@internal/backstage-plugin-sagemaker-common';
import { DataTable, DataTableColumn } from '../DataTable';
import { useEntityHistory } from '../../hooks/useEntityHistory';
import { errorMessage } from '../../utils/errors';
import {
  HISTORY_ACTION_LABELS,
  HISTORY_OUTCOME_LABELS,
  formatDateTime,
} from '../../utils/labels';
import { ErrorCard } from '../ErrorCard';
import { EntityLink } from '../EntityLink';
import { SHORT_COLUMN } from '../../utils/tableStyles';
import { ErrorText } from '../ErrorText';

const columns: DataTableColumn<HistoryEvent>[] = [
  {
    title: 'When',
    field: 'at',
    render: row => formatDateTime(row.at),
    ...SHORT_COLUMN,
  },
  {
    title: 'Who',
    field: 'actor',
    ...SHORT_COLUMN,
    render: row => (
      <>
        <EntityLink entityRef={row.actor} userOnly />
        {row.source === 'sagemaker' && (
          <Typography variant="caption" display="block">
            outside Backstage
          </Typography>
        )}
        {row.source === 'agent' && (
          <Typography variant="caption" display="block">
            through an agent
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Action',
    field: 'action',
    ...SHORT_COLUMN,
    render: row =>
      `${HISTORY_ACTION_LABELS[row.action] ?? row.action}${
        row.version !== undefined ? `, version ${row.version}` : ''
      }`,
  },
  {
    title: 'Outcome',
    field: 'outcome',
    ...SHORT_COLUMN,
    render: row => HISTORY_OUTCOME_LABELS[row.outcome] ?? row.outcome,
  },
  {
    title: 'Target',
    ...SHORT_COLUMN,
    render: row =>
      [row.target, row.endpointName].filter(Boolean).join(': ') || '',
  },
  {
    title: 'Details',
    cellStyle: { minWidth: '16em' },
    render: row => (
      <>
        {row.comment && <Typography variant="body2">{row.comment}</Typography>}
        {row.awsErrorCode && (
          <ErrorText variant="body2">
            {row.awsErrorCode}: {row.awsErrorMessage}
          </ErrorText>
        )}
        {row.awsRequestId && (
          <Typography variant="caption" display="block">
            AWS request id {row.awsRequestId}
          </Typography>
        )}
      </>
    ),
  },
];

/**
 * Props of {@link HistoryTable}.
 */
export interface HistoryTableProps {
  /** Changes after an action here, to reload from the newest event. */
  refreshKey?: number;
}

/**
 * The entity's approvals, rejections and deployments, newest first, a page
 * at a time.
 */
export const HistoryTable = ({ refreshKey }: HistoryTableProps) => {
  const history = useEntityHistory(refreshKey);
  if (history.error) {
    return (
      <ErrorCard
        title="History"
        error={history.error}
        onRetry={history.retry}
      />
    );
  }
  return (
    <>
      <DataTable<HistoryEvent>
        title="History"
        isLoading={history.loading && history.items.length === 0}
        rowKey={e => e.seq}
        columns={columns}
        data={history.items}
        emptyContent={
          <Typography variant="body2" style={{ padding: 16 }}>
            Nothing has been approved, rejected or deployed yet.
          </Typography>
        }
      />
      {history.loadMoreError && (
        <Alert severity="error">
          Could not load older events: {errorMessage(history.loadMoreError)}
        </Alert>
      )}
      {history.hasMore && (
        <Box display="flex" justifyContent="center" marginTop={2}>
          <Button
            variant="outlined"
            color="primary"
            onClick={() => history.loadMore()}
            disabled={history.loadingMore}
          >
            {history.loadingMore ? 'Loading…' : 'Load older events'}
          </Button>
        </Box>
      )}
    </>
  );
};
