// Direct SDK access to the emulated accounts, through STS as in production,
// so the suites (and the bench's baselines) can check what SageMaker itself
// says.
import {
  DescribeEndpointCommand,
  DescribeModelPackageCommand,
  SageMakerClient,
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
