import { DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import {
  DeploymentGuardrails,
  DeploymentTraffic,
} from '@internal/backstage-plugin-sagemaker-common';

/** SageMaker's VariantStatus while the new fleet bakes after a shift. */
const BAKING = 'Baking';

/** The baking period the target's guardrails give each shift, in seconds. */
function bakeSeconds(guardrails: DeploymentGuardrails | undefined) {
  return (
    guardrails?.blueGreen?.waitIntervalSeconds ??
    guardrails?.rollingUpdate?.waitIntervalSeconds
  );
}

/**
 * Where a guarded update of the endpoint to `configName` is, from
 * DescribeEndpoint's PendingDeploymentSummary: the new variant's latest
 * VariantStatus. While it bakes, `bakeEndsAt` is the phase's start plus the
 * target's wait interval. Undefined when no update to that config is pending
 * or SageMaker reports no phase.
 */
export function trafficOf(
  endpoint: DescribeEndpointCommandOutput,
  configName: string | undefined,
  guardrails?: DeploymentGuardrails,
): DeploymentTraffic | undefined {
  const pending = endpoint.PendingDeploymentSummary;
  if (!pending || pending.EndpointConfigName !== configName) {
    return undefined;
  }
  const statuses = pending.ProductionVariants?.[0]?.VariantStatus ?? [];
  const latest = statuses[statuses.length - 1];
  if (!latest?.Status) {
    return undefined;
  }
  const bake = bakeSeconds(guardrails);
  const baking =
    latest.Status === BAKING && latest.StartTime && bake !== undefined;
  return {
    status: latest.Status,
    message: latest.StatusMessage,
    startedAt: latest.StartTime?.toISOString(),
    bakeEndsAt: baking
      ? new Date(latest.StartTime!.getTime() + bake * 1000).toISOString()
      : undefined,
  };
}
