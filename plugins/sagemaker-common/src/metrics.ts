/**
 * Picks the numeric entries of SageMaker CustomerMetadataProperties, which
 * are all strings on the wire, so that cards and charts can show them as
 * metrics. Non-numeric entries (git commit, dataset name…) are left out.
 *
 * @public
 */
export function numericMetadata(
  properties: Record<string, string> | undefined,
): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (value.trim() === '') {
      continue;
    }
    const number = Number(value);
    if (Number.isFinite(number)) {
      metrics[key] = number;
    }
  }
  return metrics;
}
