// Direct SDK access to the emulated accounts, through STS as in production,
// so the suites (and the bench's baselines) can check what SageMaker itself
// says.
import {
  CreateModelPackageCommand,
  DescribeEndpointCommand,
  DescribeModelPackageCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

/**
 * An AWS SDK client in an emulated account, with credentials from STS
 * AssumeRole at `endpoint`; `serviceEndpoint` sends the service's calls
 * elsewhere (the bench's counting proxy).
 */
export async function awsClientIn(
  ClientClass,
  endpoint,
  accountId,
  {
    serviceEndpoint = endpoint,
    roleName = 'E2EChecker',
    sessionName = 'e2e',
  } = {},
) {
  const sts = new STSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
      RoleSessionName: sessionName,
    }),
  );
  return new ClientClass({
    endpoint: serviceEndpoint,
    region: 'us-east-1',
    credentials: {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
    },
  });
}

/** A SageMaker client in an emulated account (see awsClientIn). */
export function sageMakerIn(
  endpoint,
  accountId,
  { sageMakerEndpoint, ...options } = {},
) {
  return awsClientIn(SageMakerClient, endpoint, accountId, {
    serviceEndpoint: sageMakerEndpoint,
    ...options,
  });
}

export async function describeVersion(client, group, version) {
  return client.send(
    new DescribeModelPackageCommand({
      ModelPackageName: `arn:aws:sagemaker:us-east-1:111111111111:model-package/${group}/${version}`,
    }),
  );
}

export async function describeEndpoint(client, name) {
  return client.send(new DescribeEndpointCommand({ EndpointName: name }));
}

/**
 * Registers a new version of a group straight through the SDK, as a
 * training pipeline does, serving the same artifacts as `likeVersion`;
 * returns its number.
 */
export async function registerVersion(client, group, likeVersion) {
  const like = await describeVersion(client, group, likeVersion);
  const { ModelPackageArn } = await client.send(
    new CreateModelPackageCommand({
      ModelPackageGroupName: group,
      ModelPackageDescription: 'Registered through the SDK by a pipeline',
      InferenceSpecification: like.InferenceSpecification,
      ModelApprovalStatus: 'PendingManualApproval',
    }),
  );
  return Number(ModelPackageArn.split('/').pop());
}

/** Sets a version's approval straight through the SDK, as Studio does. */
export async function setApproval(client, group, version, status) {
  await client.send(
    new UpdateModelPackageCommand({
      ModelPackageArn: `arn:aws:sagemaker:us-east-1:111111111111:model-package/${group}/${version}`,
      ModelApprovalStatus: status,
      ApprovalDescription: `${status} in SageMaker Studio`,
    }),
  );
}
