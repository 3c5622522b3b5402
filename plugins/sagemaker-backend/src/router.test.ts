import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import {
  BatchDescribeModelPackageCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  DescribeModelPackageGroupCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  SearchCommand,
} from '@aws-sdk/client-sagemaker';
import { SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION } from '@internal/backstage-plugin-sagemaker-common';
import { mockClient } from 'aws-sdk-client-mock';
import request from 'supertest';
import { sagemakerPlugin } from './plugin';
import { GROUP_TAG } from './service/EndpointResolver';

const REGISTRY = '111111111111';
const STAGING = '222222222222';
const GROUP = `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package-group/fraud`;
const OTHER_GROUP = `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package-group/churn`;
const versionArn = (group: string, v: number) =>
  `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package/${group}/${v}`;

const sagemaker = mockClient(SageMakerClient);

function entity(name: string, annotation?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: annotation
        ? { [SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION]: annotation }
        : {},
    },
    spec: {
      type: 'ml-model',
      owner: 'group:default/ml',
      lifecycle: 'production',
    },
  };
}

const created = new Date('2026-10-01T12:00:00Z');

function listed(v: number, status = 'Approved') {
  return {
    ModelPackageArn: versionArn('fraud', v),
    ModelPackageGroupName: 'fraud',
    ModelPackageVersion: v,
    ModelPackageDescription: `v${v}`,
    CreationTime: created,
    ModelPackageStatus: 'Completed' as const,
    ModelApprovalStatus: status as any,
  };
}

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      sagemakerPlugin,
      mockServices.rootConfig.factory({
        data: {
          aws: {
            // Static keys per account: no STS in unit tests.
            accounts: [REGISTRY, STAGING].map(accountId => ({
              accountId,
              accessKeyId: 'unit',
              secretAccessKey: 'unit',
            })),
          },
          sagemaker: {
            aws: { maxAttempts: 1 },
            deploymentTargets: [
              {
                name: 'staging',
                title: 'Staging',
                accountId: STAGING,
                region: 'us-east-1',
                executionRoleArn: `arn:aws:iam::${STAGING}:role/Exec`,
                instanceTypes: ['ml.m5.large'],
                maxInstanceCount: 2,
                kmsKeyId: 'secret-key-id',
              },
            ],
          },
        },
      }),
      catalogServiceMock.factory({
        entities: [
          entity('fraud', GROUP),
          entity('two', `${GROUP},${OTHER_GROUP}`),
          entity('plain'),
          entity('malformed', 'arn:aws:s3:::not-a-group'),
          entity(
            'unconfigured',
            'arn:aws:sagemaker:us-east-1:999999999999:model-package-group/x',
          ),
        ],
      }),
    ],
  });
  return server;
}

describe('sagemaker router', () => {
  let server: Awaited<ReturnType<typeof startBackend>>;

  beforeEach(async () => {
    sagemaker.reset();
    server = await startBackend();
  });

  describe('GET /targets', () => {
    it('lists targets without execution role, VPC or KMS key', async () => {
      const res = await request(server).get('/api/sagemaker/targets');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        targets: [
          {
            name: 'staging',
            title: 'Staging',
            accountId: STAGING,
            region: 'us-east-1',
            instanceTypes: ['ml.m5.large'],
            maxInstanceCount: 2,
            requires: [],
          },
        ],
      });
      expect(JSON.stringify(res.body)).not.toMatch(/Exec|secret-key-id/);
    });
  });

  describe('GET /entities/:kind/:namespace/:name/groups', () => {
    it('summarises each group: latest version and counts across pages', async () => {
      sagemaker.on(DescribeModelPackageGroupCommand).resolves({
        ModelPackageGroupName: 'fraud',
        ModelPackageGroupDescription: 'Card fraud',
        CreationTime: created,
      });
      sagemaker
        .on(ListModelPackagesCommand)
        .resolvesOnce({
          ModelPackageSummaryList: [
            listed(3, 'PendingManualApproval'),
            listed(2),
          ],
          NextToken: 'page-2',
        })
        .resolvesOnce({ ModelPackageSummaryList: [listed(1, 'Rejected')] });

      const res = await request(server).get(
        '/api/sagemaker/entities/component/default/fraud/groups',
      );
      expect(res.status).toBe(200);
      expect(res.body.groups).toEqual([
        {
          groupArn: GROUP,
          groupName: 'fraud',
          accountId: REGISTRY,
          region: 'us-east-1',
          description: 'Card fraud',
          createdAt: created.toISOString(),
          latestVersion: {
            version: 3,
            approvalStatus: 'PendingManualApproval',
            createdAt: created.toISOString(),
          },
          counts: { Approved: 1, Rejected: 1, PendingManualApproval: 1 },
          total: 3,
        },
      ]);
      expect(
        sagemaker.commandCalls(ListModelPackagesCommand)[1].args[0].input
          .NextToken,
      ).toBe('page-2');
    });
  });

  describe('GET /entities/:kind/:namespace/:name/versions', () => {
    beforeEach(() => {
      sagemaker.on(ListModelPackagesCommand).resolves({
        ModelPackageSummaryList: [listed(2), listed(1, 'Rejected')],
        NextToken: 'next',
      });
      sagemaker.on(BatchDescribeModelPackageCommand).resolves({
        ModelPackageSummaries: {
          [versionArn('fraud', 2)]: {
            ...listed(2),
            InferenceSpecification: {
              Containers: [{ Image: 'xgboost:2' }],
              SupportedContentTypes: ['text/csv'],
              SupportedResponseMIMETypes: ['text/csv'],
              SupportedRealtimeInferenceInstanceTypes: ['ml.m5.large'],
            },
          },
        },
      });
      sagemaker.on(SearchCommand).resolves({
        Results: [
          {
            ModelPackage: {
              ModelPackageArn: versionArn('fraud', 2),
              CustomerMetadataProperties: {
                accuracy: '0.91',
                commit: 'abc1234',
              },
              CreatedBy: {
                IamIdentity: {
                  Arn: `arn:aws:sts::${REGISTRY}:assumed-role/Trainer/pipeline-run-7`,
                },
              },
            },
          },
        ],
      });
    });

    it('returns card fields from one List, one BatchDescribe and one Search', async () => {
      const res = await request(server)
        .get('/api/sagemaker/entities/component/default/fraud/versions')
        .query({
          limit: 2,
          status: 'Approved',
          sort: 'createdAt',
          order: 'asc',
        });
      expect(res.status).toBe(200);
      const [group] = res.body.groups;
      expect(group.versions[0]).toEqual({
        arn: versionArn('fraud', 2),
        groupName: 'fraud',
        version: 2,
        approvalStatus: 'Approved',
        packageStatus: 'Completed',
        description: 'v2',
        createdAt: created.toISOString(),
        createdBy: 'pipeline-run-7 (Trainer)',
        metrics: { accuracy: 0.91 },
        images: ['xgboost:2'],
        realtimeInstanceTypes: ['ml.m5.large'],
      });
      expect(group.versions[1]).toMatchObject({
        version: 1,
        approvalStatus: 'Rejected',
        metrics: {},
        images: [],
      });
      expect(group.nextCursor).toEqual(expect.any(String));

      expect(sagemaker.commandCalls(ListModelPackagesCommand)).toHaveLength(1);
      expect(
        sagemaker.commandCalls(ListModelPackagesCommand)[0].args[0].input,
      ).toMatchObject({
        ModelPackageGroupName: 'fraud',
        ModelApprovalStatus: 'Approved',
        SortBy: 'CreationTime',
        SortOrder: 'Ascending',
        MaxResults: 2,
      });
      expect(
        sagemaker.commandCalls(BatchDescribeModelPackageCommand),
      ).toHaveLength(1);
      const search = sagemaker.commandCalls(SearchCommand);
      expect(search).toHaveLength(1);
      expect(search[0].args[0].input.SearchExpression?.Filters).toEqual([
        { Name: 'ModelPackageGroupName', Operator: 'Equals', Value: 'fraud' },
        {
          Name: 'ModelPackageVersion',
          Operator: 'GreaterThanOrEqualTo',
          Value: '1',
        },
        {
          Name: 'ModelPackageVersion',
          Operator: 'LessThanOrEqualTo',
          Value: '2',
        },
        { Name: 'ModelApprovalStatus', Operator: 'Equals', Value: 'Approved' },
      ]);
    });

    it('reads the metadata of every Search page, not only the first', async () => {
      sagemaker
        .on(SearchCommand)
        .resolvesOnce({
          Results: [
            {
              ModelPackage: {
                ModelPackageArn: versionArn('fraud', 2),
                CustomerMetadataProperties: { accuracy: '0.91' },
              },
            },
          ],
          NextToken: 'search-page-2',
        })
        .resolvesOnce({
          Results: [
            {
              ModelPackage: {
                ModelPackageArn: versionArn('fraud', 1),
                CustomerMetadataProperties: { accuracy: '0.72' },
                CreatedBy: { UserProfileName: 'ana' },
              },
            },
          ],
        });

      const res = await request(server)
        .get('/api/sagemaker/entities/component/default/fraud/versions')
        .expect(200);

      const [group] = res.body.groups;
      expect(group.versions.map((v: any) => v.metrics)).toEqual([
        { accuracy: 0.91 },
        { accuracy: 0.72 },
      ]);
      expect(group.versions[1].createdBy).toBe('ana');
      const search = sagemaker.commandCalls(SearchCommand);
      expect(search).toHaveLength(2);
      expect(search[1].args[0].input.NextToken).toBe('search-page-2');
      // One UI page is still one ListModelPackages call, with its own cursor.
      expect(sagemaker.commandCalls(ListModelPackagesCommand)).toHaveLength(1);
      expect(group.nextCursor).toEqual(expect.any(String));
    });

    it('serves a repeated request from the cache', async () => {
      const path = '/api/sagemaker/entities/component/default/fraud/versions';
      await request(server).get(path).expect(200);
      await request(server).get(path).expect(200);
      expect(sagemaker.calls()).toHaveLength(3);
    });

    it('passes the cursor back as SageMaker NextToken for the same group only', async () => {
      const path = '/api/sagemaker/entities/component/default/two/versions';
      const first = await request(server).get(path).query({ group: GROUP });
      const cursor = first.body.groups[0].nextCursor;
      await request(server)
        .get(path)
        .query({ group: GROUP, cursor })
        .expect(200);
      expect(
        sagemaker.commandCalls(ListModelPackagesCommand)[1].args[0].input
          .NextToken,
      ).toBe('next');

      const foreign = await request(server)
        .get(path)
        .query({ group: OTHER_GROUP, cursor });
      expect(foreign.status).toBe(400);
      expect(foreign.body.error.message).toContain('another group');
    });

    it.each([
      [{ status: 'Maybe' }, 'status'],
      [{ sort: 'size' }, 'sort'],
      [{ order: 'up' }, 'order'],
      [{ limit: '0' }, 'limit'],
      [{ limit: '101' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ cursor: 'x' }, 'cursor'],
      [{ group: GROUP, cursor: 'bm90IGpzb24' }, 'cursor'],
      [{ unexpected: '1' }, 'unexpected'],
    ])(
      'answers %j with 400 naming %s, with no AWS call',
      async (query, name) => {
        const res = await request(server)
          .get('/api/sagemaker/entities/component/default/fraud/versions')
          .query(query);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(name);
        expect(sagemaker.calls()).toHaveLength(0);
      },
    );
  });

  describe('GET /entities/:kind/:namespace/:name/versions/:version', () => {
    it('describes the version of the group the entity names', async () => {
      sagemaker.on(DescribeModelPackageCommand).resolves({
        ModelPackageArn: versionArn('fraud', 7),
        ModelPackageGroupName: 'fraud',
        ModelPackageVersion: 7,
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'Looks good',
        CreationTime: created,
        LastModifiedTime: created,
        LastModifiedBy: { UserProfileName: 'ana' },
        ModelPackageStatus: 'Completed',
        InferenceSpecification: {
          Containers: [
            {
              Image: 'xgboost:7',
              ImageDigest: 'sha256:abc',
              ModelDataUrl: 's3://m/7.tar.gz',
              Framework: 'XGBOOST',
            },
          ],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['application/json'],
          SupportedRealtimeInferenceInstanceTypes: ['ml.m5.large'],
          SupportedTransformInstanceTypes: ['ml.m5.xlarge'],
        },
        ModelMetrics: {
          ModelQuality: {
            Statistics: {
              S3Uri: 's3://m/7/stats.json',
              ContentType: 'application/json',
            },
          },
        },
        CustomerMetadataProperties: { f1: '0.8', dataset: 'oct' },
        ModelLifeCycle: { Stage: 'Staging', StageStatus: 'Approved' },
      });
      const res = await request(server).get(
        '/api/sagemaker/entities/component/default/fraud/versions/7',
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        arn: versionArn('fraud', 7),
        groupArn: GROUP,
        accountId: REGISTRY,
        version: 7,
        approvalDescription: 'Looks good',
        lastModifiedBy: 'ana',
        containers: [
          {
            image: 'xgboost:7',
            imageDigest: 'sha256:abc',
            modelDataUrl: 's3://m/7.tar.gz',
            framework: 'XGBOOST',
          },
        ],
        transformInstanceTypes: ['ml.m5.xlarge'],
        metricsReports: [
          {
            kind: 'ModelQuality.Statistics',
            s3Uri: 's3://m/7/stats.json',
            contentType: 'application/json',
          },
        ],
        customerMetadata: { f1: '0.8', dataset: 'oct' },
        metrics: { f1: 0.8 },
        modelLifeCycle: { stage: 'Staging', stageStatus: 'Approved' },
      });
      expect(
        sagemaker.commandCalls(DescribeModelPackageCommand)[0].args[0].input,
      ).toEqual({ ModelPackageName: versionArn('fraud', 7) });
    });

    it('answers an unknown version with 404', async () => {
      sagemaker.on(DescribeModelPackageCommand).rejects(
        Object.assign(new Error('Model package fraud/99 does not exist.'), {
          name: 'ValidationException',
          $metadata: { httpStatusCode: 400 },
        }),
      );
      const res = await request(server).get(
        '/api/sagemaker/entities/component/default/fraud/versions/99',
      );
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain('does not exist');
    });

    it('asks which group when the entity names several, and refuses bad versions', async () => {
      const base = '/api/sagemaker/entities/component/default/two/versions';
      const ambiguous = await request(server).get(`${base}/1`);
      expect(ambiguous.status).toBe(400);
      expect(ambiguous.body.error.message).toContain('group');
      for (const bad of ['0', '-1', '1.5', 'abc']) {
        const res = await request(server)
          .get(`${base}/${bad}`)
          .query({ group: GROUP });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('version');
      }
      expect(sagemaker.calls()).toHaveLength(0);
    });
  });

  describe('GET /entities/:kind/:namespace/:name/endpoints', () => {
    it('lists the endpoints in target accounts that serve the entity’s versions', async () => {
      const endpointRecord = (
        name: string,
        status: 'InService' | 'Updating',
        tags: { Key: string; Value: string }[],
      ) => ({
        Endpoint: {
          EndpointName: name,
          EndpointArn: `arn:aws:sagemaker:us-east-1:${STAGING}:endpoint/${name}`,
          EndpointConfigName: `${name.split('-')[0]}-config`,
          EndpointStatus: status,
          CreationTime: created,
          LastModifiedTime: created,
          Tags: tags,
        },
      });
      // Tagged by the plugin: found by the group tag. Untagged (made outside
      // Backstage): found by the bounded discovery.
      sagemaker.on(SearchCommand).callsFake(input => {
        const filters = input.SearchExpression?.Filters ?? [];
        if (filters.some((f: any) => f.Operator === 'NotExists')) {
          return {
            Results: [endpointRecord('churn-staging', 'InService', [])],
          };
        }
        return {
          Results: filters.some((f: any) => f.Value === GROUP)
            ? [
                endpointRecord('fraud-staging', 'Updating', [
                  { Key: GROUP_TAG, Value: GROUP },
                ]),
              ]
            : [],
        };
      });
      sagemaker
        .on(DescribeEndpointConfigCommand, {
          EndpointConfigName: 'fraud-config',
        })
        .resolves({
          ProductionVariants: [
            {
              VariantName: 'AllTraffic',
              ModelName: 'fraud-model-7',
              InstanceType: 'ml.m5.large',
              InitialInstanceCount: 2,
            },
          ],
        })
        .on(DescribeEndpointConfigCommand, {
          EndpointConfigName: 'churn-config',
        })
        .resolves({
          ProductionVariants: [
            { VariantName: 'AllTraffic', ModelName: 'churn-model' },
          ],
        });
      sagemaker
        .on(DescribeModelCommand, { ModelName: 'fraud-model-7' })
        .resolves({
          Containers: [{ ModelPackageName: versionArn('fraud', 7) }],
        })
        .on(DescribeModelCommand, { ModelName: 'churn-model' })
        .resolves({
          PrimaryContainer: { ModelPackageName: versionArn('churn', 3) },
        });

      const res = await request(server).get(
        '/api/sagemaker/entities/component/default/fraud/endpoints',
      );
      expect(res.status).toBe(200);
      expect(res.body.discoveryTruncated).toEqual([]);
      expect(res.body.endpoints).toEqual([
        {
          target: 'staging',
          accountId: STAGING,
          region: 'us-east-1',
          endpointName: 'fraud-staging',
          endpointArn: `arn:aws:sagemaker:us-east-1:${STAGING}:endpoint/fraud-staging`,
          status: 'Updating',
          createdAt: created.toISOString(),
          lastModifiedAt: created.toISOString(),
          variants: [
            {
              variantName: 'AllTraffic',
              modelName: 'fraud-model-7',
              instanceType: 'ml.m5.large',
              instanceCount: 2,
              versionArn: versionArn('fraud', 7),
              groupName: 'fraud',
              version: 7,
            },
          ],
        },
      ]);
      // Two Searches and config + model for each endpoint found.
      expect(sagemaker.commandCalls(SearchCommand)).toHaveLength(2);
      expect(sagemaker.calls()).toHaveLength(2 + 2 * 2);
      // The discovery of a target is shared by every entity until the TTL
      // ends; another entity costs its own tag query and what it finds.
      const calls = sagemaker.calls().length;
      const other = await request(server).get(
        '/api/sagemaker/entities/component/default/two/endpoints',
      );
      expect(other.body.endpoints.map((e: any) => e.endpointName)).toEqual([
        'fraud-staging',
        'churn-staging',
      ]);
      expect(sagemaker.calls()).toHaveLength(calls + 3);
    });
  });

  describe('entity resolution', () => {
    it.each([
      ['nobody', 404, 'component:default/nobody was not found'],
      [
        'plain',
        404,
        `no ${SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION} annotation`,
      ],
      [
        'malformed',
        400,
        "'arn:aws:s3:::not-a-group' is not a model package group ARN",
      ],
      ['unconfigured', 400, 'account 999999999999, which is not configured'],
    ])('answers %s with %d', async (name, status, message) => {
      for (const route of ['groups', 'versions', 'versions/1', 'endpoints']) {
        const res = await request(server).get(
          `/api/sagemaker/entities/component/default/${name}/${route}`,
        );
        expect(res.status).toBe(status);
        expect(res.body.error.message).toContain(message);
      }
      expect(sagemaker.calls()).toHaveLength(0);
    });

    it('refuses a group the entity does not name, with no AWS call', async () => {
      const res = await request(server)
        .get('/api/sagemaker/entities/component/default/fraud/versions')
        .query({ group: OTHER_GROUP });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain(
        `does not name model package group '${OTHER_GROUP}'`,
      );
      expect(sagemaker.calls()).toHaveLength(0);
    });

    it('refuses malformed entity paths', async () => {
      const res = await request(server).get(
        '/api/sagemaker/entities/component/default/-bad-/versions',
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('name');
    });
  });

  describe('AWS failures', () => {
    const fail = (name: string, message: string, status: number) =>
      Object.assign(new Error(message), {
        name,
        $metadata: { httpStatusCode: status, requestId: 'rid-1' },
      });

    it('maps AccessDenied to 403 naming the account and action', async () => {
      sagemaker
        .on(ListModelPackagesCommand)
        .rejects(fail('AccessDeniedException', 'not authorized', 400));
      const res = await request(server).get(
        '/api/sagemaker/entities/component/default/fraud/versions',
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(`account ${REGISTRY}`);
      expect(res.body.error.message).toContain('sagemaker:ListModelPackages');
      expect(res.body.error.message).toContain('rid-1');
    });

    it('maps throttling to 503', async () => {
      sagemaker
        .on(DescribeModelPackageGroupCommand)
        .rejects(fail('ThrottlingException', 'Rate exceeded', 400));
      const res = await request(server).get(
        '/api/sagemaker/entities/component/default/fraud/groups',
      );
      expect(res.status).toBe(503);
      expect(res.body.error.message).toContain('throttling');
    });

    it('maps a validation error to 400', async () => {
      sagemaker
        .on(ListModelPackagesCommand)
        .rejects(fail('ValidationException', 'NextToken is invalid', 400));
      const res = await request(server).get(
        '/api/sagemaker/entities/component/default/fraud/versions',
      );
      expect(res.status).toBe(400);
    });
  });
});
