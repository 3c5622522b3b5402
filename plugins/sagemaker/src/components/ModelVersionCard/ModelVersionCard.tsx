import {
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  CardHeader,
  Checkbox,
  Chip,
  FormControlLabel,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { ModelVersionSummary } from '@internal/backstage-plugin-sagemaker-common';
import { VersionActionPermissions } from '../../hooks/useVersionActionPermissions';
import { VersionPlacement } from '../../utils/deployability';
import {
  METRIC_SOURCE_LABELS,
  REPORT_STATE_LABELS,
  formatDateTime,
  formatMetric,
} from '../../utils/labels';
import { keyMetrics } from '../../utils/versions';
import { ApprovalStatus } from '../ApprovalStatus';
import { LifecycleStage } from '../LifecycleStage';
import { VersionActions } from '../VersionActions';

const useStyles = makeStyles(theme => ({
  card: { height: '100%', display: 'flex', flexDirection: 'column' },
  // The status keeps its room; the title and dates wrap beside it.
  headerContent: { minWidth: 0 },
  headerAction: { flexShrink: 0, margin: theme.spacing(0, 0, 0, 1) },
  description: {
    display: '-webkit-box',
    WebkitLineClamp: 3,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  },
  content: { flexGrow: 1, paddingTop: 0 },
  metrics: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(90px, 1fr))',
    gap: theme.spacing(1),
    margin: theme.spacing(1.5, 0),
  },
  placements: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  source: { color: theme.palette.text.secondary },
  reportState: { margin: theme.spacing(1, 0), overflowWrap: 'anywhere' },
  actions: { flexWrap: 'wrap' },
}));

/**
 * Props of {@link ModelVersionCard}.
 */
export interface ModelVersionCardProps {
  version: ModelVersionSummary;
  /** Where the version is deployed. */
  placements: VersionPlacement[];
  permissions: VersionActionPermissions;
  selectedForComparison: boolean;
  /** False when the most versions that can be compared are already selected. */
  canSelectForComparison: boolean;
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

/**
 * One version: status, who registered it when, description, key metrics and
 * where it runs, with its actions.
 */
export const ModelVersionCard = ({
  version,
  placements,
  permissions,
  selectedForComparison,
  canSelectForComparison,
  onToggleComparison,
  onDetails,
  onApproval,
  onDeploy,
  onLifecycle,
}: ModelVersionCardProps) => {
  const classes = useStyles();
  const titleId = `sagemaker-version-${version.groupName}-${version.version}`;
  const metrics = keyMetrics(version);
  const sources = version.metricSources ?? {};
  const report = version.report;
  const created = [
    `Created ${formatDateTime(version.createdAt)}`,
    version.createdBy ? `by ${version.createdBy}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <Card
      variant="outlined"
      component="article"
      aria-labelledby={titleId}
      className={classes.card}
    >
      <CardHeader
        title={`Version ${version.version}`}
        titleTypographyProps={{ id: titleId, variant: 'h6', component: 'h3' }}
        action={<ApprovalStatus status={version.approvalStatus} />}
        classes={{
          content: classes.headerContent,
          action: classes.headerAction,
        }}
      />
      <CardContent className={classes.content}>
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {created}
        </Typography>
        <LifecycleStage lifecycle={version.modelLifeCycle} />
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.description}
          title={version.description}
        >
          {version.description || 'No description'}
        </Typography>
        {metrics.length > 0 && (
          <dl className={classes.metrics}>
            {metrics.map(([name, value]) => (
              <Box
                key={name}
                component="div"
                title={`${name} ${
                  METRIC_SOURCE_LABELS[sources[name] ?? 'metadata']
                }`}
              >
                <Typography variant="caption" component="dt">
                  {name}
                  {sources[name] && sources[name] !== 'metadata' && (
                    <span className={classes.source}>
                      {' '}
                      (
                      {sources[name] === 'both' ? 'report, metadata' : 'report'}
                      )
                    </span>
                  )}
                </Typography>
                <Typography variant="subtitle2" component="dd">
                  {formatMetric(value)}
                </Typography>
              </Box>
            ))}
          </dl>
        )}
        {report && report.state !== 'ok' && (
          <Typography
            variant="caption"
            color="error"
            component="p"
            className={classes.reportState}
          >
            Evaluation report: {REPORT_STATE_LABELS[report.state]}
            {report.message ? `. ${report.message}` : ''}
          </Typography>
        )}
        {metrics.length === 0 && !report && (
          <Typography variant="caption" color="textSecondary" component="p">
            No metrics: no evaluation report and no numeric metadata.
          </Typography>
        )}
        {placements.length > 0 && (
          <div className={classes.placements}>
            {placements.map(placement => (
              <Chip
                key={`${placement.endpoint.endpointArn}/${placement.variantName}`}
                size="small"
                variant="outlined"
                label={`${placement.endpoint.target}: ${placement.endpoint.endpointName} (${placement.endpoint.status})`}
              />
            ))}
          </div>
        )}
      </CardContent>
      <CardActions className={classes.actions}>
        <Button size="small" onClick={() => onDetails(version)}>
          Details
        </Button>
        <VersionActions
          version={version}
          permissions={permissions}
          onApproval={onApproval}
          onDeploy={onDeploy}
          onLifecycle={onLifecycle}
        />
        <FormControlLabel
          control={
            <Checkbox
              size="small"
              inputProps={{
                'aria-label': `Compare version ${version.version}`,
              }}
              checked={selectedForComparison}
              disabled={!selectedForComparison && !canSelectForComparison}
              onChange={() => onToggleComparison(version)}
            />
          }
          label="Compare"
        />
      </CardActions>
    </Card>
  );
};
