import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { ModelReport } from '@internal/backstage-plugin-sagemaker-common';
import { REPORT_STATE_LABELS, formatMetric } from '../../utils/labels';
import { CopyableText } from '../CopyableText';
import { ConfusionMatrix } from './ConfusionMatrix';
import { CurveChart } from './CurveChart';

const useStyles = makeStyles(theme => ({
  report: { marginBottom: theme.spacing(3) },
  error: { overflowWrap: 'anywhere', margin: theme.spacing(1, 0) },
  charts: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2) },
  part: { marginTop: theme.spacing(2) },
}));

const SimpleTable = ({
  label,
  head,
  rows,
}: {
  label: string;
  head: string[];
  rows: Array<Array<string | number>>;
}) => (
  <Table size="small" aria-label={label}>
    <TableHead>
      <TableRow>
        {head.map(h => (
          <TableCell key={h}>{h}</TableCell>
        ))}
      </TableRow>
    </TableHead>
    <TableBody>
      {rows.map((row, i) => (
        <TableRow key={i}>
          {row.map((cell, j) => (
            <TableCell key={j}>
              {typeof cell === 'number' ? formatMetric(cell) : cell}
            </TableCell>
          ))}
        </TableRow>
      ))}
    </TableBody>
  </Table>
);

/**
 * Props of {@link ModelReportView}.
 */
export interface ModelReportViewProps {
  report: ModelReport;
}

/**
 * One ModelMetrics report: where it is, and either why it could not be read
 * or everything it holds (metrics with standard deviations, confusion
 * matrix, ROC and precision-recall curves, constraints, bias, feature
 * attributions, dataset).
 */
export const ModelReportView = ({ report }: ModelReportViewProps) => {
  const classes = useStyles();
  const title = report.problemType
    ? `${report.kind} (${report.problemType.replace(/_/g, ' ')})`
    : report.kind;
  return (
    <section className={classes.report} aria-label={`${report.kind} report`}>
      <Typography variant="subtitle1" component="h4">
        {title}
      </Typography>
      <CopyableText
        value={report.s3Uri}
        label={`${report.kind} report location`}
      />
      {report.contentType && (
        <Typography variant="caption" color="textSecondary">
          {report.contentType}
        </Typography>
      )}
      {report.state !== 'ok' && (
        <Typography
          variant="body2"
          color="error"
          role="status"
          className={classes.error}
        >
          {REPORT_STATE_LABELS[report.state]}
          {report.message ? `: ${report.message}` : ''}
        </Typography>
      )}
      {report.metrics && report.metrics.length > 0 && (
        <Box className={classes.part}>
          <SimpleTable
            label={`${report.kind} metrics`}
            head={['Metric', 'Value', 'Standard deviation']}
            rows={report.metrics.map(m => [
              m.name,
              m.value,
              m.standardDeviation ?? '—',
            ])}
          />
        </Box>
      )}
      {report.confusionMatrix && (
        <Box className={classes.part}>
          <ConfusionMatrix matrix={report.confusionMatrix} />
        </Box>
      )}
      {(report.rocCurve || report.precisionRecallCurve) && (
        <Box className={`${classes.part} ${classes.charts}`}>
          {report.rocCurve && (
            <CurveChart
              title="ROC curve"
              xLabel="false positive rate"
              yLabel="true positive rate"
              points={report.rocCurve}
            />
          )}
          {report.precisionRecallCurve && (
            <CurveChart
              title="Precision-recall curve"
              xLabel="recall"
              yLabel="precision"
              points={report.precisionRecallCurve}
            />
          )}
        </Box>
      )}
      {report.constraints && report.constraints.length > 0 && (
        <Box className={classes.part}>
          <SimpleTable
            label={`${report.kind} constraints`}
            head={['Metric', 'Threshold', 'Violated when']}
            rows={report.constraints.map(c => [
              c.metric,
              c.threshold,
              c.comparisonOperator,
            ])}
          />
        </Box>
      )}
      {report.bias && report.bias.length > 0 && (
        <Box className={classes.part}>
          <SimpleTable
            label={`${report.kind} bias metrics`}
            head={['Stage', 'Facet', 'Metric', 'Value']}
            rows={report.bias.map(b => [
              b.stage,
              `${b.facet} = ${b.facetValue}`,
              b.description ?? b.name,
              b.value,
            ])}
          />
        </Box>
      )}
      {report.featureAttributions && report.featureAttributions.length > 0 && (
        <Box className={classes.part}>
          <SimpleTable
            label={`${report.kind} feature attributions`}
            head={['Feature', 'Mean |SHAP|']}
            rows={report.featureAttributions.map(f => [f.feature, f.value])}
          />
        </Box>
      )}
      {report.dataset && (
        <Typography variant="body2" className={classes.part}>
          Dataset: {report.dataset.itemCount ?? 'unknown number of'} items,{' '}
          {report.dataset.featureCount ?? 'unknown number of'} features
        </Typography>
      )}
    </section>
  );
};
