import { DescribeModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';
import { numericMetadata } from '@internal/backstage-plugin-sagemaker-common';

/**
 * The metrics an evidence gate judges a version by: the one place gates read
 * metrics, so that another source (the ModelMetrics reports in S3) plugs in
 * here. Today: the plain decimal CustomerMetadataProperties, as the cards
 * show them.
 */
export async function metricsForGate(
  version: DescribeModelPackageCommandOutput,
): Promise<Record<string, number>> {
  return numericMetadata(version.CustomerMetadataProperties);
}
