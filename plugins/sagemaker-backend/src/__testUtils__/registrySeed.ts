import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

const STATIC = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * A SageMaker client inside an emulated account, reached the way production
 * reaches it: STS AssumeRole from the main account's credentials.
 */
export async function sageMakerInAccount(
  endpoint: string,
  accountId: string,
  region = 'us-east-1',
): Promise<SageMakerClient> {
  const sts = new STSClient({ endpoint, region, credentials: STATIC });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/TestSeeder`,
      RoleSessionName: 'test-seed',
    }),
  );
  return new SageMakerClient({
    endpoint,
    region,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    },
  });
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
