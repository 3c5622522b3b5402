import {
  Checkbox,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TableSortLabel,
  Typography,
  makeStyles,
} from '@material-ui/core';
import {
  ModelEndpoint,
  ModelVersionSummary,
} from '@internal/backstage-plugin-sagemaker-common';
import { useMemo } from 'react';
import { VersionActionPermissions } from '../../hooks/useVersionActionPermissions';
import { placementsOf } from '../../utils/deployability';
import { formatDateTime, formatMetric } from '../../utils/labels';
import {
  VersionSort,
  VersionSortKey,
  sortVersions,
  sortedMetric,
} from '../../utils/versionSort';
import { compareMetricNames, metricNames } from '../../utils/versions';
import { ApprovalStatus } from '../ApprovalStatus';
import { LifecycleStage } from '../LifecycleStage';
import { ScrollRegion, fromControl } from '../DataTable';
import { VersionActions } from '../VersionActions';

/** How many metric columns the table shows besides a sorted one. */
const METRIC_COLUMNS = 5;

const useStyles = makeStyles(theme => ({
  row: { cursor: 'pointer' },
  // Short values never wrap: a narrow window scrolls the table instead.
  short: { whiteSpace: 'nowrap' },
  number: { whiteSpace: 'nowrap', textAlign: 'right' },
  placements: { whiteSpace: 'nowrap', lineHeight: 1.6 },
  actions: { whiteSpace: 'nowrap', padding: theme.spacing(0, 1) },
}));

/**
 * Props of {@link ModelVersionsTable}.
 */
export interface ModelVersionsTableProps {
  versions: ModelVersionSummary[];
  endpoints: ModelEndpoint[];
  permissions: VersionActionPermissions;
  sort?: VersionSort;
  onSortChange: (sort: VersionSort) => void;
  selected: number[];
  /** False when the most versions that can be compared are selected. */
  canSelectMore: boolean;
  onToggleComparison: (version: ModelVersionSummary) => void;
  onDetails: (version: ModelVersionSummary) => void;
  onApproval: (
    version: ModelVersionSummary,
    decision: 'Approved' | 'Rejected',
  ) => void;
  onDeploy: (version: ModelVersionSummary) => void;
  /** Opens the lifecycle stage dialog; without it there is no Stage button. */
  onLifecycle?: (version: ModelVersionSummary) => void;
}

const flipped = { asc: 'desc', desc: 'asc' } as const;

/**
 * The loaded versions as a dense table: one row each, with status, creation,
 * where it runs and its key metrics, every column sortable (a metric too).
 * A row opens the version's details.
 */
export const ModelVersionsTable = ({
  versions,
  endpoints,
  permissions,
  sort,
  onSortChange,
  selected,
  canSelectMore,
  onToggleComparison,
  onDetails,
  onApproval,
  onDeploy,
  onLifecycle,
}: ModelVersionsTableProps) => {
  const classes = useStyles();
  const metrics = useMemo(() => {
    const names = metricNames(versions)
      .sort(compareMetricNames)
      .slice(0, METRIC_COLUMNS);
    const sorted = sort && sortedMetric(sort.key);
    return sorted && !names.includes(sorted) ? [...names, sorted] : names;
  }, [versions, sort]);
  const rows = useMemo(() => sortVersions(versions, sort), [versions, sort]);

  const header = (key: VersionSortKey, label: string, numeric = false) => {
    const active = sort?.key === key;
    // A first click sorts numbers highest first, text from A.
    const initial = numeric ? 'desc' : 'asc';
    const direction = active ? sort.direction : initial;
    return (
      <TableCell
        key={key}
        className={numeric ? classes.number : classes.short}
        sortDirection={active ? direction : false}
      >
        <TableSortLabel
          active={active}
          direction={direction}
          onClick={() =>
            onSortChange({
              key,
              direction: active ? flipped[direction] : initial,
            })
          }
        >
          {label}
        </TableSortLabel>
      </TableCell>
    );
  };

  return (
    <ScrollRegion label="Versions table">
      <Table size="small" aria-label="Versions">
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox" className={classes.short}>
              <Typography variant="srOnly">Compare</Typography>
            </TableCell>
            {header('version', 'Version', true)}
            {header('status', 'Status')}
            {header('created', 'Created')}
            <TableCell className={classes.short}>Deployed to</TableCell>
            {metrics.map(name => header(`metric:${name}`, name, true))}
            <TableCell className={classes.short}>Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(version => {
            const isSelected = selected.includes(version.version);
            return (
              <TableRow
                key={version.arn}
                hover
                selected={isSelected}
                className={classes.row}
                onClick={event => {
                  if (!fromControl(event)) {
                    onDetails(version);
                  }
                }}
              >
                <TableCell padding="checkbox">
                  <Checkbox
                    size="small"
                    inputProps={{
                      'aria-label': `Compare version ${version.version}`,
                    }}
                    checked={isSelected}
                    disabled={!isSelected && !canSelectMore}
                    onChange={() => onToggleComparison(version)}
                  />
                </TableCell>
                <TableCell className={classes.number}>
                  <Link
                    component="button"
                    variant="body2"
                    aria-label={`Details of version ${version.version}`}
                    onClick={() => onDetails(version)}
                  >
                    {version.version}
                  </Link>
                </TableCell>
                <TableCell className={classes.short}>
                  <ApprovalStatus status={version.approvalStatus} />
                  <LifecycleStage lifecycle={version.modelLifeCycle} />
                </TableCell>
                <TableCell
                  className={classes.short}
                  title={version.createdBy && `by ${version.createdBy}`}
                >
                  {formatDateTime(version.createdAt)}
                </TableCell>
                <TableCell className={classes.placements}>
                  {placementsOf(version.arn, endpoints).map(placement => (
                    <div
                      key={`${placement.endpoint.endpointArn}/${placement.variantName}`}
                      title={placement.endpoint.endpointName}
                    >
                      {placement.endpoint.target}: {placement.endpoint.status}
                    </div>
                  ))}
                </TableCell>
                {metrics.map(name => (
                  <TableCell key={name} className={classes.number}>
                    {name in version.metrics
                      ? formatMetric(version.metrics[name])
                      : '—'}
                  </TableCell>
                ))}
                <TableCell className={classes.actions}>
                  <VersionActions
                    version={version}
                    permissions={permissions}
                    onApproval={onApproval}
                    onDeploy={onDeploy}
                    onLifecycle={onLifecycle}
                  />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </ScrollRegion>
  );
};
