import { Typography, makeStyles, useTheme } from '@material-ui/core';
import { ModelVersionDetails } from '@internal/backstage-plugin-sagemaker-common';
import {
  Bar,
  BarChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatMetric, metricTooltip } from '../../utils/labels';
import { compareMetricNames } from '../../utils/versions';

/** Enough small charts to see the key metrics without scrolling past them. */
const MAX_CHARTS = 6;

const useStyles = makeStyles(theme => ({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
}));

/**
 * One small bar chart per metric, each on its own scale (an accuracy and a
 * latency share no axis), versions oldest first. The table below holds the
 * same numbers for assistive technology, so the charts are hidden from it.
 */
export const ComparisonChart = ({
  versions,
}: {
  versions: ModelVersionDetails[];
}) => {
  const classes = useStyles();
  const theme = useTheme();
  const names = [...new Set(versions.flatMap(v => Object.keys(v.metrics)))]
    .sort(compareMetricNames)
    .slice(0, MAX_CHARTS);
  if (names.length === 0) {
    return null;
  }
  return (
    <div className={classes.grid} aria-hidden="true">
      {names.map(name => (
        <div key={name}>
          <Typography variant="subtitle2" component="p">
            {name}
          </Typography>
          <ResponsiveContainer
            width="100%"
            height={140}
            initialDimension={{ width: 220, height: 140 }}
          >
            <BarChart
              accessibilityLayer={false}
              data={versions.map(v => ({
                version: `v${v.version}`,
                value: v.metrics[name],
              }))}
              margin={{ top: 4, right: 8, bottom: 0, left: 0 }}
            >
              <XAxis dataKey="version" />
              <YAxis
                width={48}
                domain={['auto', 'auto']}
                tickFormatter={(v: number) => formatMetric(v)}
              />
              <Tooltip formatter={metricTooltip(name)} />
              <Bar
                dataKey="value"
                fill={theme.palette.primary.main}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
      ))}
    </div>
  );
};
