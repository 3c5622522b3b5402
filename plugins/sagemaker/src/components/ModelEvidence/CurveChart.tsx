import { Typography, useTheme } from '@material-ui/core';
import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatMetric } from '../../utils/labels';

/**
 * Props of {@link CurveChart}.
 */
export interface CurveChartProps {
  title: string;
  xLabel: string;
  yLabel: string;
  points: Array<{ x: number; y: number }>;
}

/**
 * A curve of a report (ROC, precision-recall) on the unit square, with a
 * sentence saying what it shows for those who cannot see it.
 */
export const CurveChart = ({
  title,
  xLabel,
  yLabel,
  points,
}: CurveChartProps) => {
  const theme = useTheme();
  const sorted = [...points].sort((a, b) => a.x - b.x);
  return (
    <figure style={{ margin: 0 }}>
      <Typography variant="subtitle2" component="figcaption">
        {title}: {yLabel} against {xLabel}, {sorted.length} points
      </Typography>
      <div aria-hidden="true">
        <LineChart
          accessibilityLayer={false}
          width={300}
          height={220}
          data={sorted}
          margin={{ top: 8, right: 16, bottom: 16, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            domain={[0, 1]}
            tickFormatter={(v: number) => formatMetric(v)}
            label={{ value: xLabel, position: 'insideBottom', offset: -8 }}
          />
          <YAxis
            type="number"
            domain={[0, 1]}
            tickFormatter={(v: number) => formatMetric(v)}
            width={40}
          />
          <Tooltip
            labelFormatter={x => `${xLabel} ${formatMetric(Number(x))}`}
            formatter={(y: unknown) => [formatMetric(Number(y)), yLabel]}
          />
          <Line
            type="linear"
            dataKey="y"
            stroke={theme.palette.primary.main}
            isAnimationActive={false}
            dot={false}
          />
        </LineChart>
      </div>
    </figure>
  );
};
