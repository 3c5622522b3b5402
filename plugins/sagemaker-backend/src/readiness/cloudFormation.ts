import { GeneratedPolicy } from '@internal/backstage-plugin-sagemaker-common';

function logicalId(policy: GeneratedPolicy): string {
  const words = policy.id.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words
    .map(w => w[0].toUpperCase() + w.slice(1))
    .join('')
    .slice(0, 255);
}

/**
 * The generated policies as one CloudFormation template per account.
 * Role policies and bucket policies are resources of their own
 * (AWS::IAM::RolePolicy, AWS::S3::BucketPolicy). A key policy, a repository
 * policy, a model package group policy and a trust policy are properties of
 * the resource that owns them, which the template cannot take over, so they
 * are listed under Metadata with the property to merge them into.
 */
export function toCloudFormation(
  policies: GeneratedPolicy[],
): Array<{ accountId: string; template: object }> {
  const accounts = [...new Set(policies.map(p => p.accountId))].sort();
  return accounts.map(accountId => {
    const resources: Record<string, object> = {};
    const merge: object[] = [];
    for (const policy of policies.filter(p => p.accountId === accountId)) {
      if (policy.kind === 'identity' && policy.attachTo.includes(':role/')) {
        resources[logicalId(policy)] = {
          Type: 'AWS::IAM::RolePolicy',
          Properties: {
            RoleName: policy.attachTo.split('/').pop(),
            PolicyName: `backstage-sagemaker-${policy.id.split(':')[0]}`,
            PolicyDocument: policy.document,
          },
        };
      } else if (policy.id.startsWith('bucket-policy:')) {
        resources[logicalId(policy)] = {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: policy.attachTo.replace('arn:aws:s3:::', ''),
            PolicyDocument: policy.document,
          },
        };
      } else {
        merge.push({
          where: policy.where,
          property: propertyFor(policy),
          document: policy.document,
        });
      }
    }
    return {
      accountId,
      template: {
        AWSTemplateFormatVersion: '2010-09-09',
        Description: `Grants for deploying SageMaker model versions from Backstage (account ${accountId})`,
        Resources: resources,
        ...(merge.length
          ? { Metadata: { 'Backstage::SageMaker::MergeIntoExisting': merge } }
          : {}),
      },
    };
  });
}

function propertyFor(policy: GeneratedPolicy): string {
  if (policy.id.startsWith('key-policy:')) {
    return 'AWS::KMS::Key KeyPolicy';
  }
  if (policy.id.startsWith('repository-policy:')) {
    return 'AWS::ECR::Repository RepositoryPolicyText';
  }
  if (policy.id.startsWith('group-policy:')) {
    return 'AWS::SageMaker::ModelPackageGroup ModelPackageGroupPolicy';
  }
  if (policy.kind === 'trust') {
    return 'AWS::IAM::Role AssumeRolePolicyDocument';
  }
  return 'the identity the backend uses';
}
