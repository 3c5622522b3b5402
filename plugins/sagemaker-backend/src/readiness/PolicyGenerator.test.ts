import { parseModelPackageGroupArn } from '@internal/backstage-plugin-sagemaker-common';
import { DeploymentTarget } from '../config/SageMakerConfig';
import { toCloudFormation } from './cloudFormation';
import { noArtifacts, PolicyGenerator } from './PolicyGenerator';

const production: DeploymentTarget = {
  name: 'production',
  title: 'Production',
  accountId: '333333333333',
  region: 'us-east-1',
  executionRoleArn: 'arn:aws:iam::333333333333:role/SageMakerExecutionRole',
  instanceTypes: ['ml.m5.xlarge'],
  maxInstanceCount: 2,
  enableNetworkIsolation: false,
  tags: {},
  requires: [],
  vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-1'] },
};
const group = parseModelPackageGroupArn(
  'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud-detection',
)!;
const generator = new PolicyGenerator(
  new Map([
    [
      '111111111111',
      { roleArn: 'arn:aws:iam::111111111111:role/BackstageSageMakerAccess' },
    ],
    [
      '333333333333',
      { roleArn: 'arn:aws:iam::333333333333:role/BackstageSageMakerAccess' },
    ],
  ]),
);
const refs = {
  ...noArtifacts(),
  buckets: new Map([
    [
      'ml-models',
      new Set([
        'fraud-detection/v1/model.tar.gz',
        'fraud-detection/v2/model.tar.gz',
      ]),
    ],
  ]),
  keys: new Set(['arn:aws:kms:us-east-1:111111111111:key/k1']),
  repositories: new Set([
    'arn:aws:ecr:us-east-1:111111111111:repository/fraud',
  ]),
};

const statements = (id: string) =>
  generator
    .all([group], refs, [production], () => '111111111111')
    .find(p => p.id === id)!.document.Statement;

describe('PolicyGenerator', () => {
  it("lets the backend pass only that target's execution role, only to SageMaker", () => {
    const pass = statements('backend-target:production').find(
      s => s.Sid === 'PassExecutionRole',
    )!;
    expect(pass).toEqual({
      Sid: 'PassExecutionRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: production.executionRoleArn,
      Condition: {
        StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' },
      },
    });
  });

  it("lets the backend's registry role read the metrics reports: GetObject and Decrypt on the artifacts' key", () => {
    const registry = statements('backend-registry:111111111111');
    expect(
      registry.find(s => s.Sid === 'ReadArtifactPolicies')!.Action,
    ).toContain('s3:GetObject');
    expect(registry.find(s => s.Sid === 'DecryptMetricsReports')).toEqual({
      Sid: 'DecryptMetricsReports',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: ['arn:aws:kms:us-east-1:111111111111:key/k1'],
    });
  });

  it('never grants a wildcard action', () => {
    const all = generator.all(
      [group],
      refs,
      [production],
      () => '111111111111',
    );
    for (const policy of all) {
      for (const statement of policy.document.Statement) {
        const actions = [statement.Action].flat();
        expect(actions.filter(a => a === '*' || a.endsWith(':*'))).toEqual([]);
      }
    }
  });

  it('scopes the execution role to the objects, keys and repositories the versions use', () => {
    const exec = statements('execution-role:production');
    expect(exec.find(s => s.Sid === 'ReadModelArtifacts')!.Resource).toEqual([
      'arn:aws:s3:::ml-models/fraud-detection/*',
    ]);
    expect(exec.find(s => s.Sid === 'DecryptModelArtifacts')!.Resource).toEqual(
      ['arn:aws:kms:us-east-1:111111111111:key/k1'],
    );
    expect(exec.find(s => s.Sid === 'PullImages')!.Resource).toEqual([
      'arn:aws:ecr:us-east-1:111111111111:repository/fraud',
    ]);
    expect(exec.find(s => s.Sid === 'RunInVpc')).toBeDefined();
  });

  it("grants the group to the target account's backend role, not the whole account", () => {
    const deploy = statements(`group-policy:${group.arn}`).find(
      s => s.Sid === 'DeployVersions',
    )!;
    expect(deploy.Principal).toEqual({
      AWS: ['arn:aws:iam::333333333333:role/BackstageSageMakerAccess'],
    });
    expect(deploy.Resource).toBe(
      'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/*',
    );
  });

  it('writes one CloudFormation template per account, with role and bucket policies as resources', () => {
    const templates = toCloudFormation(
      generator.all([group], refs, [production], () => '111111111111'),
    );
    expect(templates.map(t => t.accountId)).toEqual([
      '111111111111',
      '333333333333',
    ]);
    const registry = templates[0].template as any;
    const types = Object.values(registry.Resources).map((r: any) => r.Type);
    expect(types).toEqual(
      expect.arrayContaining(['AWS::IAM::RolePolicy', 'AWS::S3::BucketPolicy']),
    );
    const merges = registry.Metadata['Backstage::SageMaker::MergeIntoExisting'];
    expect(merges.map((m: any) => m.property)).toEqual(
      expect.arrayContaining([
        'AWS::KMS::Key KeyPolicy',
        'AWS::ECR::Repository RepositoryPolicyText',
        'AWS::SageMaker::ModelPackageGroup ModelPackageGroupPolicy',
      ]),
    );
    const target = templates[1].template as any;
    expect(
      Object.values(target.Resources).every(
        (r: any) => r.Type === 'AWS::IAM::RolePolicy',
      ),
    ).toBe(true);
    expect(
      target.Metadata['Backstage::SageMaker::MergeIntoExisting'][0].property,
    ).toBe('AWS::IAM::Role AssumeRolePolicyDocument');
  });
});
