import { readinessCheckForFailure } from './readiness';

describe('readinessCheckForFailure', () => {
  it.each([
    [
      'Could not access model data at s3://b/k: the execution role "arn:aws:iam::3:role/E" is not authorized to perform kms:Decrypt on the KMS key arn:aws:kms:us-east-1:1:key/k that encrypts it.',
      'artifacts-key',
    ],
    [
      'Could not access model data at s3://b/k. Please ensure that the role "arn" exists and that its trust relationship policy allows the action "sts:AssumeRole" for the service principal "sagemaker.amazonaws.com". Also ensure that the role has "s3:GetObject" permissions and that the object is located in us-east-1.',
      'artifacts-bucket',
    ],
    [
      'Please make sure all images included in the model for the production variant AllTraffic exist, and that the execution role used to create the model has permissions to access them.',
      'image-repository',
    ],
    [
      'User: arn:aws:sts::3:assumed-role/B/s is not authorized to perform: iam:PassRole on resource: arn:aws:iam::3:role/E because no identity-based policy allows the iam:PassRole action',
      'pass-role',
    ],
    [
      "Could not assume role arn:aws:iam::3:role/E. Please ensure that the role exists and allows principal 'sagemaker.amazonaws.com' to assume the role.",
      'execution-role-trust',
    ],
    [
      'User: arn:aws:sts::3:assumed-role/B/s is not authorized to perform: sagemaker:CreateModel on resource: arn:aws:sagemaker:us-east-1:1:model-package/g/1 because no resource-based policy allows the sagemaker:CreateModel action',
      'group-policy',
    ],
  ])('maps %s', (message, kind) => {
    expect(readinessCheckForFailure(message)).toBe(kind);
  });

  it('says nothing for failures that are not about a grant', () => {
    expect(
      readinessCheckForFailure(
        'The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint.',
      ),
    ).toBeUndefined();
  });
});
