import {
  Content,
  EmptyState,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  CircularProgress,
  Grid,
  LinearProgress,
  Paper,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { sageMakerHistoryReadPermission } from '@internal/backstage-plugin-sagemaker-common';
import { useHistoryFilters } from '../../hooks/useHistoryFilters';
import { useOrgHistory } from '../../hooks/useOrgHistory';
import { errorMessage } from '../../utils/errors';
import { useHistoryFacets } from '../../hooks/useHistoryFacets';
import { hasFilters } from '../../utils/historyFilters';
import { EndpointAtCard } from './EndpointAtCard';
import { HistoryEventsTable } from './HistoryEventsTable';
import { HistoryExportButtons } from './HistoryExportButtons';
import { HistoryFiltersForm } from './HistoryFiltersForm';
import { HistoryVerifyCard } from './HistoryVerifyCard';

const EVENTS_HEADING_ID = 'sagemaker-history-events-heading';

const PermissionDenied = ({ message }: { message?: string }) => (
  <EmptyState
    missing="info"
    title={`You need the ${sageMakerHistoryReadPermission.name} permission`}
    description={
      message ??
      `The organisation-wide history of approvals and deployments is for auditors. Ask your Backstage administrators for the ${sageMakerHistoryReadPermission.name} permission. The history of one model stays on its entity page.`
    }
  />
);

function isForbidden(error: Error | undefined): boolean {
  return (
    error !== undefined &&
    (error instanceof ResponseError || error.name === 'ResponseError') &&
    (error as ResponseError).statusCode === 403
  );
}

function isBadRequest(error: Error | undefined): boolean {
  return (error as ResponseError | undefined)?.statusCode === 400;
}

const HistoryExplorer = () => {
  const { filters, key, apply } = useHistoryFilters();
  const history = useOrgHistory(filters, key);
  const facets = useHistoryFacets();
  const filtered = hasFilters(filters);

  if (isForbidden(history.error)) {
    return <PermissionDenied message={errorMessage(history.error!)} />;
  }

  let events;
  if (history.loading && history.items.length === 0) {
    events = <Progress />;
  } else if (isBadRequest(history.error)) {
    // A link with a filter the history cannot use: retrying cannot help.
    events = (
      <Box padding={2}>
        <Alert severity="warning">
          This link asks for filters the history cannot use:{' '}
          {errorMessage(history.error!)}. Correct them above, or clear them.
        </Alert>
        <Box marginTop={2}>
          <Button variant="outlined" color="primary" onClick={() => apply({})}>
            Show all events
          </Button>
        </Box>
      </Box>
    );
  } else if (history.error) {
    events = (
      <Box padding={2}>
        <ResponseErrorPanel error={history.error} />
        <Box marginTop={2}>
          <Button variant="outlined" color="primary" onClick={history.retry}>
            Retry
          </Button>
        </Box>
      </Box>
    );
  } else if (history.items.length === 0) {
    events = filtered ? (
      <EmptyState
        missing="data"
        title="No events match these filters"
        description="Nothing recorded matches every filter above. Change or clear the filters, or widen the time range."
        action={
          <Button variant="contained" color="primary" onClick={() => apply({})}>
            Show all events
          </Button>
        }
      />
    ) : (
      <EmptyState
        missing="data"
        title="No history yet"
        description="Nothing has been approved, rejected or deployed through Backstage yet, and the sync has found no changes made in SageMaker."
      />
    );
  } else {
    events = (
      <>
        {history.loading && <LinearProgress aria-label="Loading events" />}
        <HistoryEventsTable
          events={history.items}
          labelledBy={EVENTS_HEADING_ID}
        />
        {history.loadMoreError && (
          <Alert severity="error">
            Could not load older events: {errorMessage(history.loadMoreError)}
          </Alert>
        )}
        {history.hasMore && (
          <Box
            display="flex"
            justifyContent="center"
            alignItems="center"
            padding={2}
            style={{ gap: 8 }}
          >
            <Button
              variant="outlined"
              color="primary"
              onClick={() => history.loadMore()}
              disabled={history.loadingMore}
            >
              Load more events
            </Button>
            {history.loadingMore && (
              <CircularProgress size={20} aria-label="Loading more events" />
            )}
          </Box>
        )}
      </>
    );
  }

  const count = history.items.length;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Filters">
          <HistoryFiltersForm
            filters={filters}
            facets={facets}
            onApply={apply}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Paper component="section" aria-labelledby={EVENTS_HEADING_ID}>
          <Box
            display="flex"
            flexWrap="wrap"
            justifyContent="space-between"
            alignItems="flex-start"
            padding={2}
            style={{ gap: 16 }}
          >
            <Box>
              <Typography variant="h5" component="h2" id={EVENTS_HEADING_ID}>
                History events
              </Typography>
              <Typography variant="body2" color="textSecondary" role="status">
                {!history.loading &&
                  !history.error &&
                  count > 0 &&
                  `Showing ${count} ${
                    count === 1 ? 'event' : 'events'
                  }, newest first${
                    history.hasMore ? '; older events are available' : ''
                  }.`}
              </Typography>
            </Box>
            <HistoryExportButtons filters={filters} />
          </Box>
          {events}
        </Paper>
      </Grid>
      <Grid item xs={12} md={6}>
        <HistoryVerifyCard />
      </Grid>
      <Grid item xs={12} md={6}>
        <EndpointAtCard endpoints={facets.endpoints} />
      </Grid>
    </Grid>
  );
};

/**
 * The org-wide history, for users with `sagemaker.history.read`; a clear
 * explanation, and no request, for the others.
 */
export const SageMakerHistoryContent = () => {
  const permission = usePermission({
    permission: sageMakerHistoryReadPermission,
  });
  if (permission.loading) {
    return <Progress />;
  }
  if (permission.error) {
    return (
      <WarningPanel
        severity="error"
        title="Could not check your permissions"
        message={errorMessage(permission.error)}
      />
    );
  }
  if (!permission.allowed) {
    return <PermissionDenied />;
  }
  return <HistoryExplorer />;
};

/**
 * The auditors' page: every approval, rejection and deployment across the
 * organisation, with filters kept in the URL, cursor paging, CSV and JSON
 * export, chain verification and "what served on an endpoint at a time".
 *
 * @public
 */
export const SageMakerHistoryPage = () => (
  <Page themeId="tool">
    <Header
      title="Model history"
      subtitle="Approvals, rejections and deployments of SageMaker model versions across the organisation"
    />
    <Content>
      <SageMakerHistoryContent />
    </Content>
  </Page>
);
