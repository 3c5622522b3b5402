// The baseline for the plugin's preflight: the same AWS reads a script would
// make to check one deploy (demand-forecast → production in the demo) by
// hand, made directly with the SDK from the bench process, sequentially, as
// the plugin makes them. It reads; it decides nothing.
import {
  BatchDescribeModelPackageCommand,
  GetModelPackageGroupPolicyCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { ECRClient, GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import {
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { awsClientIn } from '../e2e/aws.mjs';

const REGISTRY = '111111111111';
const PRODUCTION = '333333333333';

/** Clients as the backend has them: its role in each account, through STS. */
export async function preflightClients(endpoint, sageMakerEndpoint) {
  const as = (ClientClass, account, serviceEndpoint = endpoint) =>
    awsClientIn(ClientClass, endpoint, account, {
      serviceEndpoint,
      roleName: 'BackstageSageMakerAccess',
      sessionName: 'bench',
    });
  return {
    sagemaker: await as(SageMakerClient, REGISTRY, sageMakerEndpoint),
    s3: await as(S3Client, REGISTRY),
    kms: await as(KMSClient, REGISTRY),
    ecr: await as(ECRClient, REGISTRY),
    iam: await as(IAMClient, PRODUCTION),
    ec2: await as(EC2Client, PRODUCTION),
    productionKms: await as(KMSClient, PRODUCTION),
  };
}

/** The reads, one after another; returns how many calls were made. */
export async function directPreflight(c) {
  let calls = 0;
  const send = async (client, command) => {
    calls += 1;
    return client.send(command).catch(error => ({ error }));
  };
  const group = 'demand-forecast';
  const listed = await send(
    c.sagemaker,
    new ListModelPackagesCommand({
      ModelPackageGroupName: group,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 100,
    }),
  );
  const arns = listed.ModelPackageSummaryList.map(s => s.ModelPackageArn);
  const described = await send(
    c.sagemaker,
    new BatchDescribeModelPackageCommand({ ModelPackageArnList: arns }),
  );
  const newest = Object.values(described.ModelPackageSummaries).sort(
    (a, b) => b.ModelPackageVersion - a.ModelPackageVersion,
  )[0];
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(
    newest.InferenceSpecification.Containers[0].ModelDataUrl,
  );
  await send(c.s3, new GetBucketEncryptionCommand({ Bucket: bucket }));
  const head = await send(
    c.s3,
    new HeadObjectCommand({ Bucket: bucket, Key: key }),
  );
  await send(
    c.sagemaker,
    new GetModelPackageGroupPolicyCommand({ ModelPackageGroupName: group }),
  );
  for (const role of ['SageMakerExecutionRole', 'BackstageSageMakerAccess']) {
    await send(c.iam, new GetRoleCommand({ RoleName: role }));
    const names = await send(
      c.iam,
      new ListRolePoliciesCommand({ RoleName: role }),
    );
    for (const name of names.PolicyNames ?? []) {
      await send(
        c.iam,
        new GetRolePolicyCommand({ RoleName: role, PolicyName: name }),
      );
    }
    await send(c.iam, new ListAttachedRolePoliciesCommand({ RoleName: role }));
  }
  await send(
    c.ecr,
    new GetRepositoryPolicyCommand({
      registryId: REGISTRY,
      repositoryName: 'demand-forecast-inference',
    }),
  );
  await send(c.s3, new GetBucketLocationCommand({ Bucket: bucket }));
  await send(c.s3, new GetBucketPolicyCommand({ Bucket: bucket }));
  for (const keyId of new Set([head.SSEKMSKeyId].filter(Boolean))) {
    await send(
      c.kms,
      new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }),
    );
  }
  await send(
    c.ec2,
    new DescribeSubnetsCommand({
      SubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
    }),
  );
  await send(
    c.ec2,
    new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0a1b2c3d4e5f60003'] }),
  );
  await send(
    c.productionKms,
    new DescribeKeyCommand({
      KeyId:
        'arn:aws:kms:us-east-1:333333333333:key/2f9c1d7e-5b8a-4c3e-9f10-6d2b7a8e4c11',
    }),
  );
  return calls;
}
