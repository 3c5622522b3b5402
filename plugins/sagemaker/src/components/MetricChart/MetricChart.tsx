import { InfoCard } from '@backstage/core-components';
import { MenuItem, TextField, Typography, useTheme } from '@material-ui/core';
import {
  ModelApprovalStatus,
  ModelVersionSummary,
} from '@internal/backstage-plugin-sagemaker-common';
import { scaleLinear } from 'd3-scale';
import { useMemo, useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  APPROVAL_STATUS_LABELS,
  formatMetric,
  metricTooltip,
} from '../../utils/labels';
import { compareMetricNames, metricNames } from '../../utils/versions';

interface Point {
  version: number;
  value: number;
  status: ModelApprovalStatus;
}

const STATUS_COLOURS: Record<ModelApprovalStatus, 'ok' | 'error' | 'pending'> =
  {
    Approved: 'ok',
    Rejected: 'error',
    PendingManualApproval: 'pending',
  };

/** Round ticks (0.85, 0.9, 0.95) over a domain widened to reach them. */
function roundTicks(points: Point[]) {
  const values = points.map(p => p.value);
  const scale = scaleLinear()
    .domain([Math.min(...values), Math.max(...values)])
    .nice(5);
  return { domain: scale.domain() as [number, number], ticks: scale.ticks(5) };
}

function describe(metric: string, points: Point[]): string {
  if (points.length === 0) {
    return `No loaded version records ${metric}.`;
  }
  const lowest = points.reduce((a, b) => (b.value < a.value ? b : a));
  const highest = points.reduce((a, b) => (b.value > a.value ? b : a));
  const latest = points[points.length - 1];
  const plural = points.length === 1 ? 'version' : 'versions';
  return `${metric} over ${
    points.length
  } loaded ${plural}: lowest ${formatMetric(lowest.value)} (version ${
    lowest.version
  }), highest ${formatMetric(highest.value)} (version ${
    highest.version
  }), newest ${formatMetric(latest.value)} (version ${latest.version}).`;
}

/**
 * Props of {@link MetricChart}.
 */
export interface MetricChartProps {
  /** The versions loaded so far; the chart grows with "Load more". */
  versions: ModelVersionSummary[];
  /** Called with the version whose point was clicked. */
  onSelect?: (version: ModelVersionSummary) => void;
}

/**
 * One metric across the loaded versions, in version order, with a text
 * summary (lowest, highest, newest) for screen readers and quick reading.
 * Points take their version's approval colour; a click opens the version.
 */
export const MetricChart = ({ versions, onSelect }: MetricChartProps) => {
  const theme = useTheme();
  const names = useMemo(() => metricNames(versions), [versions]);
  const preferred = useMemo(
    () => [...names].sort(compareMetricNames)[0],
    [names],
  );
  const [chosen, setChosen] = useState<string>();
  const metric = chosen && names.includes(chosen) ? chosen : preferred;

  const points = useMemo(
    () =>
      metric
        ? versions
            .filter(version => metric in version.metrics)
            .map(version => ({
              version: version.version,
              value: version.metrics[metric],
              status: version.approvalStatus,
            }))
            .sort((a, b) => a.version - b.version)
        : [],
    [versions, metric],
  );

  const axis = useMemo(
    () => (points.length > 0 ? roundTicks(points) : undefined),
    [points],
  );
  const colour = (status: ModelApprovalStatus) =>
    theme.palette.status[STATUS_COLOURS[status] ?? 'pending'];
  const select = (point?: Point) => {
    const version = versions.find(v => v.version === point?.version);
    if (version && onSelect) {
      onSelect(version);
    }
  };

  if (!metric) {
    return (
      <InfoCard title="Metrics across versions">
        <Typography variant="body2" color="textSecondary">
          The loaded versions record no numeric metrics in their evaluation
          reports or customer metadata.
        </Typography>
      </InfoCard>
    );
  }

  return (
    <InfoCard title="Metrics across versions">
      <TextField
        select
        variant="outlined"
        size="small"
        id="sagemaker-chart-metric"
        label="Metric"
        value={metric}
        onChange={event => setChosen(event.target.value)}
        style={{ minWidth: 200, marginBottom: 16 }}
      >
        {names.map(name => (
          <MenuItem key={name} value={name}>
            {name}
          </MenuItem>
        ))}
      </TextField>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        {describe(metric, points)}
      </Typography>
      <Typography variant="caption" color="textSecondary" aria-hidden="true">
        {(Object.keys(STATUS_COLOURS) as ModelApprovalStatus[]).map(status => (
          <span key={status} style={{ marginRight: 16, whiteSpace: 'nowrap' }}>
            <span style={{ color: colour(status) }}>●</span>{' '}
            {APPROVAL_STATUS_LABELS[status]}
          </span>
        ))}
        {onSelect && ' · click a point to open its version'}
      </Typography>
      <div aria-hidden="true">
        <ResponsiveContainer
          width="100%"
          height={280}
          initialDimension={{ width: 600, height: 280 }}
        >
          <LineChart
            // The chart is hidden from assistive technology (the sentence
            // above says what it shows), so it must not take focus either.
            accessibilityLayer={false}
            data={points}
            margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="version"
              type="number"
              domain={['dataMin', 'dataMax']}
              allowDecimals={false}
              tickFormatter={(v: number) => `v${v}`}
            />
            <YAxis
              domain={axis?.domain ?? ['auto', 'auto']}
              ticks={axis?.ticks}
              tickFormatter={(v: number) => formatMetric(v)}
              width={64}
            />
            <Tooltip
              labelFormatter={label => {
                const point = points.find(p => p.version === label);
                return point
                  ? `Version ${label} (${APPROVAL_STATUS_LABELS[point.status]})`
                  : `Version ${label}`;
              }}
              formatter={metricTooltip(metric)}
            />
            <Line
              // Straight segments: a smoothed line overshoots between versions.
              type="linear"
              dataKey="value"
              name={metric}
              stroke={theme.palette.text.disabled}
              dot={(props: { cx?: number; cy?: number; payload?: Point }) => (
                <circle
                  key={props.payload?.version}
                  cx={props.cx}
                  cy={props.cy}
                  r={points.length <= 60 ? 4 : 2}
                  fill={colour(
                    props.payload?.status ?? 'PendingManualApproval',
                  )}
                  stroke="none"
                  style={{ cursor: onSelect ? 'pointer' : undefined }}
                  onClick={() => select(props.payload)}
                />
              )}
              activeDot={{
                r: 6,
                onClick: (_event: unknown, data: unknown) =>
                  select((data as { payload?: Point }).payload),
              }}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </InfoCard>
  );
};
