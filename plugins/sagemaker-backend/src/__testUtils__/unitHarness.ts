import { DescribeModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';
import { ConfigReader } from '@backstage/config';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { SageMakerClientFactory } from '../aws/SageMakerClientFactory';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { DeploymentTarget } from '../config/SageMakerConfig';
import { DatabaseSageMakerStore } from '../database/DatabaseSageMakerStore';
import { NewDeployment } from '../database/SageMakerStore';
import { HistoryRecorder } from '../service/HistoryRecorder';
import { toVersionDetails } from '../service/mappers';
import {
  ModelPackageGroupArn,
  numericMetadata,
} from '@internal/backstage-plugin-sagemaker-common';
import { REGISTRY, STAGING, staticKeysConfig, versionArn } from './fixtures';

/** The staging target of the unit tests, with every optional setting used. */
export const stagingTarget: DeploymentTarget = {
  name: 'staging',
  title: 'Staging',
  accountId: STAGING,
  region: 'us-east-1',
  executionRoleArn: `arn:aws:iam::${STAGING}:role/SageMakerExecutionRole`,
  instanceTypes: ['ml.m5.large'],
  maxInstanceCount: 2,
  kmsKeyId: 'alias/endpoint-storage',
  enableNetworkIsolation: true,
  vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-1'] },
  tags: { team: 'ml' },
  requires: [],
};

/** A deployment of version 3 of `fraud` to staging, as the actions service creates it. */
export function newDeployment(overrides: Partial<NewDeployment> = {}) {
  return {
    id: 'd-1',
    requestedBy: 'user:default/ana',
    requestHash: 'hash',
    entityRef: 'component:default/fraud',
    groupArn: `arn:aws:sagemaker:us-east-1:${REGISTRY}:model-package-group/fraud`,
    versionArn: versionArn('fraud', 3),
    version: 3,
    target: stagingTarget.name,
    accountId: STAGING,
    region: 'us-east-1',
    endpointName: 'fraud-staging',
    instanceType: 'ml.m5.large',
    instanceCount: 1,
    mode: 'create',
    modelName: 'fraud-staging-v3-d1',
    endpointConfigName: 'fraud-staging-v3-d1',
    ...overrides,
  } satisfies NewDeployment;
}

/** An error as the AWS SDK throws it: a code, an HTTP status and a request id. */
export function awsError(
  name: string,
  message: string,
  status = 400,
  requestId = 'req-1',
) {
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status, requestId },
  });
}

/**
 * What the protocol's unit tests share: the real store on SQLite, the real
 * gateway and history recorder, and SDK clients that `aws-sdk-client-mock`
 * answers (static keys per account, so no STS; one attempt, so a mocked
 * failure is not retried).
 */
export async function createUnitHarness(databases: TestDatabases) {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseSageMakerStore.create({
    database: { getClient: async () => knex },
  });
  const gateway = new SageMakerGateway(
    new SageMakerClientFactory({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(
        new ConfigReader(staticKeysConfig([REGISTRY, STAGING])),
      ),
      requestTimeoutMs: 1000,
      maxAttempts: 1,
      accountRoles: new Map(),
      attributeWritesToUser: false,
    }),
  );
  const logger = mockServices.logger.mock();
  const history = new HistoryRecorder(
    store,
    mockServices.auditor.mock(),
    logger,
  );
  return { store, gateway, history, logger };
}

/** Waits until `check` holds, for work started in the background. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await new Promise(r => setTimeout(r, 10));
  }
}

/**
 * The registry service as the actions service uses it: a spy for cache
 * invalidation, and a version's details mapped from its description with the
 * metadata's metrics (no S3 reports).
 */
export function unitRegistry() {
  return {
    invalidateGroup: jest.fn(async (_group: string) => {}),
    versionDetails: async (
      group: ModelPackageGroupArn,
      described: DescribeModelPackageCommandOutput,
    ) =>
      toVersionDetails(described, group, [], {
        metrics: numericMetadata(described.CustomerMetadataProperties),
      }),
  };
}
