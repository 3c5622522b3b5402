import { identityAllows, resourcePolicyAllows } from './evaluateAccess';

const EXEC = 'arn:aws:iam::333333333333:role/SageMakerExecutionRole';
const KEY = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd';

describe('evaluateAccess', () => {
  const keyPolicy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Principal: {
          AWS: 'arn:aws:iam::222222222222:role/SageMakerExecutionRole',
        },
        Action: ['kms:Decrypt'],
        Resource: '*',
      },
    ],
  };
  const decrypt = (principal: string) => ({
    principal,
    action: 'kms:Decrypt',
    resource: KEY,
    resourceAccountId: '111111111111',
  });

  it('says whether a key policy grants a role of another account', () => {
    expect(resourcePolicyAllows(decrypt(EXEC), keyPolicy)).toBe(
      'ImplicitlyDenied',
    );
    expect(
      resourcePolicyAllows(
        decrypt('arn:aws:iam::222222222222:role/SageMakerExecutionRole'),
        keyPolicy,
      ),
    ).toBe('Allowed');
  });

  it('reads a grant to the account root as a grant to its roles', () => {
    expect(
      resourcePolicyAllows(
        decrypt('arn:aws:iam::111111111111:role/Anything'),
        keyPolicy,
      ),
    ).toBe('Allowed');
  });

  it('answers for the resource policy alone, even in the same account', () => {
    expect(
      resourcePolicyAllows(
        {
          ...decrypt('arn:aws:iam::111111111111:role/Anything'),
          resourceAccountId: '111111111111',
          action: 'kms:Decrypt',
        },
        { Version: '2012-10-17', Statement: [] },
      ),
    ).toBe('ImplicitlyDenied');
    expect(resourcePolicyAllows(decrypt(EXEC), undefined)).toBe(
      'ImplicitlyDenied',
    );
  });

  it('honours conditions and explicit denies in identity policies', () => {
    const passRole = (service: string) => ({
      principal: 'arn:aws:iam::333333333333:role/BackstageSageMakerAccess',
      action: 'iam:PassRole',
      resource: EXEC,
      resourceAccountId: '333333333333',
      context: { 'iam:PassedToService': service },
    });
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: EXEC,
          Condition: {
            StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' },
          },
        },
      ],
    };
    expect(identityAllows(passRole('sagemaker.amazonaws.com'), [policy])).toBe(
      'Allowed',
    );
    expect(identityAllows(passRole('ec2.amazonaws.com'), [policy])).toBe(
      'ImplicitlyDenied',
    );
    const deny = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }],
    };
    expect(
      identityAllows(passRole('sagemaker.amazonaws.com'), [policy, deny]),
    ).toBe('ExplicitlyDenied');
  });

  it('decides a cross-account CreateModel on the group policy (seed 002)', () => {
    const groupPolicy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AddPermModelPackageVersion',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::222222222222:root'] },
          Action: ['sagemaker:DescribeModelPackage', 'sagemaker:CreateModel'],
          Resource:
            'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/*',
        },
      ],
    };
    const createModel = (account: string) => ({
      principal: `arn:aws:iam::${account}:role/BackstageSageMakerAccess`,
      action: 'sagemaker:CreateModel',
      resource:
        'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-detection/3',
      resourceAccountId: '111111111111',
    });
    expect(resourcePolicyAllows(createModel('222222222222'), groupPolicy)).toBe(
      'Allowed',
    );
    expect(resourcePolicyAllows(createModel('333333333333'), groupPolicy)).toBe(
      'ImplicitlyDenied',
    );
  });
});

describe('evaluateAccess with unusable policies', () => {
  it('treats an empty or malformed document as granting nothing', () => {
    const request = {
      principal: 'sagemaker.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: 'arn:aws:iam::333333333333:role/X',
      resourceAccountId: '333333333333',
    };
    expect(resourcePolicyAllows(request, {})).toBe('ImplicitlyDenied');
    expect(
      resourcePolicyAllows(request, { Statement: [{ Effect: 'Maybe' }] }),
    ).toBe('ImplicitlyDenied');
    expect(identityAllows(request, [{}, { Statement: 'x' }])).toBe(
      'ImplicitlyDenied',
    );
  });
});

describe('identityAllows across accounts', () => {
  it('answers for the identity policy alone when the resource is in another account', () => {
    expect(
      identityAllows(
        {
          principal: EXEC,
          action: 's3:GetObject',
          resource: 'arn:aws:s3:::models/fraud/v1/model.tar.gz',
          resourceAccountId: '111111111111',
        },
        [
          {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 's3:GetObject',
                Resource: 'arn:aws:s3:::models/*',
              },
            ],
          },
        ],
      ),
    ).toBe('Allowed');
  });
});

describe('identityAllows for KMS and without grants', () => {
  const request = {
    principal: EXEC,
    action: 'kms:Decrypt',
    resource: KEY,
    resourceAccountId: '111111111111',
  };
  it('allows kms:Decrypt when the identity policy does, whatever the key policy says', () => {
    expect(
      identityAllows(request, [
        {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY },
          ],
        },
      ]),
    ).toBe('Allowed');
  });
  it('denies when no identity policy grants it', () => {
    expect(identityAllows(request, [])).toBe('ImplicitlyDenied');
    expect(
      identityAllows(
        { ...request, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' },
        [],
      ),
    ).toBe('ImplicitlyDenied');
  });
});
