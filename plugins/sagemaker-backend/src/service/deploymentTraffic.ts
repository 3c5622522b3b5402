import { DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import { DeploymentTraffic } from '@internal/backstage-plugin-sagemaker-common';

/**
 * Where a guarded update of the endpoint to `configName` is, from
 * DescribeEndpoint's PendingDeploymentSummary: the new variant's latest
 * VariantStatus. Undefined when no update to that config is pending or
 * SageMaker reports no phase.
 */
export function trafficOf(
  endpoint: DescribeEndpointCommandOutput,
  configName: string | undefined,
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
  return {
    status: latest.Status,
    message: latest.StatusMessage,
    startedAt: latest.StartTime?.toISOString(),
  };
}
