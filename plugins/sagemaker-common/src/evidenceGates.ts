import { z } from 'zod';

/**
 * What an evidence gate checks:
 * - `metric`: a metric of the version against a threshold;
 * - `lifecycle-stage`: the version's ModelLifeCycle stage (and status);
 * - `approver-not-registrant`: whoever approved it did not register it;
 * - `deployer-not-approver`: whoever deploys it did not approve it.
 *
 * @public
 */
export type EvidenceGateKind =
  | 'metric'
  | 'lifecycle-stage'
  | 'approver-not-registrant'
  | 'deployer-not-approver';

/**
 * One gate of a deployment target, evaluated for one version.
 *
 * @public
 */
export interface EvidenceGateResult {
  kind: EvidenceGateKind;
  /** The rule as configured, e.g. `auc >= 0.9`. */
  rule: string;
  passed: boolean;
  /** What was found, e.g. `auc is 0.87` or `approved by user:default/ana`. */
  found: string;
}

/**
 * The response of `GET /entities/:kind/:namespace/:name/gates`: the
 * target's gates for one version, as a deploy would check them.
 *
 * @public
 */
export interface EvidenceGatesResponse {
  target: string;
  groupArn: string;
  version: number;
  /** Whether every gate passed (true when the target has none). */
  passed: boolean;
  gates: EvidenceGateResult[];
}

/**
 * Query of `GET /entities/:kind/:namespace/:name/gates`.
 *
 * @public
 */
export const evidenceGatesQuerySchema = z
  .object({
    target: z.string().min(1).max(63),
    version: z.coerce
      .number({ invalid_type_error: 'must be a version number' })
      .int('must be a whole version number')
      .min(1, 'must be 1 or more')
      .max(1_000_000, 'is out of range'),
    group: z.string().min(1).max(2048).optional(),
  })
  .strict();

/**
 * The sentence a refused deploy and the deploy dialog give for the gates a
 * version fails: each rule with the value found.
 *
 * @public
 */
export function describeFailedGates(
  target: string,
  results: EvidenceGateResult[],
): string {
  return `${target} requires ${results
    .filter(result => !result.passed)
    .map(result => `${result.rule} (${result.found})`)
    .join('; ')}`;
}
