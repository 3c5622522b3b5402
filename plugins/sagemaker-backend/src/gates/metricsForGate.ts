import { DescribeModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';
import {
  ModelPackageGroupArn,
  numericMetadata,
} from '@internal/backstage-plugin-sagemaker-common';
import { ModelReportReader } from '../service/ModelReportReader';

/** The metrics a gate judges by, and why a report's metrics may be missing. */
export interface GateMetrics {
  metrics: Record<string, number>;
  /** Set when the model quality report could not be read, e.g. a 403. */
  reportProblem?: string;
}

/**
 * The metrics an evidence gate judges a version by: the one place gates read
 * metrics. With the report reader, the model quality report's metrics in S3
 * over the plain decimal CustomerMetadataProperties, exactly as the cards
 * show them; without it, the metadata's alone.
 */
export async function metricsForGate(
  group: ModelPackageGroupArn,
  version: DescribeModelPackageCommandOutput,
  reports?: Pick<ModelReportReader, 'versionEvidence'>,
): Promise<GateMetrics> {
  if (!reports) {
    return { metrics: numericMetadata(version.CustomerMetadataProperties) };
  }
  const evidence = await reports.versionEvidence(group, version);
  const problem =
    evidence.report && evidence.report.state !== 'ok'
      ? evidence.report.message ?? `the report is ${evidence.report.state}`
      : undefined;
  return {
    metrics: evidence.metrics,
    ...(problem ? { reportProblem: problem } : {}),
  };
}
