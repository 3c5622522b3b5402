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
import { useModelVersionsDetails } from '../../hooks/useModelVersionDetails';
import { ComparisonChart } from './ComparisonChart';
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
    whiteSpace: 'pre-line',
    overflowWrap: 'anywhere',
  },
  delta: { verticalAlign: 'top', whiteSpace: 'nowrap' },
}));

interface Row {
  label: string;
  /** One value per version, oldest first. */
  values: string[];
  /** For metrics: the newest value minus the oldest. */
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
  versions: ModelVersionDetails[],
  name: string,
): string | undefined {
  const having = versions.filter(v => name in v.metrics);
  if (having.length === 1 && versions.length > 1) {
    return `only in version ${having[0].version}`;
  }
  if (having.length < 2) {
    return undefined;
  }
  const first = having[0].metrics[name];
  const last = having[having.length - 1].metrics[name];
  return signed(last - first);
}

function compare(versions: ModelVersionDetails[]) {
  const metricNamesOf = (pick: (v: ModelVersionDetails) => object) => [
    ...new Set(versions.flatMap(v => Object.keys(pick(v)))),
  ];
  const metricRows: Row[] = metricNamesOf(v => v.metrics)
    .sort(compareMetricNames)
    .map(name => ({
      label: name,
      values: versions.map(v =>
        name in v.metrics ? formatMetric(v.metrics[name]) : '—',
      ),
      delta: metricDelta(versions, name),
    }));
  const metadataRows: Row[] = metricNamesOf(v => v.customerMetadata)
    .filter(key => !versions.some(v => key in v.metrics))
    .sort((x, y) => x.localeCompare(y))
    .map(key => ({
      label: key,
      values: versions.map(v => v.customerMetadata[key] ?? '—'),
    }));
  const field = (
    label: string,
    pick: (v: ModelVersionDetails) => string | undefined,
  ): Row => ({ label, values: versions.map(v => pick(v) || '—') });
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

const differs = (row: Row) => row.values.some(v => v !== row.values[0]);

const ComparisonTable = ({ versions }: { versions: ModelVersionDetails[] }) => {
  const classes = useStyles();
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const sections = compare(versions);
  const columns = versions.length + 2;
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
            {versions.map(v => (
              <TableCell key={v.version} className={classes.label}>
                Version {v.version}
              </TableCell>
            ))}
            <TableCell className={classes.label}>
              {versions.length === 2 ? 'Difference' : 'Oldest to newest'}
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {sections.map(section => {
            const rows = section.rows.filter(
              row => !onlyDifferences || differs(row),
            );
            if (rows.length === 0) {
              return null;
            }
            return [
              <TableRow key={section.title}>
                <TableCell
                  colSpan={columns}
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
                  className={differs(row) ? classes.differs : undefined}
                >
                  <TableCell
                    component="th"
                    scope="row"
                    role="rowheader"
                    className={classes.label}
                  >
                    {row.label}
                  </TableCell>
                  {row.values.map((value, index) => (
                    <TableCell
                      key={versions[index].version}
                      className={classes.value}
                      style={{ width: `${80 / versions.length}%` }}
                    >
                      {value}
                    </TableCell>
                  ))}
                  <TableCell className={classes.delta}>
                    {row.delta ?? (differs(row) ? 'differs' : '')}
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
  /** Two to four versions, in any order. */
  versions: ModelVersionSummary[];
  groupArn: string;
  onClose: () => void;
}

function listed(numbers: number[]): string {
  const named = numbers.map(n => `version ${n}`);
  return named.length > 1
    ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`
    : named.join('');
}

/**
 * Versions side by side, oldest first: metrics as small charts and with
 * their change, then version fields and customer metadata, differing rows
 * highlighted.
 */
export const VersionComparisonDialog = ({
  versions,
  groupArn,
  onClose,
}: VersionComparisonDialogProps) => {
  const numbers = versions.map(v => v.version).sort((a, b) => a - b);
  const details = useModelVersionsDetails(groupArn, numbers);
  const titleId = 'sagemaker-compare-dialog-title';

  let content: JSX.Element;
  if (details.error) {
    content = <ResponseErrorPanel error={details.error} />;
  } else if (!details.value) {
    content = <Progress />;
  } else {
    content = (
      <>
        <ComparisonChart versions={details.value} />
        <ComparisonTable versions={details.value} />
      </>
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={titleId}
      maxWidth={numbers.length > 2 ? 'lg' : 'md'}
      fullWidth
    >
      <DialogTitle id={titleId}>Compare {listed(numbers)}</DialogTitle>
      <DialogContent>{content}</DialogContent>
      <DialogActions>
        {details.error && <Button onClick={details.retry}>Retry</Button>}
        <Button onClick={onClose} color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
};
