import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
} from '@aws-sdk/client-sagemaker';
import {
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { sagemakerPlugin } from '../plugin';
import {
  REGISTRY,
  awsConfig,
  deploymentTarget,
  groupArn,
  modelEntity,
} from '../__testUtils__/fixtures';
import {
  LocalEmulator,
  startLocalEmulator,
} from '../__testUtils__/localEmulator';
import {
  clientInAccount,
  sageMakerInAccount,
} from '../__testUtils__/registrySeed';

jest.setTimeout(60_000);

/** The account where training ran and its reports stayed. */
const TRAINING = '444444444444';
const OWN_BUCKET = 'reports-111111111111';
const SHARED_BUCKET = 'training-reports-shared';
const PRIVATE_BUCKET = 'training-reports-private';
const BACKEND_ROLE = `arn:aws:iam::${REGISTRY}:role/BackstageSageMakerAccess`;

const policy = (Statement: object[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement });

const EVALUATION = JSON.stringify({
  binary_classification_metrics: {
    auc: { value: 0.951, standard_deviation: 0.004 },
    recall: { value: 0.81, standard_deviation: 0.006 },
    confusion_matrix: {
      '0': { '0': 1700, '1': 100 },
      '1': { '0': 38, '1': 162 },
    },
    receiver_operating_characteristic_curve: {
      false_positive_rates: [0, 0.1, 1],
      true_positive_rates: [0, 0.8, 1],
    },
  },
});

/** Where each version's ModelQuality.Statistics points, and what is there. */
const VERSIONS: Array<{ uri: string; expect: string }> = [
  { uri: `s3://${OWN_BUCKET}/v1/evaluation.json`, expect: 'ok' },
  { uri: `s3://${SHARED_BUCKET}/v2/evaluation.json`, expect: 'ok' },
  { uri: `s3://${PRIVATE_BUCKET}/v3/evaluation.json`, expect: 'forbidden' },
  { uri: `s3://${OWN_BUCKET}/v4/missing.json`, expect: 'missing' },
  { uri: `s3://${OWN_BUCKET}/v5/evaluation.json`, expect: 'malformed' },
];

async function bucketWith(
  s3: S3Client,
  bucket: string,
  objects: Record<string, string>,
  bucketPolicy?: string,
) {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const [key, body] of Object.entries(objects)) {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }),
    );
  }
  if (bucketPolicy) {
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: bucket, Policy: bucketPolicy }),
    );
  }
}

describe('metrics reports read from S3 through the registry role, against the emulator', () => {
  let emulator: LocalEmulator;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  const previousEndpoint = process.env.AWS_ENDPOINT_URL;

  beforeAll(async () => {
    emulator = await startLocalEmulator();
    process.env.AWS_ENDPOINT_URL = emulator.endpoint;

    // The backend's role in the registry may read every report bucket;
    // whether the training account's buckets let it is theirs to say.
    const iam = await clientInAccount(IAMClient, emulator.endpoint, REGISTRY);
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'BackstageSageMakerAccess',
        AssumeRolePolicyDocument: policy([
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${REGISTRY}:root` },
            Action: 'sts:AssumeRole',
          },
        ]),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'BackstageSageMakerAccess',
        PolicyName: 'ReadRegistryAndReports',
        PolicyDocument: policy([
          { Effect: 'Allow', Action: 'sagemaker:*', Resource: '*' },
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: [OWN_BUCKET, SHARED_BUCKET, PRIVATE_BUCKET].map(
              b => `arn:aws:s3:::${b}/*`,
            ),
          },
        ]),
      }),
    );
    await bucketWith(
      await clientInAccount(S3Client, emulator.endpoint, REGISTRY),
      OWN_BUCKET,
      { 'v1/evaluation.json': EVALUATION, 'v5/evaluation.json': '{"auc": ' },
    );
    const training = await clientInAccount(
      S3Client,
      emulator.endpoint,
      TRAINING,
    );
    await bucketWith(
      training,
      SHARED_BUCKET,
      { 'v2/evaluation.json': EVALUATION },
      policy([
        {
          Effect: 'Allow',
          Principal: { AWS: BACKEND_ROLE },
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${SHARED_BUCKET}/*`,
        },
      ]),
    );
    await bucketWith(training, PRIVATE_BUCKET, {
      'v3/evaluation.json': EVALUATION,
    });

    const sagemaker = await sageMakerInAccount(emulator.endpoint, REGISTRY);
    await sagemaker.send(
      new CreateModelPackageGroupCommand({
        ModelPackageGroupName: 'evaluated',
      }),
    );
    for (const { uri } of VERSIONS) {
      await sagemaker.send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: 'evaluated',
          InferenceSpecification: {
            Containers: [
              {
                Image:
                  '763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost-inference:1.7-1',
              },
            ],
            SupportedContentTypes: ['text/csv'],
            SupportedResponseMIMETypes: ['text/csv'],
          },
          ModelMetrics: {
            ModelQuality: {
              Statistics: { ContentType: 'application/json', S3Uri: uri },
            },
          },
          CustomerMetadataProperties: { auc: '0.9', git_commit: '1e10' },
        }),
      );
    }

    ({ server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        mockServices.rootConfig.factory({
          data: {
            aws: awsConfig([REGISTRY]),
            sagemaker: {
              deploymentTargets: [
                deploymentTarget('sandbox', REGISTRY, {
                  gates: {
                    metrics: [
                      { metric: 'auc', min: 0.95 },
                      { metric: 'recall', min: 0.8 },
                    ],
                  },
                }),
              ],
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [modelEntity('evaluated', groupArn('evaluated', REGISTRY))],
        }),
      ],
    }));
  }, 60_000);

  afterAll(async () => {
    process.env.AWS_ENDPOINT_URL = previousEndpoint;
    await emulator?.stop();
  });

  it('shows each card’s report state, with the metrics of the readable ones, and S3 is read once', async () => {
    const send = jest.spyOn(S3Client.prototype, 'send');
    try {
      const path =
        '/api/sagemaker/entities/component/default/evaluated/versions';
      const cold = await request(server).get(path).query({ order: 'asc' });
      expect(cold.status).toBe(200);
      const versions = cold.body.groups[0].versions;
      expect(versions.map((v: any) => v.report.state)).toEqual(
        VERSIONS.map(v => v.expect),
      );
      for (const v of versions.slice(0, 2)) {
        expect(v.metrics).toEqual({ auc: 0.951, recall: 0.81 });
        expect(v.metricSources).toEqual({ auc: 'both', recall: 'report' });
        expect(v.keyMetrics).toEqual([
          'auc',
          'accuracy',
          'f1',
          'precision',
          'recall',
        ]);
      }
      // A report that cannot be read leaves the metadata's metrics, and says why.
      expect(versions[2].metrics).toEqual({ auc: 0.9 });
      expect(versions[2].report.message).toContain(
        `bucket ${PRIVATE_BUCKET}, read with the role of account ${REGISTRY}`,
      );
      expect(versions[2].report.message).toContain(
        'because no resource-based policy allows the s3:GetObject action',
      );
      expect(versions[3].report.message).toBe(
        `There is no object v4/missing.json in bucket ${OWN_BUCKET}, read with the role of account ${REGISTRY}`,
      );
      expect(versions[4].report.message).toContain('The report is not JSON');
      expect(send.mock.calls).toHaveLength(5);

      // Within the cache's TTL the page makes no S3 call.
      send.mockClear();
      const warm = await request(server).get(path).query({ order: 'asc' });
      expect(warm.body).toEqual(cold.body);
      expect(send).not.toHaveBeenCalled();
    } finally {
      send.mockRestore();
    }
  });

  it('gives the drawer every report with its confusion matrix and curve, reading cached reports without S3', async () => {
    await request(server)
      .get('/api/sagemaker/entities/component/default/evaluated/versions')
      .query({ order: 'asc' });
    const send = jest.spyOn(S3Client.prototype, 'send');
    try {
      const response = await request(server).get(
        '/api/sagemaker/entities/component/default/evaluated/versions/2',
      );
      expect(response.status).toBe(200);
      const [report] = response.body.metricsReports;
      expect(report).toMatchObject({
        kind: 'ModelQuality.Statistics',
        s3Uri: `s3://${SHARED_BUCKET}/v2/evaluation.json`,
        state: 'ok',
        problemType: 'binary_classification',
        confusionMatrix: {
          labels: ['0', '1'],
          counts: [
            [1700, 100],
            [38, 162],
          ],
        },
        rocCurve: [
          { x: 0, y: 0 },
          { x: 0.1, y: 0.8 },
          { x: 1, y: 1 },
        ],
      });
      expect(report.etag).toEqual(expect.any(String));
      expect(report.metrics).toContainEqual({
        name: 'auc',
        value: 0.951,
        standardDeviation: 0.004,
      });
      expect(send).not.toHaveBeenCalled();
    } finally {
      send.mockRestore();
    }
  });

  it("judges a deploy's metric gate by the report's metrics, and says why one is missing", async () => {
    const gates = (version: number) =>
      request(server)
        .get('/api/sagemaker/entities/component/default/evaluated/gates')
        .query({ target: 'sandbox', version })
        .set({
          Authorization: mockCredentials.user.header('user:default/ana'),
        });
    // The metadata says auc 0.9; the model quality report in S3 says 0.951
    // and is the only source of recall.
    expect((await gates(1)).body).toMatchObject({
      passed: true,
      gates: [
        { rule: 'auc >= 0.95', found: 'auc is 0.951' },
        { rule: 'recall >= 0.8', found: 'recall is 0.81' },
      ],
    });
    const refused = (await gates(3)).body;
    expect(refused.passed).toBe(false);
    expect(refused.gates[0].found).toBe('auc is 0.9');
    expect(refused.gates[1].found).toContain(
      `the version has no recall metric (`,
    );
    expect(refused.gates[1].found).toContain(`bucket ${PRIVATE_BUCKET}`);
  });
});
