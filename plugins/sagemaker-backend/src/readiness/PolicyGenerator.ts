import {
  GeneratedPolicy,
  ModelPackageGroupArn,
  PolicyStatement,
} from '@internal/backstage-plugin-sagemaker-common';
import { AccountRole, DeploymentTarget } from '../config/SageMakerConfig';

/** What the versions of some groups reference, by kind. */
export interface ArtifactRefs {
  /** bucket → object key prefixes the versions use */
  buckets: Map<string, Set<string>>;
  /** repository ARNs of the images */
  repositories: Set<string>;
  /** ARNs of the KMS keys that encrypt the artifacts */
  keys: Set<string>;
}

/** An empty set of references. */
export function noArtifacts(): ArtifactRefs {
  return { buckets: new Map(), repositories: new Set(), keys: new Set() };
}

const IMAGE =
  /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/;
const S3_URL = /^s3:\/\/([^/]+)\/(.*)$/;

/** The repository of an ECR image URI, or undefined for other registries. */
export function parseImage(
  image: string,
):
  | { accountId: string; region: string; repository: string; arn: string }
  | undefined {
  const m = IMAGE.exec(image);
  if (!m) {
    return undefined;
  }
  const [, accountId, region, repository] = m;
  return {
    accountId,
    region,
    repository,
    arn: `arn:aws:ecr:${region}:${accountId}:repository/${repository}`,
  };
}

/** Bucket and key of an s3:// URL. */
export function parseS3Url(
  url: string,
): { bucket: string; key: string } | undefined {
  const m = S3_URL.exec(url);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

/** The longest common prefix of object keys, cut at a slash. */
function commonPrefix(keys: Iterable<string>): string {
  const all = [...keys];
  if (all.length === 0) {
    return '';
  }
  let prefix = all[0];
  for (const key of all.slice(1)) {
    while (!key.startsWith(prefix)) {
      prefix = prefix.slice(0, -1);
    }
  }
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

const READ_REGISTRY = [
  'sagemaker:ListModelPackageGroups',
  'sagemaker:DescribeModelPackageGroup',
  'sagemaker:GetModelPackageGroupPolicy',
  'sagemaker:ListModelPackages',
  'sagemaker:DescribeModelPackage',
  'sagemaker:BatchDescribeModelPackage',
  'sagemaker:UpdateModelPackage',
];

const DEPLOY_ACTIONS = [
  'sagemaker:CreateModel',
  'sagemaker:DeleteModel',
  'sagemaker:CreateEndpointConfig',
  'sagemaker:DeleteEndpointConfig',
  'sagemaker:DescribeEndpointConfig',
  'sagemaker:CreateEndpoint',
  'sagemaker:UpdateEndpoint',
  'sagemaker:DeleteEndpoint',
  'sagemaker:DescribeEndpoint',
  'sagemaker:AddTags',
];

const ECR_PULL = [
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:BatchCheckLayerAvailability',
];

const VPC_ACCESS = [
  'ec2:CreateNetworkInterface',
  'ec2:CreateNetworkInterfacePermission',
  'ec2:DeleteNetworkInterface',
  'ec2:DeleteNetworkInterfacePermission',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeVpcs',
  'ec2:DescribeDhcpOptions',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
];

function document(Statement: PolicyStatement[]): GeneratedPolicy['document'] {
  return { Version: '2012-10-17', Statement };
}

function packagesOf(group: ModelPackageGroupArn): string {
  return `${group.arn.replace(':model-package-group/', ':model-package/')}/*`;
}

/**
 * Writes the least-privilege policies a cross-account deploy needs, from the
 * configuration (accounts, roles, targets) and from what the versions
 * actually reference (buckets, repositories, keys). Each policy says where it
 * goes. Pure: no AWS calls.
 */
export class PolicyGenerator {
  constructor(private readonly accountRoles: Map<string, AccountRole>) {}

  /** The principal the backend acts as in an account. */
  backendPrincipal(accountId: string): string {
    return (
      this.accountRoles.get(accountId)?.roleArn ??
      `arn:aws:iam::${accountId}:root`
    );
  }

  private backendWhere(accountId: string): { where: string; attachTo: string } {
    const roleArn = this.accountRoles.get(accountId)?.roleArn;
    return roleArn
      ? {
          where: `an inline policy of IAM role ${roleArn
            .split('/')
            .pop()} in account ${accountId} (the role the backend assumes)`,
          attachTo: roleArn,
        }
      : {
          where: `the identity the backend uses in account ${accountId} (aws.accounts names no roleName for it)`,
          attachTo: `arn:aws:iam::${accountId}:root`,
        };
  }

  /** The backend's policy in a registry account: reads and approvals. */
  registryBackendPolicy(
    accountId: string,
    groups: ModelPackageGroupArn[],
    refs: ArtifactRefs,
  ): GeneratedPolicy {
    const own = groups.filter(g => g.accountId === accountId);
    const statements: PolicyStatement[] = [
      {
        Sid: 'ReadRegistryAndApprove',
        Effect: 'Allow',
        Action: READ_REGISTRY,
        Resource: own.flatMap(g => [g.arn, packagesOf(g)]),
      },
      {
        Sid: 'SearchRegistry',
        Effect: 'Allow',
        Action: ['sagemaker:Search', 'sagemaker:ListModelPackageGroups'],
        Resource: '*',
      },
    ];
    const buckets = [...refs.buckets.keys()];
    if (buckets.length) {
      statements.push({
        Sid: 'ReadArtifactPolicies',
        Effect: 'Allow',
        Action: [
          's3:GetBucketPolicy',
          's3:GetBucketLocation',
          's3:GetEncryptionConfiguration',
          's3:GetObject',
        ],
        Resource: buckets.flatMap(b => [
          `arn:aws:s3:::${b}`,
          `arn:aws:s3:::${b}/*`,
        ]),
      });
    }
    const keys = [...refs.keys].filter(k => k.split(':')[4] === accountId);
    if (keys.length) {
      statements.push({
        Sid: 'ReadKeyPolicies',
        Effect: 'Allow',
        Action: ['kms:GetKeyPolicy', 'kms:DescribeKey'],
        Resource: keys,
      });
      // The metrics reports (ModelMetrics) sit beside the artifacts, and
      // GetObject of an SSE-KMS object decrypts it.
      statements.push({
        Sid: 'DecryptMetricsReports',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: keys,
      });
    }
    const repos = [...refs.repositories].filter(
      r => r.split(':')[4] === accountId,
    );
    if (repos.length) {
      statements.push({
        Sid: 'ReadRepositoryPolicies',
        Effect: 'Allow',
        Action: ['ecr:GetRepositoryPolicy', 'ecr:DescribeRepositories'],
        Resource: repos,
      });
    }
    return {
      id: `backend-registry:${accountId}`,
      title: `Backend role in registry account ${accountId}: read the registry, approve versions, read the artifacts' policies`,
      accountId,
      kind: 'identity',
      ...this.backendWhere(accountId),
      document: document(statements),
    };
  }

  /** The backend's policy in a target account: deploy, PassRole, preflight reads. */
  targetBackendPolicy(
    target: DeploymentTarget,
    groups: ModelPackageGroupArn[],
  ): GeneratedPolicy {
    const { accountId, region } = target;
    const own = (type: string) =>
      `arn:aws:sagemaker:${region}:${accountId}:${type}/*`;
    const statements: PolicyStatement[] = [
      {
        Sid: 'Deploy',
        Effect: 'Allow',
        Action: DEPLOY_ACTIONS,
        Resource: [own('model'), own('endpoint-config'), own('endpoint')],
      },
      {
        Sid: 'CreateModelFromRegistry',
        Effect: 'Allow',
        Action: ['sagemaker:CreateModel'],
        Resource: groups.map(packagesOf),
      },
      {
        Sid: 'SearchEndpoints',
        Effect: 'Allow',
        Action: ['sagemaker:Search'],
        Resource: '*',
      },
      {
        Sid: 'PassExecutionRole',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: target.executionRoleArn,
        Condition: {
          StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' },
        },
      },
      {
        Sid: 'PreflightReadRoles',
        Effect: 'Allow',
        Action: [
          'iam:GetRole',
          'iam:ListRolePolicies',
          'iam:GetRolePolicy',
          'iam:ListAttachedRolePolicies',
        ],
        Resource: [
          target.executionRoleArn,
          this.backendPrincipal(accountId),
        ].filter(arn => arn.includes(':role/')),
      },
      {
        Sid: 'PreflightReadManagedPolicies',
        Effect: 'Allow',
        Action: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
        Resource: `arn:aws:iam::${accountId}:policy/*`,
      },
    ];
    if (target.vpcConfig) {
      statements.push({
        Sid: 'PreflightReadNetwork',
        Effect: 'Allow',
        Action: ['ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
        Resource: '*',
      });
    }
    if (target.kmsKeyId) {
      statements.push({
        Sid: 'EndpointStorageKey',
        Effect: 'Allow',
        Action: ['kms:DescribeKey', 'kms:CreateGrant'],
        Resource: target.kmsKeyId,
      });
    }
    return {
      id: `backend-target:${target.name}`,
      title: `Backend role in ${target.title}: deploy, pass the execution role, run preflight`,
      accountId,
      kind: 'identity',
      ...this.backendWhere(accountId),
      document: document(statements),
    };
  }

  executionRoleTrust(target: DeploymentTarget): GeneratedPolicy {
    return {
      id: `execution-role-trust:${target.name}`,
      title: `Trust policy of the execution role of ${target.title}`,
      accountId: target.accountId,
      kind: 'trust',
      where: `the trust policy of IAM role ${target.executionRoleArn}`,
      attachTo: target.executionRoleArn,
      document: document([
        {
          Effect: 'Allow',
          Principal: { Service: 'sagemaker.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ]),
    };
  }

  executionRolePolicy(
    target: DeploymentTarget,
    refs: ArtifactRefs,
  ): GeneratedPolicy {
    const { accountId, region } = target;
    const statements: PolicyStatement[] = [];
    const objects = [...refs.buckets].map(
      ([bucket, keys]) => `arn:aws:s3:::${bucket}/${commonPrefix(keys)}*`,
    );
    if (objects.length) {
      statements.push({
        Sid: 'ReadModelArtifacts',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: objects,
      });
    }
    if (refs.keys.size) {
      statements.push({
        Sid: 'DecryptModelArtifacts',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: [...refs.keys],
      });
    }
    if (refs.repositories.size) {
      statements.push(
        {
          Sid: 'PullImages',
          Effect: 'Allow',
          Action: ECR_PULL,
          Resource: [...refs.repositories],
        },
        {
          Sid: 'EcrLogin',
          Effect: 'Allow',
          Action: 'ecr:GetAuthorizationToken',
          Resource: '*',
        },
      );
    }
    statements.push({
      Sid: 'WriteLogs',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ],
      Resource: `arn:aws:logs:${region}:${accountId}:log-group:/aws/sagemaker/*`,
    });
    if (target.vpcConfig) {
      statements.push({
        Sid: 'RunInVpc',
        Effect: 'Allow',
        Action: VPC_ACCESS,
        Resource: '*',
      });
    }
    return {
      id: `execution-role:${target.name}`,
      title: `Execution role of ${target.title}: read, decrypt and pull the model's artifacts`,
      accountId,
      kind: 'identity',
      where: `an inline policy of IAM role ${target.executionRoleArn}`,
      attachTo: target.executionRoleArn,
      document: document(statements),
    };
  }

  groupPolicy(
    group: ModelPackageGroupArn,
    targets: DeploymentTarget[],
  ): GeneratedPolicy {
    const principals = [
      ...new Set(
        targets
          .filter(t => t.accountId !== group.accountId)
          .map(t => this.backendPrincipal(t.accountId)),
      ),
    ];
    return {
      id: `group-policy:${group.arn}`,
      title: `Resource policy of model package group ${group.name}`,
      accountId: group.accountId,
      kind: 'resource',
      where: `the resource policy of model package group ${group.arn} (PutModelPackageGroupPolicy)`,
      attachTo: group.arn,
      document: document([
        {
          Sid: 'DescribeGroup',
          Effect: 'Allow',
          Principal: { AWS: principals },
          Action: 'sagemaker:DescribeModelPackageGroup',
          Resource: group.arn,
        },
        {
          Sid: 'DeployVersions',
          Effect: 'Allow',
          Principal: { AWS: principals },
          Action: [
            'sagemaker:DescribeModelPackage',
            'sagemaker:ListModelPackages',
            'sagemaker:CreateModel',
          ],
          Resource: packagesOf(group),
        },
      ]),
    };
  }

  bucketPolicy(
    bucket: string,
    keys: Iterable<string>,
    owner: string,
    targets: DeploymentTarget[],
  ): GeneratedPolicy {
    return {
      id: `bucket-policy:${bucket}`,
      title: `Bucket policy of s3://${bucket}`,
      accountId: owner,
      kind: 'resource',
      where: `the bucket policy of s3://${bucket} (merge this statement into it)`,
      attachTo: `arn:aws:s3:::${bucket}`,
      document: document([
        {
          Sid: 'SageMakerExecutionRolesReadModels',
          Effect: 'Allow',
          Principal: { AWS: executionRoles(targets) },
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${bucket}/${commonPrefix(keys)}*`,
        },
      ]),
    };
  }

  repositoryPolicy(
    repositoryArn: string,
    targets: DeploymentTarget[],
  ): GeneratedPolicy {
    return {
      id: `repository-policy:${repositoryArn}`,
      title: `Repository policy of ${repositoryArn
        .split('/')
        .slice(1)
        .join('/')}`,
      accountId: repositoryArn.split(':')[4],
      kind: 'resource',
      where: `the repository policy of ${repositoryArn} (SetRepositoryPolicy; merge this statement into it)`,
      attachTo: repositoryArn,
      document: document([
        {
          Sid: 'SageMakerExecutionRolesPull',
          Effect: 'Allow',
          Principal: { AWS: executionRoles(targets) },
          Action: ECR_PULL,
          Resource: '*',
        },
      ]),
    };
  }

  keyPolicyStatement(
    keyArn: string,
    targets: DeploymentTarget[],
  ): GeneratedPolicy {
    return {
      id: `key-policy:${keyArn}`,
      title: `Key policy of ${keyArn}`,
      accountId: keyArn.split(':')[4],
      kind: 'resource',
      where: `the key policy of ${keyArn} (PutKeyPolicy; add this statement to the existing ones)`,
      attachTo: keyArn,
      document: document([
        {
          Sid: 'SageMakerExecutionRolesDecrypt',
          Effect: 'Allow',
          Principal: { AWS: executionRoles(targets) },
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: '*',
        },
      ]),
    };
  }

  /** Every policy a set of groups needs to deploy to the targets. */
  all(
    groups: ModelPackageGroupArn[],
    refs: ArtifactRefs,
    targets: DeploymentTarget[],
    bucketOwner: (bucket: string) => string,
  ): GeneratedPolicy[] {
    const registries = [...new Set(groups.map(g => g.accountId))];
    return [
      ...registries.map(a => this.registryBackendPolicy(a, groups, refs)),
      ...groups
        .filter(g => targets.some(t => t.accountId !== g.accountId))
        .map(g => this.groupPolicy(g, targets)),
      ...[...refs.buckets].map(([bucket, keys]) =>
        this.bucketPolicy(bucket, keys, bucketOwner(bucket), targets),
      ),
      ...[...refs.keys].map(k => this.keyPolicyStatement(k, targets)),
      ...[...refs.repositories].map(r => this.repositoryPolicy(r, targets)),
      ...targets.flatMap(t => [
        this.targetBackendPolicy(t, groups),
        this.executionRoleTrust(t),
        this.executionRolePolicy(t, refs),
      ]),
    ];
  }
}

function executionRoles(targets: DeploymentTarget[]): string[] {
  return [...new Set(targets.map(t => t.executionRoleArn))];
}
