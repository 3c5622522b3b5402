import {
  GetRoleCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  IAMClient,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
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
import {
  BatchDescribeModelPackageCommand,
  GetModelPackageGroupPolicyCommand,
  ListModelPackagesCommand,
} from '@aws-sdk/client-sagemaker';
import { awsErrorDetails } from '../aws/errors';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { SdkClientClass } from '../aws/SageMakerClientFactory';
import { RegistryCache } from '../service/RegistryCache';
import { PolicyDocument } from './evaluateAccess';

/**
 * A fact read from AWS: its value, or why there is none. `absent` means AWS
 * said the thing does not exist (a missing policy, role or key); `unreadable`
 * means we could not tell (access denied, throttled, unreachable).
 */
export type Fact<T> =
  | { state: 'present'; value: T }
  | { state: 'absent'; message: string }
  | { state: 'unreadable'; message: string };

/** An IAM role and every policy that applies to it. */
export interface RoleFacts {
  arn: string;
  trustPolicy?: PolicyDocument;
  policies: Array<{ name: string; document: PolicyDocument }>;
}

/** What a model version's containers reference. */
export interface VersionArtifacts {
  versionArn: string;
  version: number;
  images: string[];
  modelDataUrls: string[];
}

/** An S3 object's encryption, as HeadObject reports it. */
export interface ObjectFacts {
  kmsKeyArn?: string;
}

/** Absent-resource error codes of the services we read. */
const ABSENT = new Set([
  'NoSuchEntity',
  'NoSuchEntityException',
  'NoSuchBucket',
  'NoSuchBucketPolicy',
  'NoSuchKey',
  'NotFound',
  'NotFoundException',
  'RepositoryNotFoundException',
  'RepositoryPolicyNotFoundException',
  'ServerSideEncryptionConfigurationNotFoundError',
  'InvalidSubnetID.NotFound',
  'InvalidGroup.NotFound',
  'InvalidGroupId.Malformed',
  'InvalidSubnetID.Malformed',
]);

function parsePolicy(text: string | undefined): PolicyDocument | undefined {
  if (!text) {
    return undefined;
  }
  // IAM returns documents URL-encoded; other services return plain JSON.
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(decodeURIComponent(text));
  }
}

/**
 * Reads the facts a readiness check needs (roles, policies, buckets, keys,
 * repositories, subnets) through the accounts' roles, cached on the
 * Backstage cache service, and counts the AWS calls each report makes.
 */
export class ReadinessFacts {
  readonly calls: Record<string, number> = {};

  constructor(
    private readonly gateway: SageMakerGateway,
    private readonly cache: RegistryCache,
  ) {}

  /** A counter for one report; facts cached by earlier reports cost nothing. */
  forReport(): ReadinessFacts {
    return new ReadinessFacts(this.gateway, this.cache);
  }

  /** Forgets every cached fact (a "check again" after fixing a policy). */
  async refresh(): Promise<void> {
    await this.cache.invalidate('readiness');
  }

  get totalCalls(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }

  /** Whether the backend can get credentials for its role in the account. */
  canAssumeRole(accountId: string, region: string): Promise<Fact<true>> {
    return this.read(`assume:${accountId}`, async () => {
      await this.gateway.callService(
        IAMClient,
        { accountId, region },
        'sts:AssumeRole',
        async () => undefined,
      );
      return true as const;
    });
  }

  role(accountId: string, roleArn: string): Promise<Fact<RoleFacts>> {
    const roleName = roleArn.split('/').pop()!;
    const at = { accountId, region: 'us-east-1' };
    return this.read(`role:${roleArn}`, async () => {
      const { Role } = await this.call(IAMClient, at, 'iam:GetRole', c =>
        c.send(new GetRoleCommand({ RoleName: roleName })),
      );
      const policies: RoleFacts['policies'] = [];
      const names: string[] = [];
      await this.call(IAMClient, at, 'iam:ListRolePolicies', async c => {
        for await (const page of paginateListRolePolicies(
          { client: c },
          { RoleName: roleName },
        )) {
          names.push(...(page.PolicyNames ?? []));
        }
      });
      for (const name of names) {
        const { PolicyDocument: doc } = await this.call(
          IAMClient,
          at,
          'iam:GetRolePolicy',
          c =>
            c.send(
              new GetRolePolicyCommand({
                RoleName: roleName,
                PolicyName: name,
              }),
            ),
        );
        policies.push({ name, document: parsePolicy(doc) ?? {} });
      }
      const attached: string[] = [];
      await this.call(
        IAMClient,
        at,
        'iam:ListAttachedRolePolicies',
        async c => {
          for await (const page of paginateListAttachedRolePolicies(
            { client: c },
            { RoleName: roleName },
          )) {
            attached.push(
              ...(page.AttachedPolicies ?? []).map(p => p.PolicyArn!),
            );
          }
        },
      );
      for (const policyArn of attached) {
        const { Policy } = await this.call(IAMClient, at, 'iam:GetPolicy', c =>
          c.send(new GetPolicyCommand({ PolicyArn: policyArn })),
        );
        const { PolicyVersion } = await this.call(
          IAMClient,
          at,
          'iam:GetPolicyVersion',
          c =>
            c.send(
              new GetPolicyVersionCommand({
                PolicyArn: policyArn,
                VersionId: Policy?.DefaultVersionId,
              }),
            ),
        );
        policies.push({
          name: policyArn,
          document: parsePolicy(PolicyVersion?.Document) ?? {},
        });
      }
      return {
        arn: Role?.Arn ?? roleArn,
        trustPolicy: parsePolicy(Role?.AssumeRolePolicyDocument),
        policies,
      };
    });
  }

  groupPolicy(group: {
    arn: string;
    accountId: string;
    region: string;
    name: string;
  }): Promise<Fact<PolicyDocument>> {
    return this.read(`group-policy:${group.arn}`, async () => {
      try {
        const { ResourcePolicy } = await this.gateway.call(
          group,
          'GetModelPackageGroupPolicy',
          c =>
            this.counted('sagemaker:GetModelPackageGroupPolicy', () =>
              c.send(
                new GetModelPackageGroupPolicyCommand({
                  ModelPackageGroupName: group.name,
                }),
              ),
            ),
        );
        return parsePolicy(ResourcePolicy) ?? {};
      } catch (error) {
        // SageMaker reports a group without a policy as a validation error.
        if (/resource policy/i.test(awsErrorDetails(error).message)) {
          throw Object.assign(new Error(awsErrorDetails(error).message), {
            code: 'NotFound',
          });
        }
        throw error;
      }
    });
  }

  /**
   * The images and model data the group's versions reference: one version
   * when given, otherwise the newest 100 (one ListModelPackages and one
   * BatchDescribeModelPackage call).
   */
  artifacts(
    group: { arn: string; accountId: string; region: string; name: string },
    version?: number,
  ): Promise<Fact<VersionArtifacts[]>> {
    return this.read(
      `artifacts:${group.arn}:${version ?? 'recent'}`,
      async () => {
        let arns: string[];
        if (version) {
          arns = [
            `${group.arn.replace(
              ':model-package-group/',
              ':model-package/',
            )}/${version}`,
          ];
        } else {
          const listed = await this.gateway.call(
            group,
            'ListModelPackages',
            c =>
              this.counted('sagemaker:ListModelPackages', () =>
                c.send(
                  new ListModelPackagesCommand({
                    ModelPackageGroupName: group.name,
                    SortBy: 'CreationTime',
                    SortOrder: 'Descending',
                    MaxResults: 100,
                  }),
                ),
              ),
          );
          arns = (listed.ModelPackageSummaryList ?? []).map(
            s => s.ModelPackageArn!,
          );
        }
        if (arns.length === 0) {
          return [];
        }
        const described = await this.gateway.call(
          group,
          'BatchDescribeModelPackage',
          c =>
            this.counted('sagemaker:BatchDescribeModelPackage', () =>
              c.send(
                new BatchDescribeModelPackageCommand({
                  ModelPackageArnList: arns,
                }),
              ),
            ),
        );
        if (version && !described.ModelPackageSummaries?.[arns[0]]) {
          throw Object.assign(
            new Error(`Model version ${arns[0]} does not exist`),
            { code: 'NotFound' },
          );
        }
        return Object.values(described.ModelPackageSummaries ?? {}).map(s => {
          const containers = s.InferenceSpecification?.Containers ?? [];
          return {
            versionArn: s.ModelPackageArn!,
            version: s.ModelPackageVersion ?? 0,
            images: containers.map(c => c.Image!).filter(Boolean),
            modelDataUrls: containers.map(c => c.ModelDataUrl!).filter(Boolean),
          };
        });
      },
    );
  }

  bucketPolicy(at: Where, bucket: string): Promise<Fact<PolicyDocument>> {
    return this.read(`bucket-policy:${bucket}`, async () => {
      const { Policy } = await this.call(
        S3Client,
        at,
        's3:GetBucketPolicy',
        c => c.send(new GetBucketPolicyCommand({ Bucket: bucket })),
      );
      return parsePolicy(Policy) ?? {};
    });
  }

  bucketRegion(at: Where, bucket: string): Promise<Fact<string>> {
    return this.read(`bucket-region:${bucket}`, async () => {
      const { LocationConstraint } = await this.call(
        S3Client,
        at,
        's3:GetBucketLocation',
        c => c.send(new GetBucketLocationCommand({ Bucket: bucket })),
      );
      return LocationConstraint || 'us-east-1';
    });
  }

  /** The KMS key a bucket encrypts new objects with, if any. */
  bucketDefaultKey(at: Where, bucket: string): Promise<Fact<string | null>> {
    return this.read(`bucket-encryption:${bucket}`, async () => {
      try {
        const { ServerSideEncryptionConfiguration } = await this.call(
          S3Client,
          at,
          's3:GetEncryptionConfiguration',
          c => c.send(new GetBucketEncryptionCommand({ Bucket: bucket })),
        );
        const rule = ServerSideEncryptionConfiguration?.Rules?.find(
          r => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm === 'aws:kms',
        );
        return rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID ?? null;
      } catch (error) {
        if (
          awsErrorDetails(error).code ===
          'ServerSideEncryptionConfigurationNotFoundError'
        ) {
          return null;
        }
        throw error;
      }
    });
  }

  object(at: Where, bucket: string, key: string): Promise<Fact<ObjectFacts>> {
    return this.read(`object:${bucket}/${key}`, async () => {
      const head = await this.call(S3Client, at, 's3:GetObject', c =>
        c.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
      );
      return head.ServerSideEncryption === 'aws:kms'
        ? { kmsKeyArn: head.SSEKMSKeyId }
        : {};
    });
  }

  keyPolicy(at: Where, keyArn: string): Promise<Fact<PolicyDocument>> {
    return this.read(`key-policy:${keyArn}`, async () => {
      const { Policy } = await this.call(KMSClient, at, 'kms:GetKeyPolicy', c =>
        c.send(
          new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }),
        ),
      );
      return parsePolicy(Policy) ?? {};
    });
  }

  /** A key's ARN, resolving an alias or key id. */
  key(at: Where, keyId: string): Promise<Fact<string>> {
    return this.read(`key:${at.accountId}:${at.region}:${keyId}`, async () => {
      const { KeyMetadata } = await this.call(
        KMSClient,
        at,
        'kms:DescribeKey',
        c => c.send(new DescribeKeyCommand({ KeyId: keyId })),
      );
      return KeyMetadata!.Arn!;
    });
  }

  repositoryPolicy(
    at: Where,
    repository: string,
  ): Promise<Fact<PolicyDocument | null>> {
    return this.read(
      `repo-policy:${at.accountId}:${at.region}:${repository}`,
      async () => {
        try {
          const { policyText } = await this.call(
            ECRClient,
            at,
            'ecr:GetRepositoryPolicy',
            c =>
              c.send(
                new GetRepositoryPolicyCommand({
                  registryId: at.accountId,
                  repositoryName: repository,
                }),
              ),
          );
          return parsePolicy(policyText) ?? null;
        } catch (error) {
          if (
            awsErrorDetails(error).code === 'RepositoryPolicyNotFoundException'
          ) {
            return null;
          }
          throw error;
        }
      },
    );
  }

  subnets(at: Where, ids: string[]): Promise<Fact<string[]>> {
    return this.read(`subnets:${at.accountId}:${ids.join(',')}`, async () => {
      const { Subnets } = await this.call(
        EC2Client,
        at,
        'ec2:DescribeSubnets',
        c => c.send(new DescribeSubnetsCommand({ SubnetIds: ids })),
      );
      return (Subnets ?? []).map(s => s.SubnetId!);
    });
  }

  securityGroups(at: Where, ids: string[]): Promise<Fact<string[]>> {
    return this.read(
      `security-groups:${at.accountId}:${ids.join(',')}`,
      async () => {
        const { SecurityGroups } = await this.call(
          EC2Client,
          at,
          'ec2:DescribeSecurityGroups',
          c => c.send(new DescribeSecurityGroupsCommand({ GroupIds: ids })),
        );
        return (SecurityGroups ?? []).map(g => g.GroupId!);
      },
    );
  }

  private call<C extends { config: { credentials: unknown } }, T>(
    clientClass: SdkClientClass<C>,
    at: Where,
    action: string,
    fn: (client: C) => Promise<T>,
  ): Promise<T> {
    return this.gateway.callService(clientClass, at, action, client =>
      this.counted(action, () => fn(client)),
    );
  }

  private counted<T>(action: string, fn: () => Promise<T>): Promise<T> {
    this.calls[action] = (this.calls[action] ?? 0) + 1;
    return fn();
  }

  /**
   * A cached fact. Present and absent facts are cached; an unreadable one is
   * not, so a throttled or denied read is tried again by the next report.
   */
  private async read<T>(key: string, load: () => Promise<T>): Promise<Fact<T>> {
    try {
      return await this.cache.getOrLoad(
        'readiness',
        key,
        async (): Promise<Fact<T>> => {
          try {
            return { state: 'present', value: await load() };
          } catch (error) {
            const { code, message } = awsErrorDetails(error);
            if (ABSENT.has(code)) {
              return { state: 'absent', message: `${code}: ${message}` };
            }
            throw error;
          }
        },
      );
    } catch (error) {
      const { code, message } = awsErrorDetails(error);
      return { state: 'unreadable', message: `${code}: ${message}` };
    }
  }
}

/** An account and region to read in. */
export interface Where {
  accountId: string;
  region: string;
}
