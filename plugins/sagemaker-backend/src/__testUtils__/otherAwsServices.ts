import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * Mocks of the services the readiness checks read (IAM, S3, KMS, ECR, EC2),
 * for tests whose subject is elsewhere. `emptyAccount()` makes every read
 * answer like an account with nothing in it.
 */
export function mockOtherAwsServices() {
  const mocks = [IAMClient, S3Client, KMSClient, ECRClient, EC2Client].map(
    client => mockClient(client as typeof IAMClient),
  );
  return {
    emptyAccount() {
      for (const mock of mocks) {
        mock.reset();
        mock.onAnyCommand().resolves({});
      }
    },
  };
}
