import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ModelMetrics } from '@aws-sdk/client-sagemaker';
import { NotAllowedError, isError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';
import {
  CARD_REPORT_KIND,
  DEFAULT_KEY_METRICS,
  MetricSource,
  ModelReport,
  ModelVersionSummary,
  numericMetadata,
  parseModelReport,
} from '@internal/backstage-plugin-sagemaker-common';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { awsErrorDetails } from '../aws/errors';
import { ReportsConfig } from '../config/ReportsConfig';
import { metricsReports } from './mappers';
import { mapWithConcurrency } from './mapWithConcurrency';
import { RegistryCache } from './RegistryCache';

/** Where a report is, as ModelMetrics names it. */
export type ReportLocation = Pick<
  ModelReport,
  'kind' | 's3Uri' | 'contentType'
>;

/** The account and region whose role reads a group's reports. */
export interface RegistryAccount {
  accountId: string;
  region: string;
}

/**
 * The evidence of one version: its metrics with their sources, and how
 * reading its model quality report ended. What a card shows and what a
 * metric gate decides on.
 */
export type VersionEvidence = Pick<
  ModelVersionSummary,
  'metrics' | 'metricSources' | 'report' | 'keyMetrics'
>;

/** S3 reads in flight for one page of versions. */
const PAGE_CONCURRENCY = 8;

const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;

/** States that depend only on the object's content, which does not change. */
const CACHEABLE = new Set<ModelReport['state']>([
  'ok',
  'malformed',
  'unknown-format',
  'too-large',
]);

const MISSING = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket']);

/**
 * Reads a version's ModelMetrics reports from S3 with the registry account's
 * role, bounded in size and time, cached by URI (with the ETag read), and
 * turns every failure into a report state that names the bucket and account:
 * a report that cannot be read never fails the page.
 */
export class ModelReportReader {
  constructor(
    private readonly deps: {
      gateway: SageMakerGateway;
      /** Bounded in time: a cache store that stops answering is a miss. */
      cache: Pick<RegistryCache, 'getValue' | 'setValue'>;
      config: ReportsConfig;
    },
  ) {}

  /** Every report of a version, in ModelMetrics' order. */
  readAll(
    account: RegistryAccount,
    modelMetrics: ModelMetrics | undefined,
  ): Promise<ModelReport[]> {
    return mapWithConcurrency(
      metricsReports(modelMetrics),
      PAGE_CONCURRENCY,
      location => this.read(account, location),
    );
  }

  /**
   * The version's evidence: the model quality report's metrics merged over
   * the customer metadata's, each with its source, and the group's key
   * metrics. This is the function a metric gate reads a version through.
   */
  async versionEvidence(
    group: RegistryAccount & { name: string; arn: string },
    modelPackage: {
      ModelMetrics?: ModelMetrics;
      CustomerMetadataProperties?: Record<string, string>;
    },
  ): Promise<VersionEvidence> {
    const location = metricsReports(modelPackage.ModelMetrics).find(
      report => report.kind === CARD_REPORT_KIND,
    );
    const report = location ? await this.read(group, location) : undefined;
    const fromMetadata = numericMetadata(
      modelPackage.CustomerMetadataProperties,
    );
    const metrics: Record<string, number> = { ...fromMetadata };
    const metricSources: Record<string, MetricSource> = {};
    for (const metric of report?.metrics ?? []) {
      metricSources[metric.name] =
        metric.name in fromMetadata ? 'both' : 'report';
      metrics[metric.name] = metric.value;
    }
    const keyMetrics =
      this.deps.config.keyMetrics.get(group.arn) ??
      this.deps.config.keyMetrics.get(group.name) ??
      (report?.problemType
        ? DEFAULT_KEY_METRICS[report.problemType]
        : undefined);
    return {
      metrics,
      ...(report
        ? {
            metricSources,
            report: { state: report.state, message: report.message },
          }
        : {}),
      ...(keyMetrics ? { keyMetrics } : {}),
    };
  }

  /** Evidence for a page of versions, at most a few S3 reads at a time. */
  pageEvidence(
    group: RegistryAccount & { name: string; arn: string },
    packages: Array<Parameters<ModelReportReader['versionEvidence']>[1]>,
  ): Promise<VersionEvidence[]> {
    return mapWithConcurrency(packages, PAGE_CONCURRENCY, modelPackage =>
      this.versionEvidence(group, modelPackage),
    );
  }

  /** One report: from the cache, or read from S3 and parsed. */
  async read(
    account: RegistryAccount,
    location: ReportLocation,
  ): Promise<ModelReport> {
    const key = `report|v1|${location.s3Uri}`;
    const { cacheTtlMs } = this.deps.config;
    const cached =
      cacheTtlMs > 0
        ? ((await this.deps.cache.getValue(key)) as ModelReport | undefined)
        : undefined;
    if (cached) {
      return { ...cached, kind: location.kind };
    }
    const report = await this.fetch(account, location);
    if (cacheTtlMs > 0 && CACHEABLE.has(report.state)) {
      await this.deps.cache.setValue(
        key,
        report as unknown as JsonValue,
        cacheTtlMs,
      );
    }
    return report;
  }

  private async fetch(
    account: RegistryAccount,
    location: ReportLocation,
  ): Promise<ModelReport> {
    const base = {
      kind: location.kind,
      s3Uri: location.s3Uri,
      contentType: location.contentType,
    };
    const uri = S3_URI.exec(location.s3Uri);
    if (!uri) {
      return {
        ...base,
        state: 'missing',
        message: `${location.s3Uri} is not an s3:// URI`,
      };
    }
    const [, bucket, key] = uri;
    const where = `bucket ${bucket}, read with the role of account ${account.accountId}`;
    const { maxBytes, timeoutMs } = this.deps.config;
    let body: string;
    let etag: string | undefined;
    try {
      const read = await this.deps.gateway.callService(
        S3Client,
        account,
        's3:GetObject',
        async client => {
          const object = await client.send(
            new GetObjectCommand({ Bucket: bucket, Key: key }),
            { abortSignal: AbortSignal.timeout(timeoutMs) },
          );
          if ((object.ContentLength ?? 0) > maxBytes) {
            object.Body?.transformToWebStream().cancel();
            return { size: object.ContentLength, etag: object.ETag };
          }
          return {
            text: await object.Body?.transformToString('utf-8'),
            etag: object.ETag,
          };
        },
      );
      etag = read.etag;
      if (read.text === undefined || read.text.length > maxBytes) {
        return {
          ...base,
          etag,
          state: 'too-large',
          message: `The report is ${
            read.size ?? read.text?.length
          } bytes, more than the ${maxBytes} read (${where})`,
        };
      }
      body = read.text;
    } catch (error) {
      return { ...base, ...this.failure(error, bucket, key, where) };
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      return {
        ...base,
        etag,
        state: 'malformed',
        message: `The report is not JSON (${
          isError(error) ? error.message : String(error)
        })`,
      };
    }
    const parsed = parseModelReport(json);
    if (!parsed) {
      return {
        ...base,
        etag,
        state: 'unknown-format',
        message:
          'The report is JSON in none of the formats SageMaker writes (model quality, data quality, bias, explainability)',
      };
    }
    return { ...base, etag, state: 'ok', ...parsed };
  }

  private failure(
    error: unknown,
    bucket: string,
    key: string,
    where: string,
  ): Pick<ModelReport, 'state' | 'message'> {
    const details = awsErrorDetails(error);
    if (error instanceof NotAllowedError) {
      return {
        state: 'forbidden',
        message: `S3 denied s3:GetObject on ${key} in ${where}: ${details.message}`,
      };
    }
    if (MISSING.has(details.code)) {
      return {
        state: 'missing',
        message:
          details.code === 'NoSuchBucket'
            ? `There is no bucket ${bucket} (${where})`
            : `There is no object ${key} in ${where}`,
      };
    }
    if (details.code === 'AbortError' || details.code === 'TimeoutError') {
      return {
        state: 'unavailable',
        message: `S3 did not answer within ${this.deps.config.timeoutMs} ms (${where})`,
      };
    }
    return {
      state: 'unavailable',
      message: `Reading the report failed (${where}): ${details.code}: ${details.message}`,
    };
  }
}
