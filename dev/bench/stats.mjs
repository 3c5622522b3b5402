// Summary statistics for the bench: nearest-rank percentiles over raw
// samples (milliseconds), so every reported figure is one measured value.

/** The nearest-rank percentile `p` (0–100) of `values`. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** n, min, p50, p95, p99, max and mean of a list of samples. */
export function summarize(values) {
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    n: values.length,
    min: Math.min(...values),
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: Math.max(...values),
    mean: sum / values.length,
  };
}

/** Runs `fn` and returns how long it took, in milliseconds. */
export async function timed(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}
