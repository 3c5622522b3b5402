import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { mockClient } from 'aws-sdk-client-mock';
import { SageMakerClientFactory } from '../aws/SageMakerClientFactory';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { readReportsConfig } from '../config/ReportsConfig';
import {
  REGISTRY,
  groupArn,
  staticKeysConfig,
} from '../__testUtils__/fixtures';
import { awsError } from '../__testUtils__/unitHarness';
import { ModelReportReader } from './ModelReportReader';
import { RegistryCache } from './RegistryCache';

const s3 = mockClient(S3Client);

const group = {
  accountId: REGISTRY,
  region: 'us-east-1',
  name: 'fraud',
  arn: groupArn('fraud'),
};

const URI = 's3://ml-models-111111111111/fraud/v3/evaluation.json';

function object(text: string, etag = '"e1"') {
  return {
    ETag: etag,
    ContentLength: Buffer.byteLength(text),
    Body: {
      transformToString: async () => text,
      transformToWebStream: () => new ReadableStream(),
    },
  } as any;
}

/** The real gateway, with static keys and one attempt: S3 is mocked. */
function gateway() {
  return new SageMakerGateway(
    new SageMakerClientFactory({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(
        new ConfigReader(staticKeysConfig([REGISTRY])),
      ),
      requestTimeoutMs: 1000,
      maxAttempts: 1,
      accountRoles: new Map(),
      attributeWritesToUser: false,
    }),
  );
}

function reader(reports: object = {}) {
  return new ModelReportReader({
    gateway: gateway(),
    cache: new RegistryCache(
      mockServices.cache.mock({
        get: jest.fn(async () => undefined),
        set: jest.fn(async () => {}),
      }),
      60_000,
    ),
    config: readReportsConfig(new ConfigReader({ sagemaker: { reports } })),
  });
}

const withReport = (uri = URI) => ({
  ModelMetrics: {
    ModelQuality: {
      Statistics: { S3Uri: uri, ContentType: 'application/json' },
    },
  },
  CustomerMetadataProperties: { auc: '0.9', dataset: 'v7', git_commit: '1e10' },
});

const EVALUATION = JSON.stringify({
  binary_classification_metrics: {
    auc: { value: 0.95, standard_deviation: 0.01 },
    recall: { value: 0.8 },
  },
});

describe('ModelReportReader', () => {
  beforeEach(() => s3.reset());

  it('merges the report over the metadata, names each source and picks the problem type’s key metrics', async () => {
    s3.on(GetObjectCommand, {
      Bucket: 'ml-models-111111111111',
      Key: 'fraud/v3/evaluation.json',
    }).resolves(object(EVALUATION));
    await expect(
      reader().versionEvidence(group, withReport()),
    ).resolves.toEqual({
      metrics: { auc: 0.95, recall: 0.8 },
      metricSources: { auc: 'both', recall: 'report' },
      report: { state: 'ok', message: undefined },
      keyMetrics: ['auc', 'accuracy', 'f1', 'precision', 'recall'],
    });
  });

  it('takes the key metrics a group configures', async () => {
    s3.on(GetObjectCommand).resolves(object(EVALUATION));
    const evidence = await reader({
      keyMetrics: [{ group: 'fraud', metrics: ['recall'] }],
    }).versionEvidence(group, withReport());
    expect(evidence.keyMetrics).toEqual(['recall']);
  });

  it('reads metadata alone, without S3, for a version without a report', async () => {
    const evidence = await reader().versionEvidence(group, {
      CustomerMetadataProperties: { accuracy: '0.91', build: '0x1A' },
    });
    expect(evidence).toEqual({ metrics: { accuracy: 0.91 } });
    expect(s3.calls()).toHaveLength(0);
  });

  it('says S3 refused, naming the bucket and account, and keeps the metadata metrics', async () => {
    s3.on(GetObjectCommand).rejects(
      awsError('AccessDenied', 'Access Denied', 403),
    );
    const evidence = await reader().versionEvidence(group, withReport());
    expect(evidence.metrics).toEqual({ auc: 0.9 });
    expect(evidence.report?.state).toBe('forbidden');
    expect(evidence.report?.message).toContain(
      'bucket ml-models-111111111111, read with the role of account 111111111111',
    );
    expect(evidence.report?.message).toContain('Access Denied');
  });

  it('says when the object or the bucket is missing', async () => {
    s3.on(GetObjectCommand)
      .rejectsOnce(
        awsError('NoSuchKey', 'The specified key does not exist.', 404),
      )
      .rejectsOnce(
        awsError('NoSuchBucket', 'The specified bucket does not exist', 404),
      );
    const r = reader();
    const location = { kind: 'ModelQuality.Statistics', s3Uri: URI };
    await expect(r.read(group, location)).resolves.toMatchObject({
      state: 'missing',
      message:
        'There is no object fraud/v3/evaluation.json in bucket ml-models-111111111111, read with the role of account 111111111111',
    });
    await expect(r.read(group, location)).resolves.toMatchObject({
      state: 'missing',
      message: expect.stringContaining(
        'There is no bucket ml-models-111111111111',
      ),
    });
  });

  it('says the report is not JSON', async () => {
    s3.on(GetObjectCommand).resolves(
      object('{"binary_classification_metrics":'),
    );
    await expect(
      reader().read(group, { kind: 'ModelQuality.Statistics', s3Uri: URI }),
    ).resolves.toMatchObject({
      state: 'malformed',
      message: expect.stringContaining('The report is not JSON'),
      etag: '"e1"',
    });
  });

  it('says the report is in no known format', async () => {
    s3.on(GetObjectCommand).resolves(object('{"accuracy": 0.9}'));
    await expect(
      reader().read(group, { kind: 'ModelQuality.Statistics', s3Uri: URI }),
    ).resolves.toMatchObject({ state: 'unknown-format' });
  });

  it('does not read a report larger than the bound', async () => {
    s3.on(GetObjectCommand).resolves({
      ...object(EVALUATION),
      ContentLength: 5000,
    });
    await expect(
      reader({ maxBytes: 1000 }).read(group, {
        kind: 'ModelQuality.Statistics',
        s3Uri: URI,
      }),
    ).resolves.toMatchObject({
      state: 'too-large',
      message: expect.stringContaining('5000 bytes, more than the 1000 read'),
    });
  });

  it('says S3 did not answer when the read is aborted at the bound', async () => {
    // The SDK aborts the request when the signal fires and throws AbortError;
    // aws-sdk-client-mock replaces send, so the abort is what it answers.
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('Request aborted'), { name: 'AbortError' }),
    );
    await expect(
      reader({ timeout: { milliseconds: 20 } }).read(group, {
        kind: 'ModelQuality.Statistics',
        s3Uri: URI,
      }),
    ).resolves.toMatchObject({
      state: 'unavailable',
      message: expect.stringContaining('S3 did not answer within 20 ms'),
    });
  });

  it('reads a cached report without S3, and does not cache a refusal', async () => {
    const store = new Map<string, unknown>();
    const cache = mockServices.cache.mock({
      get: jest.fn(async (key: string) => store.get(key)) as any,
      set: jest.fn(async (key: string, value: unknown) => {
        store.set(key, value);
      }) as any,
    });
    const r = new ModelReportReader({
      gateway: gateway(),
      cache: new RegistryCache(cache, 60_000),
      config: readReportsConfig(new ConfigReader({})),
    });
    const location = { kind: 'ModelQuality.Statistics', s3Uri: URI };
    s3.on(GetObjectCommand)
      .rejectsOnce(awsError('AccessDenied', 'Access Denied', 403))
      .resolves(object(EVALUATION));
    expect((await r.read(group, location)).state).toBe('forbidden');
    expect((await r.read(group, location)).state).toBe('ok');
    expect((await r.read(group, location)).state).toBe('ok');
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(2);
  });

  it('reads S3 every time when the report cache is off (cacheTtl 0)', async () => {
    s3.on(GetObjectCommand).resolves(object(EVALUATION));
    const r = reader({ cacheTtl: { seconds: 0 } });
    const location = { kind: 'ModelQuality.Statistics', s3Uri: URI };
    await r.read(group, location);
    await r.read(group, location);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(2);
  });

  it('says a location that is not an S3 URI is missing, without a call', async () => {
    await expect(
      reader().read(group, {
        kind: 'Bias.Report',
        s3Uri: 'https://example.com/bias.json',
      }),
    ).resolves.toMatchObject({
      state: 'missing',
      message: 'https://example.com/bias.json is not an s3:// URI',
    });
    expect(s3.calls()).toHaveLength(0);
  });

  it('reads every report of a version in ModelMetrics order', async () => {
    s3.on(GetObjectCommand, { Key: 'fraud/v3/evaluation.json' })
      .resolves(object(EVALUATION))
      .on(GetObjectCommand, { Key: 'fraud/v3/bias.json' })
      .resolves(
        object(
          JSON.stringify({
            post_training_bias_metrics: {
              facets: {
                age: [
                  {
                    value_or_threshold: '40',
                    metrics: [{ name: 'DI', value: 0.9 }],
                  },
                ],
              },
            },
          }),
        ),
      );
    const reports = await reader().readAll(group, {
      ModelQuality: {
        Statistics: { S3Uri: URI, ContentType: 'application/json' },
      },
      Bias: {
        Report: {
          S3Uri: 's3://ml-models-111111111111/fraud/v3/bias.json',
          ContentType: 'application/json',
        },
      },
    });
    expect(reports.map(r => [r.kind, r.state])).toEqual([
      ['ModelQuality.Statistics', 'ok'],
      ['Bias.Report', 'ok'],
    ]);
    expect(reports[1].bias?.[0]).toMatchObject({ name: 'DI', value: 0.9 });
  });
});
