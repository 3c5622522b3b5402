import {
  DescribeModelPackageCommandOutput,
  DriftCheckBaselines,
} from '@aws-sdk/client-sagemaker';
import {
  ConsoleLink,
  ModelVersionLineage,
} from '@internal/backstage-plugin-sagemaker-common';

const TRAINING_JOB =
  /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):(\d{12}):training-job\/(.+)$/;
const S3_URI = /^s3:\/\/([^/]+)\/(.*)$/;

/** The S3 console page of an object (the console finds the bucket's region). */
export function s3ConsoleLink(
  label: string,
  s3Uri: string,
  region: string,
): ConsoleLink | undefined {
  const parts = S3_URI.exec(s3Uri);
  if (!parts) {
    return undefined;
  }
  const [, bucket, key] = parts;
  return {
    label,
    url: `https://s3.console.aws.amazon.com/s3/object/${encodeURIComponent(
      bucket,
    )}?region=${region}&prefix=${encodeURIComponent(key)}`,
  };
}

/** The SageMaker console page of a training job, in its own region. */
function trainingJobLink(arn: string): ConsoleLink | undefined {
  const parts = TRAINING_JOB.exec(arn);
  if (!parts) {
    return undefined;
  }
  const [, region, accountId, name] = parts;
  return {
    label: `Training job ${name} (account ${accountId}, ${region})`,
    url: `https://${region}.console.aws.amazon.com/sagemaker/home?region=${region}#/jobs/${encodeURIComponent(
      name,
    )}`,
  };
}

function baselines(
  drift: DriftCheckBaselines | undefined,
): ModelVersionLineage['driftCheckBaselines'] {
  const found: ModelVersionLineage['driftCheckBaselines'] = [];
  for (const [section, values] of Object.entries(drift ?? {})) {
    for (const [name, source] of Object.entries(
      (values ?? {}) as Record<string, { S3Uri?: string }>,
    )) {
      if (source?.S3Uri) {
        found.push({ kind: `${section}.${name}`, s3Uri: source.S3Uri });
      }
    }
  }
  return found;
}

/**
 * Where a version came from, as DescribeModelPackage records it
 * (MetadataProperties, SourceAlgorithmSpecification, DriftCheckBaselines),
 * with links to the AWS console for the training job, the repository when
 * it is a web address, and the S3 objects, built from the account and region.
 */
export function toLineage(
  described: DescribeModelPackageCommandOutput,
  region: string,
): ModelVersionLineage {
  const metadata = described.MetadataProperties ?? {};
  const sourceAlgorithms = (
    described.SourceAlgorithmSpecification?.SourceAlgorithms ?? []
  ).map(algorithm => ({
    algorithmName: algorithm.AlgorithmName ?? '',
    modelDataUrl: algorithm.ModelDataUrl,
  }));
  const driftCheckBaselines = baselines(described.DriftCheckBaselines);
  const links: Array<ConsoleLink | undefined> = [
    metadata.GeneratedBy ? trainingJobLink(metadata.GeneratedBy) : undefined,
    metadata.Repository && /^https:\/\//.test(metadata.Repository)
      ? { label: `Repository ${metadata.Repository}`, url: metadata.Repository }
      : undefined,
    ...sourceAlgorithms.map(algorithm =>
      algorithm.modelDataUrl
        ? s3ConsoleLink(
            `Model data of ${algorithm.algorithmName}`,
            algorithm.modelDataUrl,
            region,
          )
        : undefined,
    ),
    ...driftCheckBaselines.map(baseline =>
      s3ConsoleLink(`Baseline ${baseline.kind}`, baseline.s3Uri, region),
    ),
  ];
  return {
    commitId: metadata.CommitId,
    repository: metadata.Repository,
    generatedBy: metadata.GeneratedBy,
    projectId: metadata.ProjectId,
    sourceAlgorithms,
    driftCheckBaselines,
    links: links.filter((link): link is ConsoleLink => link !== undefined),
  };
}
