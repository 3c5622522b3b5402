import {
  EmptyState,
  InfoCard,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  Box,
  Button,
  Grid,
  LinearProgress,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  Deployment,
  ModelEndpoint,
  ModelPackageGroupSummary,
  ModelVersionSummary,
} from '@internal/backstage-plugin-sagemaker-common';
import { useMemo, useState } from 'react';
import { useModelVersionPages } from '../../hooks/useModelVersionPages';
import { useVersionsUrlState } from '../../hooks/useVersionsUrlState';
import { VersionActionPermissions } from '../../hooks/useVersionActionPermissions';
import { placementsOf } from '../../utils/deployability';
import { errorMessage } from '../../utils/errors';
import { approvalStatusPhrase } from '../../utils/labels';
import { MAX_COMPARED, matchesSearch } from '../../utils/versions';
import { ApprovalDialog } from '../ApprovalDialog';
import { DeployDialog } from '../DeployDialog';
import { LifecycleDialog } from '../LifecycleDialog';
import { LoadingVersions } from '../LoadingVersions';
import { MetricChart } from '../MetricChart';
import { ModelVersionCard } from '../ModelVersionCard';
import { ModelVersionDrawer } from '../ModelVersionDrawer';
import { ModelVersionsTable } from '../ModelVersionsTable';
import { VersionComparisonDialog } from '../VersionComparisonDialog';
import { VersionsToolbar } from '../VersionsToolbar';

/**
 * Props of {@link ModelVersionsPanel}.
 */
export interface ModelVersionsPanelProps {
  group: ModelPackageGroupSummary;
  /** The endpoints serving the entity: where each version runs. */
  endpoints: ModelEndpoint[];
  permissions: VersionActionPermissions;
  /** Called after an approval or rejection was recorded. */
  onApprovalChanged?: () => void;
  onDeploymentStarted?: (deployment: Deployment) => void;
  onDeploymentFinished?: (deployment: Deployment) => void;
  /** Called when the backend refused an approval or a deploy. */
  onRefused?: () => void;
  pollIntervalMs?: number;
}

type OpenDialog =
  | {
      kind: 'approval';
      version: ModelVersionSummary;
      decision: 'Approved' | 'Rejected';
    }
  | { kind: 'deploy'; version: ModelVersionSummary }
  | { kind: 'lifecycle'; version: ModelVersionSummary }
  | { kind: 'compare' };

/**
 * The versions of one group as cards or a dense table, with filter, order,
 * search, paging, details, comparison, approval and deployment, and a
 * metric chart.
 */
export const ModelVersionsPanel = ({
  group,
  endpoints,
  permissions,
  onApprovalChanged,
  onDeploymentStarted,
  onDeploymentFinished,
  onRefused,
  pollIntervalMs,
}: ModelVersionsPanelProps) => {
  const {
    status,
    setStatus,
    stage,
    setStage,
    order,
    setOrder,
    search,
    setSearch,
    open,
    setOpen,
    compare,
    setCompare,
    view,
    setView,
    sort: tableSort,
    setSort: setTableSort,
  } = useVersionsUrlState();
  const [dialog, setDialog] = useState<OpenDialog>();
  const [sort, direction] = order.split(':') as [
    'createdAt' | 'name',
    'asc' | 'desc',
  ];
  const pages = useModelVersionPages({
    groupArn: group.groupArn,
    status,
    sort,
    order: direction,
  });
  const { versions } = pages;
  const shown = useMemo(
    () =>
      versions.filter(
        version =>
          matchesSearch(version, search) &&
          (!stage || version.modelLifeCycle?.stage === stage),
      ),
    [versions, search, stage],
  );
  const stages = useMemo(
    () =>
      [
        ...new Set(
          versions.flatMap(v =>
            v.modelLifeCycle ? [v.modelLifeCycle.stage] : [],
          ),
        ),
      ].sort(),
    [versions],
  );
  const byNumber = (n?: number) => versions.find(v => v.version === n);
  const selectedVersions = compare
    .map(n => byNumber(n))
    .filter((v): v is ModelVersionSummary => Boolean(v));
  const selected = selectedVersions.map(v => v.version);
  const canSelectMore = selected.length < MAX_COMPARED;
  const total = status ? group.counts[status] : group.total;

  const toggleComparison = (version: ModelVersionSummary) =>
    setCompare(
      compare.includes(version.version)
        ? compare.filter(n => n !== version.version)
        : [...compare, version.version].slice(-MAX_COMPARED),
    );
  const openApproval = (
    version: ModelVersionSummary,
    decision: 'Approved' | 'Rejected',
  ) => setDialog({ kind: 'approval', version, decision });
  const openDeploy = (version: ModelVersionSummary) =>
    setDialog({ kind: 'deploy', version });
  // What a version offers, the same in a card and in a table row.
  const actions = {
    permissions,
    onToggleComparison: toggleComparison,
    onDetails: (version: ModelVersionSummary) => setOpen(version.version),
    onApproval: openApproval,
    onDeploy: openDeploy,
    onLifecycle: (version: ModelVersionSummary) =>
      setDialog({ kind: 'lifecycle', version }),
  };

  let body: JSX.Element;
  if (pages.error) {
    body = (
      <Box>
        <ResponseErrorPanel error={pages.error} />
        <Button color="primary" onClick={pages.retry}>
          Retry
        </Button>
      </Box>
    );
  } else if (pages.loading && versions.length === 0) {
    body = (
      <LoadingVersions
        message={`Loading the versions of ${group.groupName}…`}
      />
    );
  } else if (versions.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title={status ? 'No matching versions' : 'No versions yet'}
        description={
          status
            ? `No version of ${group.groupName} is ${approvalStatusPhrase(
                status,
              )}.`
            : `No versions are registered in ${group.groupName} yet.`
        }
      />
    );
  } else {
    body = (
      <>
        {pages.loading && <LinearProgress aria-label="Reloading versions" />}
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {search.trim() || stage
            ? `${shown.length} of ${versions.length} loaded versions match${
                search.trim() ? ` “${search.trim()}”` : ''
              }${stage ? ` in stage ${stage}` : ''}.`
            : `Showing ${versions.length} of ${total} versions.`}
        </Typography>
        {view === 'table' ? (
          <ModelVersionsTable
            {...actions}
            versions={shown}
            endpoints={endpoints}
            sort={tableSort}
            onSortChange={setTableSort}
            selected={selected}
            canSelectMore={canSelectMore}
          />
        ) : (
          <Grid container spacing={2}>
            {shown.map(version => (
              <Grid item xs={12} md={6} xl={4} key={version.arn}>
                <ModelVersionCard
                  {...actions}
                  version={version}
                  placements={placementsOf(version.arn, endpoints)}
                  selectedForComparison={selected.includes(version.version)}
                  canSelectForComparison={canSelectMore}
                />
              </Grid>
            ))}
          </Grid>
        )}
        {pages.loadMoreError && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            Could not load more versions: {errorMessage(pages.loadMoreError)}
          </Alert>
        )}
        {pages.hasMore && (
          <Box display="flex" justifyContent="center" marginTop={2}>
            <Button
              variant="outlined"
              color="primary"
              onClick={() => pages.loadMore()}
              disabled={pages.loadingMore}
            >
              {pages.loadingMore ? 'Loading…' : 'Load more versions'}
            </Button>
          </Box>
        )}
      </>
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title={`Versions of ${group.groupName}`}>
          <VersionsToolbar
            status={status}
            onStatusChange={setStatus}
            stage={stage}
            stages={stages}
            onStageChange={setStage}
            order={order}
            onOrderChange={setOrder}
            search={search}
            onSearchChange={setSearch}
            view={view}
            onViewChange={setView}
            selectedCount={selectedVersions.length}
            onCompare={() => setDialog({ kind: 'compare' })}
            onClearSelection={() => setCompare([])}
          />
          {body}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <MetricChart versions={versions} onSelect={v => setOpen(v.version)} />
      </Grid>
      <ModelVersionDrawer
        version={open}
        groupArn={group.groupArn}
        groupName={group.groupName}
        approvalStatus={byNumber(open)?.approvalStatus}
        onClose={() => setOpen(undefined)}
      />
      {dialog?.kind === 'approval' && (
        <ApprovalDialog
          version={dialog.version}
          groupArn={group.groupArn}
          initialDecision={dialog.decision}
          onClose={() => setDialog(undefined)}
          onRefused={onRefused}
          onDone={response => {
            pages.updateVersion(response.version);
            setDialog(undefined);
            onApprovalChanged?.();
          }}
        />
      )}
      {dialog?.kind === 'lifecycle' && (
        <LifecycleDialog
          version={dialog.version}
          groupArn={group.groupArn}
          onClose={() => setDialog(undefined)}
          onRefused={onRefused}
          onDone={response => {
            pages.updateVersion(response.version);
            setDialog(undefined);
            onApprovalChanged?.();
          }}
        />
      )}
      {dialog?.kind === 'deploy' && (
        <DeployDialog
          version={dialog.version}
          groupArn={group.groupArn}
          endpoints={endpoints}
          onClose={() => setDialog(undefined)}
          onStarted={onDeploymentStarted}
          onFinished={onDeploymentFinished}
          onRefused={onRefused}
          pollIntervalMs={pollIntervalMs}
        />
      )}
      {dialog?.kind === 'compare' && selectedVersions.length >= 2 && (
        <VersionComparisonDialog
          versions={selectedVersions}
          groupArn={group.groupArn}
          onClose={() => setDialog(undefined)}
        />
      )}
    </Grid>
  );
};
