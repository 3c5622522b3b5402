/**
 * A plain decimal number: `12`, `-0.5`, `.93`. JavaScript's Number() also
 * reads `0x1A`, `0b101`, `1e10` and `Infinity`, which in metadata are ids
 * and commit hashes, not measurements.
 */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Picks the numeric entries of SageMaker CustomerMetadataProperties, which
 * are all strings on the wire, so that cards and charts can show them as
 * metrics. Only plain decimal numbers count; the rest (a git commit, even
 * one that reads as `1e10`, a dataset name…) is left out.
 *
 * @public
 */
export function numericMetadata(
  properties: Record<string, string> | undefined,
): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    const text = value.trim();
    if (DECIMAL.test(text)) {
      metrics[key] = Number(text);
    }
  }
  return metrics;
}
