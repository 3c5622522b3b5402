import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  makeStyles,
} from '@material-ui/core';
import {
  ModelVersionDetails,
  ModelVersionSummary,
} from '@internal/backstage-plugin-sagemaker-common';
import { useState } from 'react';
import { useModelVersionDetails } from '../../hooks/useModelVersionDetails';
import {
  APPROVAL_STATUS_LABELS,
  formatDateTime,
  formatMetric,
} from '../../utils/labels';
import { compareMetricNames } from '../../utils/versions';

const useStyles = makeStyles(theme => ({
  differs: { backgroundColor: theme.palette.action.hover },
  section: { fontWeight: 600, paddingTop: theme.spacing(2) },
  // Field names and differences are short: they never wrap. Values may be
  // long image URIs: one per line, cut only when a single one is too long.
  label: { verticalAlign: 'top', whiteSpace: 'nowrap' },
  value: {
    verticalAlign: 'top',
    width: '40%',
    whiteSpace: 'pre-line',
    overflowWrap: 'anywhere',
  },
  delta: { verticalAlign: 'top', whiteSpace: 'nowrap' },
}));

interface Row {
  label: string;
  left: string;
  right: string;
  /** For metrics: right minus left. */
  delta?: string;
}

function signed(value: number): string {
  const text = formatMetric(Math.abs(value));
  if (value > 0) {
    return `+${text}`;
  }
  return value < 0 ? `−${text}` : '0';
}

function metricDelta(
  a: ModelVersionDetails,
  b: ModelVersionDetails,
  left: number | undefined,
  right: number | undefined,
): string {
  if (left === undefined) {
    return `only in version ${b.version}`;
  }
  if (right === undefined) {
    return `only in version ${a.version}`;
  }
  return signed(right - left);
}

function compare(a: ModelVersionDetails, b: ModelVersionDetails) {
  const metricRows: Row[] = [
    ...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)]),
  ]
    .sort(compareMetricNames)
    .map(name => {
      const left = a.metrics[name];
      const right = b.metrics[name];
      return {
        label: name,
        left: left === undefined ? '—' : formatMetric(left),
        right: right === undefined ? '—' : formatMetric(right),
        delta: metricDelta(a, b, left, right),
      };
    });
  const metadataRows: Row[] = [
    ...new Set([
      ...Object.keys(a.customerMetadata),
      ...Object.keys(b.customerMetadata),
    ]),
  ]
    .filter(key => !(key in a.metrics) && !(key in b.metrics))
    .sort((x, y) => x.localeCompare(y))
    .map(key => ({
      label: key,
      left: a.customerMetadata[key] ?? '—',
      right: b.customerMetadata[key] ?? '—',
    }));
  const field = (
    label: string,
    pick: (v: ModelVersionDetails) => string | undefined,
  ): Row => ({ label, left: pick(a) || '—', right: pick(b) || '—' });
  const generalRows: Row[] = [
    field('Approval status', v => APPROVAL_STATUS_LABELS[v.approvalStatus]),
    field('Created', v => formatDateTime(v.createdAt)),
    field('Created by', v => v.createdBy),
    field('Description', v => v.description),
    field('Approval description', v => v.approvalDescription),
    field('Last modified by', v => v.lastModifiedBy),
    field('Lifecycle stage', v =>
      v.modelLifeCycle
        ? `${v.modelLifeCycle.stage} (${v.modelLifeCycle.stageStatus})`
        : undefined,
    ),
    field('Images', v => v.images.join('\n')),
    field('Real-time instance types', v => v.realtimeInstanceTypes.join(', ')),
  ];
  return [
    { title: 'Metrics', rows: metricRows },
    { title: 'Version', rows: generalRows },
    { title: 'Customer metadata', rows: metadataRows },
  ];
}

const ComparisonTable = ({
  left,
  right,
}: {
  left: ModelVersionDetails;
  right: ModelVersionDetails;
}) => {
  const classes = useStyles();
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const sections = compare(left, right);
  return (
    <>
      <FormControlLabel
        control={
          <Switch
            checked={onlyDifferences}
            onChange={event => setOnlyDifferences(event.target.checked)}
          />
        }
        label="Only differences"
      />
      <Table size="small" aria-label="Version comparison">
        <TableHead>
          <TableRow>
            <TableCell className={classes.label}>Field</TableCell>
            <TableCell className={classes.label}>
              Version {left.version}
            </TableCell>
            <TableCell className={classes.label}>
              Version {right.version}
            </TableCell>
            <TableCell className={classes.label}>Difference</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {sections.map(section => {
            const rows = section.rows.filter(
              row => !onlyDifferences || row.left !== row.right,
            );
            if (rows.length === 0) {
              return null;
            }
            return [
              <TableRow key={section.title}>
                <TableCell
                  colSpan={4}
                  component="th"
                  scope="rowgroup"
                  className={classes.section}
                >
                  {section.title}
                </TableCell>
              </TableRow>,
              ...rows.map(row => (
                <TableRow
                  key={`${section.title}/${row.label}`}
                  className={
                    row.left !== row.right ? classes.differs : undefined
                  }
                >
                  <TableCell
                    component="th"
                    scope="row"
                    role="rowheader"
                    className={classes.label}
                  >
                    {row.label}
                  </TableCell>
                  <TableCell className={classes.value}>{row.left}</TableCell>
                  <TableCell className={classes.value}>{row.right}</TableCell>
                  <TableCell className={classes.delta}>
                    {row.delta ?? (row.left === row.right ? '' : 'differs')}
                  </TableCell>
                </TableRow>
              )),
            ];
          })}
        </TableBody>
      </Table>
    </>
  );
};

/**
 * Props of {@link VersionComparisonDialog}.
 */
export interface VersionComparisonDialogProps {
  versions: [ModelVersionSummary, ModelVersionSummary];
  groupArn: string;
  onClose: () => void;
}

/**
 * Two versions side by side, older first: metrics with their difference,
 * then version fields and customer metadata, differing rows highlighted.
 */
export const VersionComparisonDialog = ({
  versions,
  groupArn,
  onClose,
}: VersionComparisonDialogProps) => {
  const [older, newer] = [...versions].sort((a, b) => a.version - b.version);
  const left = useModelVersionDetails(groupArn, older.version);
  const right = useModelVersionDetails(groupArn, newer.version);
  const titleId = 'sagemaker-compare-dialog-title';
  const error = left.error ?? right.error;

  let content: JSX.Element;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!left.value || !right.value) {
    content = <Progress />;
  } else {
    content = <ComparisonTable left={left.value} right={right.value} />;
  }

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={titleId}
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id={titleId}>
        Compare version {older.version} and version {newer.version}
      </DialogTitle>
      <DialogContent>{content}</DialogContent>
      <DialogActions>
        {error && (
          <Button
            onClick={() => {
              if (left.error) left.retry();
              if (right.error) right.retry();
            }}
          >
            Retry
          </Button>
        )}
        <Button onClick={onClose} color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
};
