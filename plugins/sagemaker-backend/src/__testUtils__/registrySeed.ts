import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PutModelPackageGroupPolicyCommand } from '@aws-sdk/client-sagemaker';

const STATIC = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * An AWS SDK client inside an emulated account, reached the way production
 * reaches it: STS AssumeRole from the main account's credentials.
 */
export async function clientInAccount<C>(
  ClientClass: new (config: {
    endpoint: string;
    region: string;
    credentials: {
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken?: string;
    };
  }) => C,
  endpoint: string,
  accountId: string,
  region = 'us-east-1',
  roleName = 'TestSeeder',
): Promise<C> {
  const sts = new STSClient({ endpoint, region, credentials: STATIC });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
      RoleSessionName: 'test-seed',
    }),
  );
  return new ClientClass({
    endpoint,
    region,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    },
  });
}

/** A SageMaker client inside an emulated account, as `roleName`. */
export function sageMakerInAccount(
  endpoint: string,
  accountId: string,
  region = 'us-east-1',
  roleName = 'TestSeeder',
): Promise<SageMakerClient> {
  return clientInAccount(
    SageMakerClient,
    endpoint,
    accountId,
    region,
    roleName,
  );
}

const policy = (Statement: object[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement });

/**
 * Puts in place every grant a cross-account deploy of the groups'
 * versions needs (the emulator refuses the deploy otherwise, as AWS does):
 * the model data in the registry's `models` bucket with a bucket policy,
 * the groups' resource policies, and in each target account the execution
 * role (trusting SageMaker, reading the bucket) and the backend's role,
 * allowed to pass it. Images are AWS's own, which need no grant.
 */
export async function grantDeploys(
  endpoint: string,
  options: {
    registry: string;
    groups: Array<{ name: string; versions: number }>;
    targets: string[];
  },
): Promise<void> {
  const executionRoles = options.targets.map(
    a => `arn:aws:iam::${a}:role/SageMakerExecutionRole`,
  );
  const s3 = await clientInAccount(S3Client, endpoint, options.registry);
  await s3.send(new CreateBucketCommand({ Bucket: 'models' })).catch(error => {
    if (!/BucketAlreadyOwnedByYou/.test(String(error?.name))) throw error;
  });
  for (const group of options.groups) {
    for (let i = 1; i <= group.versions; i++) {
      await s3.send(
        new PutObjectCommand({
          Bucket: 'models',
          Key: `${group.name}/v${i}/model.tar.gz`,
          Body: 'model',
        }),
      );
    }
  }
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: 'models',
      Policy: policy([
        {
          Effect: 'Allow',
          Principal: { AWS: executionRoles },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::models/*',
        },
      ]),
    }),
  );
  const sagemaker = await sageMakerInAccount(endpoint, options.registry);
  for (const group of options.groups) {
    await sagemaker.send(
      new PutModelPackageGroupPolicyCommand({
        ModelPackageGroupName: group.name,
        ResourcePolicy: policy([
          {
            Effect: 'Allow',
            Principal: {
              AWS: options.targets.map(a => `arn:aws:iam::${a}:root`),
            },
            Action: ['sagemaker:DescribeModelPackage', 'sagemaker:CreateModel'],
            Resource: `arn:aws:sagemaker:us-east-1:${options.registry}:model-package/${group.name}/*`,
          },
        ]),
      }),
    );
  }
  for (const [i, account] of options.targets.entries()) {
    const iam = await clientInAccount(IAMClient, endpoint, account);
    const ensureRole = async (name: string, trust: object) => {
      await iam
        .send(
          new CreateRoleCommand({
            RoleName: name,
            AssumeRolePolicyDocument: policy([trust]),
          }),
        )
        .catch(error => {
          if (!/EntityAlreadyExists/.test(String(error?.name))) throw error;
        });
    };
    await ensureRole('SageMakerExecutionRole', {
      Effect: 'Allow',
      Principal: { Service: 'sagemaker.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'SageMakerExecutionRole',
        PolicyName: 'ModelArtifactsAccess',
        PolicyDocument: policy([
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::models/*',
          },
        ]),
      }),
    );
    await ensureRole('BackstageSageMakerAccess', {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${options.registry}:root` },
      Action: 'sts:AssumeRole',
    });
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'BackstageSageMakerAccess',
        PolicyName: 'Deploy',
        PolicyDocument: policy([
          { Effect: 'Allow', Action: 'sagemaker:*', Resource: '*' },
          {
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: executionRoles[i],
            Condition: {
              StringEquals: {
                'iam:PassedToService': 'sagemaker.amazonaws.com',
              },
            },
          },
        ]),
      }),
    );
  }
}

/** Registers a group with `count` versions, alternating approval states. */
export async function registerGroup(
  client: SageMakerClient,
  name: string,
  count: number,
): Promise<void> {
  await client.send(
    new CreateModelPackageGroupCommand({ ModelPackageGroupName: name }),
  );
  for (let i = 1; i <= count; i++) {
    await client.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: name,
        ModelPackageDescription: `${name} v${i}`,
        ModelApprovalStatus: i % 3 === 0 ? 'Approved' : undefined,
        InferenceSpecification: {
          Containers: [
            {
              Image: `763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost-inference:1.7-${i}`,
              ModelDataUrl: `s3://models/${name}/v${i}/model.tar.gz`,
            },
          ],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
          SupportedRealtimeInferenceInstanceTypes: ['ml.m5.large'],
        },
        CustomerMetadataProperties: { accuracy: String(0.8 + i / 1000) },
      }),
    );
  }
}
