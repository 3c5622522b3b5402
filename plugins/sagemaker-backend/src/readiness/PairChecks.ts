import {
  GeneratedPolicy,
  ModelPackageGroupArn,
  READINESS_CHECK_TITLES,
  ReadinessCheck,
  ReadinessCheckKind,
  ReadinessPair,
  ReadinessStatus,
  worstReadinessStatus,
} from '@internal/backstage-plugin-sagemaker-common';
import { AccountRole, DeploymentTarget } from '../config/SageMakerConfig';
import {
  AccessResult,
  identityAllows,
  PolicyDocument,
  resourcePolicyAllows,
} from './evaluateAccess';
import {
  Fact,
  ReadinessFacts,
  RoleFacts,
  VersionArtifacts,
  Where,
} from './ReadinessFacts';
import { addArtifactRefs, newestVersion } from './artifactRefs';
import {
  ArtifactRefs,
  noArtifacts,
  parseImage,
  parseS3Url,
  PolicyGenerator,
} from './PolicyGenerator';

const EVIDENCE_MAX = 1500;

function show(policy: PolicyDocument | undefined | null): string {
  const text = JSON.stringify(policy ?? null);
  return text.length > EVIDENCE_MAX ? `${text.slice(0, EVIDENCE_MAX)}…` : text;
}

/** A policy narrowed to the statements a fix needs. */
function only(policy: GeneratedPolicy, sids: string[]): GeneratedPolicy {
  return {
    ...policy,
    document: {
      ...policy.document,
      Statement: policy.document.Statement.filter(s => sids.includes(s.Sid!)),
    },
  };
}

/**
 * A grant that has a resource side (bucket, key, repository policy) and an
 * identity side (the execution role's policies): which side is missing, if
 * any. `identity` undefined means the role's policies could not be read.
 */
function grant(options: {
  resource: AccessResult;
  identity: AccessResult | undefined;
  /** Cross-account (and KMS) needs both sides; one account, either. */
  needsBoth: boolean;
}): { status: ReadinessStatus; lacking?: 'resource' | 'identity' } {
  const resourceOk = options.resource === 'Allowed';
  const identityOk = options.identity === 'Allowed';
  if (options.needsBoth) {
    if (!resourceOk) {
      return { status: 'missing', lacking: 'resource' };
    }
    if (options.identity === undefined) {
      return { status: 'unknown' };
    }
    return identityOk
      ? { status: 'ok' }
      : { status: 'missing', lacking: 'identity' };
  }
  if (resourceOk || identityOk) {
    return { status: 'ok' };
  }
  if (options.identity === undefined) {
    return { status: 'unknown' };
  }
  // In one account either side would do; the role's own policy is the
  // usual place.
  return { status: 'missing', lacking: 'identity' };
}

function factStatus(fact: Fact<unknown>): ReadinessStatus {
  if (fact.state === 'present') {
    return 'ok';
  }
  return fact.state === 'absent' ? 'missing' : 'unknown';
}

type CheckText = Pick<ReadinessCheck, 'summary' | 'evidence' | 'fix'>;

/**
 * Runs the checks of one (group, target) pair: everything a cross-account
 * deploy needs, in the order SageMaker meets it, each answered `ok`,
 * `missing` or `unknown` with what was read and the policy that fixes it.
 */
export class PairChecks {
  private readonly checks: ReadinessCheck[] = [];

  constructor(
    private readonly facts: ReadinessFacts,
    private readonly generator: PolicyGenerator,
    private readonly config: {
      accountIds: ReadonlySet<string>;
      accountRoles: Map<string, AccountRole>;
    },
    private readonly group: ModelPackageGroupArn,
    private readonly target: DeploymentTarget,
    private readonly version?: number,
  ) {}

  async run(): Promise<ReadinessPair> {
    const { group, target } = this;
    if (!this.region()) {
      // Nothing else matters: SageMaker refuses before reading any grant.
      return this.pair();
    }
    const artifacts = await this.facts.artifacts(group, this.version);
    const refs = await this.refs(artifacts);
    const sample = this.sampleVersion(artifacts);
    const executionRole = await this.facts.role(
      target.accountId,
      target.executionRoleArn,
    );

    await this.groupPolicy(sample);
    this.trust(executionRole);
    await this.passRole();
    this.unreadableImages(artifacts);
    for (const repositoryArn of refs.repositories) {
      await this.repository(repositoryArn, executionRole);
    }
    for (const [bucket, keys] of refs.buckets) {
      await this.bucket(bucket, keys, executionRole, sample);
    }
    for (const keyArn of refs.keys) {
      await this.key(keyArn, executionRole);
    }
    await this.network();
    return this.pair();
  }

  private pair(): ReadinessPair {
    return {
      groupArn: this.group.arn,
      target: this.target.name,
      targetTitle: this.target.title,
      version: this.version,
      status: worstReadinessStatus(this.checks.map(c => c.status)),
      checks: this.checks,
    };
  }

  private add(
    kind: ReadinessCheckKind,
    resource: string,
    accountId: string,
    status: ReadinessStatus,
    text: CheckText,
  ) {
    this.checks.push({
      id: `${kind}:${resource}`,
      kind,
      title: READINESS_CHECK_TITLES[kind],
      resource,
      accountId,
      status,
      ...text,
      fix: status === 'ok' ? undefined : text.fix,
    });
  }

  private region(): boolean {
    const { group, target } = this;
    const same = group.region === target.region;
    this.add('region', group.arn, group.accountId, same ? 'ok' : 'missing', {
      summary: same
        ? `The group and ${target.title} are both in ${group.region}.`
        : `The group is in ${group.region} and ${target.title} deploys to ${target.region}: SageMaker creates a model only from a model package of its own region.`,
      evidence: [
        `group region ${group.region}`,
        `target region ${target.region}`,
      ],
      fix: {
        summary: `Register the version in a model package group in ${target.region}, or configure a deployment target in ${group.region}.`,
      },
    });
    return same;
  }

  /** The version whose artifacts stand for the group: the one asked for, else the newest. */
  private sampleVersion(
    artifacts: Fact<VersionArtifacts[]>,
  ): VersionArtifacts | undefined {
    if (artifacts.state !== 'present') {
      return undefined;
    }
    return newestVersion(artifacts.value);
  }

  /** Buckets, repositories and keys the versions reference (keys need reads). */
  private async refs(
    artifacts: Fact<VersionArtifacts[]>,
  ): Promise<ArtifactRefs> {
    const refs = noArtifacts();
    const { group } = this;
    if (artifacts.state !== 'present') {
      this.add('artifacts-bucket', group.arn, group.accountId, 'unknown', {
        summary: `Could not read the versions of ${group.name} to find their artifacts: ${artifacts.message}`,
        evidence: [artifacts.message],
        fix: {
          summary: `Let the backend's role in account ${group.accountId} call sagemaker:ListModelPackages and sagemaker:BatchDescribeModelPackage.`,
        },
      });
      return refs;
    }
    await addArtifactRefs(refs, {
      facts: this.facts,
      group,
      versions: artifacts.value,
      sample: this.sampleVersion(artifacts),
      accountIds: this.config.accountIds,
    });
    return refs;
  }

  private registry(): Where {
    return { accountId: this.group.accountId, region: this.group.region };
  }

  private async groupPolicy(sample: VersionArtifacts | undefined) {
    const { group, target } = this;
    if (group.accountId === target.accountId) {
      this.add('group-policy', group.arn, group.accountId, 'ok', {
        summary: `The group is in the target's own account ${target.accountId}: no resource policy is needed.`,
        evidence: [],
      });
      return;
    }
    const principal = this.generator.backendPrincipal(target.accountId);
    const versionArn =
      sample?.versionArn ??
      `${group.arn.replace(':model-package-group/', ':model-package/')}/1`;
    const fix = {
      summary: `Allow ${principal} to create models from the group's versions, in the group's resource policy.`,
      policy: this.generator.groupPolicy(group, [target]),
    };
    const policy = await this.facts.groupPolicy(group);
    if (policy.state !== 'present') {
      const absent = policy.state === 'absent';
      this.add(
        'group-policy',
        group.arn,
        group.accountId,
        absent ? 'missing' : 'unknown',
        {
          summary: absent
            ? `The group has no resource policy, so CreateModel from account ${target.accountId} is denied.`
            : `Could not read the resource policy of ${group.name}: ${policy.message}`,
          evidence: [`GetModelPackageGroupPolicy: ${policy.message}`],
          fix,
        },
      );
      return;
    }
    const allowed =
      resourcePolicyAllows(
        {
          principal,
          action: 'sagemaker:CreateModel',
          resource: versionArn,
          resourceAccountId: group.accountId,
        },
        policy.value,
      ) === 'Allowed';
    this.add(
      'group-policy',
      group.arn,
      group.accountId,
      allowed ? 'ok' : 'missing',
      {
        summary: allowed
          ? `The group's resource policy lets account ${target.accountId} create models from its versions.`
          : `The group's resource policy does not allow ${principal} sagemaker:CreateModel on ${versionArn}.`,
        evidence: [`GetModelPackageGroupPolicy: ${show(policy.value)}`],
        fix,
      },
    );
  }

  private trust(role: Fact<RoleFacts>) {
    const { target } = this;
    const arn = target.executionRoleArn;
    const fix = {
      summary: `Create ${arn} (or fix its trust policy) so that sagemaker.amazonaws.com may assume it.`,
      policy: this.generator.executionRoleTrust(target),
    };
    if (role.state !== 'present') {
      this.add(
        'execution-role-trust',
        arn,
        target.accountId,
        factStatus(role),
        {
          summary:
            role.state === 'absent'
              ? `The execution role ${arn} does not exist.`
              : `Could not read the execution role ${arn}: ${role.message}`,
          evidence: [`iam:GetRole: ${role.message}`],
          fix,
        },
      );
      return;
    }
    const trusted =
      resourcePolicyAllows(
        {
          principal: 'sagemaker.amazonaws.com',
          action: 'sts:AssumeRole',
          resource: arn,
          resourceAccountId: target.accountId,
        },
        role.value.trustPolicy,
      ) === 'Allowed';
    this.add(
      'execution-role-trust',
      arn,
      target.accountId,
      trusted ? 'ok' : 'missing',
      {
        summary: trusted
          ? `${arn} exists and trusts sagemaker.amazonaws.com.`
          : `The trust policy of ${arn} does not let sagemaker.amazonaws.com assume it.`,
        evidence: [`trust policy: ${show(role.value.trustPolicy)}`],
        fix,
      },
    );
  }

  private async passRole() {
    const { target } = this;
    const executionRole = target.executionRoleArn;
    const roleArn = this.config.accountRoles.get(target.accountId)?.roleArn;
    const fix = {
      summary: `Allow the backend's role in ${target.accountId} iam:PassRole on ${executionRole}, for sagemaker.amazonaws.com only.`,
      policy: only(this.generator.targetBackendPolicy(target, [this.group]), [
        'PassExecutionRole',
      ]),
    };
    if (!roleArn) {
      this.add('pass-role', executionRole, target.accountId, 'unknown', {
        summary: `aws.accounts names no roleName for ${target.accountId}, so the backend cannot read its own policies there.`,
        evidence: [],
        fix,
      });
      return;
    }
    const role = await this.facts.role(target.accountId, roleArn);
    if (role.state !== 'present') {
      this.add('pass-role', executionRole, target.accountId, 'unknown', {
        summary: `Could not read the policies of ${roleArn}: ${role.message}`,
        evidence: [role.message],
        fix,
      });
      return;
    }
    const result = identityAllows(
      {
        principal: roleArn,
        action: 'iam:PassRole',
        resource: executionRole,
        resourceAccountId: target.accountId,
        context: { 'iam:PassedToService': 'sagemaker.amazonaws.com' },
      },
      role.value.policies.map(p => p.document),
    );
    const denied = result === 'ExplicitlyDenied' ? ' (explicitly denied)' : '';
    this.add(
      'pass-role',
      executionRole,
      target.accountId,
      result === 'Allowed' ? 'ok' : 'missing',
      {
        summary:
          result === 'Allowed'
            ? `${roleArn} may pass ${executionRole} to SageMaker.`
            : `${roleArn} is not allowed iam:PassRole on ${executionRole}${denied}: CreateModel would fail.`,
        evidence: role.value.policies.map(
          p => `${p.name}: ${show(p.document)}`,
        ),
        fix,
      },
    );
  }

  private roleEvidence(role: Fact<RoleFacts>): string[] {
    return role.state === 'present'
      ? role.value.policies.map(
          p => `execution role policy ${p.name}: ${show(p.document)}`,
        )
      : [`execution role: ${role.message}`];
  }

  /** The execution role's identity side, or undefined when unreadable. */
  private identity(
    role: Fact<RoleFacts>,
    action: string,
    resource: string,
    resourceAccountId: string,
  ): AccessResult | undefined {
    if (role.state !== 'present') {
      return undefined;
    }
    return identityAllows(
      {
        principal: this.target.executionRoleArn,
        action,
        resource,
        resourceAccountId,
      },
      role.value.policies.map(p => p.document),
    );
  }

  /** Images in accounts the backend has no role in: we cannot tell. */
  private unreadableImages(artifacts: Fact<VersionArtifacts[]>) {
    const images = new Set(
      artifacts.state === 'present'
        ? artifacts.value.flatMap(v => v.images)
        : [],
    );
    for (const image of images) {
      const repo = parseImage(image);
      if (repo && !this.config.accountIds.has(repo.accountId)) {
        this.add('image-repository', repo.arn, repo.accountId, 'unknown', {
          summary: `${image} is in account ${repo.accountId}, which is not configured under aws.accounts, so its repository policy cannot be read. AWS's own framework images (deep learning containers) need no grant.`,
          evidence: [image],
        });
      }
    }
  }

  private async repository(repositoryArn: string, role: Fact<RoleFacts>) {
    const { target } = this;
    const [, , , region, accountId] = repositoryArn.split(':');
    const name = repositoryArn.split('/').slice(1).join('/');
    const executionRole = target.executionRoleArn;
    const fixes = {
      resource: this.generator.repositoryPolicy(repositoryArn, [target]),
      identity: only(
        this.generator.executionRolePolicy(target, {
          ...noArtifacts(),
          repositories: new Set([repositoryArn]),
        }),
        ['PullImages', 'EcrLogin'],
      ),
    };
    if (region !== target.region) {
      this.add('image-repository', repositoryArn, accountId, 'missing', {
        summary: `The image is in ${region}; SageMaker in ${target.region} pulls images only from its own region.`,
        evidence: [repositoryArn],
        fix: {
          summary: `Replicate the repository to ${target.region} (ECR replication) and register the version with that image.`,
        },
      });
      return;
    }
    const policy = await this.facts.repositoryPolicy(
      { accountId, region },
      name,
    );
    if (policy.state !== 'present') {
      this.add(
        'image-repository',
        repositoryArn,
        accountId,
        factStatus(policy),
        {
          summary:
            policy.state === 'absent'
              ? `The repository ${repositoryArn} does not exist.`
              : `Could not read the repository policy of ${repositoryArn}: ${policy.message}`,
          evidence: [policy.message],
          fix: {
            summary: `Create the repository and push the image, or let the backend call ecr:GetRepositoryPolicy on it.`,
            policy: fixes.resource,
          },
        },
      );
      return;
    }
    const pull = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
    const resource = pull.every(
      action =>
        resourcePolicyAllows(
          {
            principal: executionRole,
            action,
            resource: repositoryArn,
            resourceAccountId: accountId,
          },
          policy.value ?? undefined,
        ) === 'Allowed',
    );
    const identities = [
      ...pull.map(a => this.identity(role, a, repositoryArn, accountId)),
      this.identity(role, 'ecr:GetAuthorizationToken', '*', target.accountId),
    ];
    let identity: AccessResult | undefined = 'Allowed';
    if (identities.includes(undefined)) {
      identity = undefined;
    } else if (identities.some(r => r !== 'Allowed')) {
      identity = 'ImplicitlyDenied';
    }
    const verdict = grant({
      resource: resource ? 'Allowed' : 'ImplicitlyDenied',
      identity,
      needsBoth: accountId !== target.accountId,
    });
    const summaries: Record<ReadinessStatus, string> = {
      ok: `${executionRole} may pull from ${repositoryArn}.`,
      unknown: `Could not read the policies of ${executionRole}.`,
      missing:
        verdict.lacking === 'resource'
          ? `The repository policy of ${repositoryArn} does not let ${executionRole} pull images.`
          : `The policies of ${executionRole} do not allow pulling from ${repositoryArn} (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:GetAuthorizationToken).`,
    };
    this.add('image-repository', repositoryArn, accountId, verdict.status, {
      summary: summaries[verdict.status],
      evidence: [
        `repository policy: ${show(policy.value)}`,
        ...this.roleEvidence(role),
      ],
      fix: this.grantFix(
        verdict.lacking,
        fixes,
        `the repository policy of ${repositoryArn}`,
      ),
    });
  }

  private grantFix(
    lacking: 'resource' | 'identity' | undefined,
    fixes: { resource: GeneratedPolicy; identity: GeneratedPolicy },
    resourceWhere: string,
  ) {
    if (lacking === 'identity') {
      return {
        summary: `Add this statement to ${this.target.executionRoleArn}.`,
        policy: fixes.identity,
      };
    }
    return {
      summary: `Add this statement to ${resourceWhere}.`,
      policy: fixes.resource,
    };
  }

  private async bucket(
    bucket: string,
    keys: Set<string>,
    role: Fact<RoleFacts>,
    sample: VersionArtifacts | undefined,
  ) {
    const { target, group } = this;
    const executionRole = target.executionRoleArn;
    const at = this.registry();
    const resource = `arn:aws:s3:::${bucket}`;
    const key =
      sample?.modelDataUrls.map(parseS3Url).find(s => s?.bucket === bucket)
        ?.key ?? [...keys][0];
    const fixes = {
      resource: this.generator.bucketPolicy(bucket, keys, group.accountId, [
        target,
      ]),
      identity: only(
        this.generator.executionRolePolicy(target, {
          ...noArtifacts(),
          buckets: new Map([[bucket, keys]]),
        }),
        ['ReadModelArtifacts'],
      ),
    };
    const region = await this.facts.bucketRegion(at, bucket);
    if (region.state === 'present' && region.value !== target.region) {
      this.add('artifacts-bucket', resource, group.accountId, 'missing', {
        summary: `s3://${bucket} is in ${region.value}; SageMaker in ${target.region} reads model data only from its own region.`,
        evidence: [`GetBucketLocation: ${region.value}`],
        fix: {
          summary: `Copy the model data to a bucket in ${target.region} (S3 replication) and register the version with it.`,
        },
      });
      return;
    }
    const object = await this.facts.object(at, bucket, key);
    if (object.state === 'absent') {
      const noBucket = /NoSuchBucket/.test(object.message);
      this.add('artifacts-bucket', resource, group.accountId, 'missing', {
        summary: noBucket
          ? `The bucket s3://${bucket} does not exist in account ${group.accountId}.`
          : `The model data s3://${bucket}/${key} does not exist.`,
        evidence: [`HeadObject: ${object.message}`],
        fix: {
          summary:
            'Upload the model data, or register the version with the right ModelDataUrl.',
        },
      });
      return;
    }
    const policy = await this.facts.bucketPolicy(at, bucket);
    if (policy.state === 'unreadable') {
      this.add('artifacts-bucket', resource, group.accountId, 'unknown', {
        summary: `Could not read the bucket policy of s3://${bucket} with the role of account ${group.accountId}: ${policy.message}`,
        evidence: [policy.message],
        fix: {
          summary: `Let the backend's role in ${group.accountId} call s3:GetBucketPolicy on ${bucket}, or check that the bucket belongs to that account.`,
          policy: fixes.resource,
        },
      });
      return;
    }
    const objectArn = `${resource}/${key}`;
    const verdict = grant({
      resource: resourcePolicyAllows(
        {
          principal: executionRole,
          action: 's3:GetObject',
          resource: objectArn,
          resourceAccountId: group.accountId,
        },
        policy.state === 'present' ? policy.value : undefined,
      ),
      identity: this.identity(role, 's3:GetObject', objectArn, group.accountId),
      needsBoth: group.accountId !== target.accountId,
    });
    const summaries: Record<ReadinessStatus, string> = {
      ok: `${executionRole} may read s3://${bucket}/${key}.`,
      unknown: `Could not read the policies of ${executionRole}.`,
      missing:
        verdict.lacking === 'resource'
          ? `The bucket policy of s3://${bucket} does not let ${executionRole} read s3://${bucket}/${key}.`
          : `The policies of ${executionRole} do not allow s3:GetObject on s3://${bucket}/${key}.`,
    };
    this.add('artifacts-bucket', resource, group.accountId, verdict.status, {
      summary: summaries[verdict.status],
      evidence: [
        `bucket policy: ${
          policy.state === 'present' ? show(policy.value) : 'none'
        }`,
        ...this.roleEvidence(role),
      ],
      fix: this.grantFix(
        verdict.lacking,
        fixes,
        `the bucket policy of s3://${bucket}`,
      ),
    });
  }

  private async key(keyArn: string, role: Fact<RoleFacts>) {
    const { target } = this;
    const executionRole = target.executionRoleArn;
    const [, , , region, accountId] = keyArn.split(':');
    const fixes = {
      resource: this.generator.keyPolicyStatement(keyArn, [target]),
      identity: only(
        this.generator.executionRolePolicy(target, {
          ...noArtifacts(),
          keys: new Set([keyArn]),
        }),
        ['DecryptModelArtifacts'],
      ),
    };
    if (!this.config.accountIds.has(accountId)) {
      this.add('artifacts-key', keyArn, accountId, 'unknown', {
        summary: `The key is in account ${accountId}, which is not configured under aws.accounts, so its key policy cannot be read.`,
        evidence: [keyArn],
        fix: {
          summary: `Make sure the key policy of ${keyArn} grants kms:Decrypt to ${executionRole}.`,
          policy: fixes.resource,
        },
      });
      return;
    }
    const policy = await this.facts.keyPolicy({ accountId, region }, keyArn);
    if (policy.state !== 'present') {
      this.add('artifacts-key', keyArn, accountId, factStatus(policy), {
        summary:
          policy.state === 'absent'
            ? `The KMS key ${keyArn} that encrypts the model data does not exist.`
            : `Could not read the key policy of ${keyArn}: ${policy.message}`,
        evidence: [policy.message],
        fix: {
          summary: `Let the backend's role in ${accountId} call kms:GetKeyPolicy on the key.`,
          policy: fixes.resource,
        },
      });
      return;
    }
    // A key policy must always allow, even in the key's own account.
    const verdict = grant({
      resource: resourcePolicyAllows(
        {
          principal: executionRole,
          action: 'kms:Decrypt',
          resource: keyArn,
          resourceAccountId: accountId,
        },
        policy.value,
      ),
      identity: this.identity(role, 'kms:Decrypt', keyArn, accountId),
      needsBoth: true,
    });
    const summaries: Record<ReadinessStatus, string> = {
      ok: `${executionRole} may decrypt with ${keyArn}.`,
      unknown: `Could not read the policies of ${executionRole}.`,
      missing:
        verdict.lacking === 'resource'
          ? `The key policy of ${keyArn} does not grant kms:Decrypt to ${executionRole}: the endpoint would fail to read its model data.`
          : `The policies of ${executionRole} do not allow kms:Decrypt on ${keyArn}.`,
    };
    this.add('artifacts-key', keyArn, accountId, verdict.status, {
      summary: summaries[verdict.status],
      evidence: [
        `key policy: ${show(policy.value)}`,
        ...this.roleEvidence(role),
      ],
      fix: this.grantFix(verdict.lacking, fixes, `the key policy of ${keyArn}`),
    });
  }

  private async network() {
    const { target } = this;
    const at = { accountId: target.accountId, region: target.region };
    if (target.vpcConfig) {
      const { subnets, securityGroupIds } = target.vpcConfig;
      this.exist('vpc-subnets', subnets, await this.facts.subnets(at, subnets));
      this.exist(
        'vpc-security-groups',
        securityGroupIds,
        await this.facts.securityGroups(at, securityGroupIds),
      );
    }
    if (target.kmsKeyId) {
      const key = await this.facts.key(at, target.kmsKeyId);
      const summaries: Record<ReadinessStatus, string> = {
        ok: `The endpoint storage key exists in ${target.accountId}.`,
        missing: `The KMS key ${target.kmsKeyId} (kmsKeyId of target ${target.name}) does not exist in ${target.accountId}.`,
        unknown: `Could not describe ${target.kmsKeyId}.`,
      };
      this.add(
        'endpoint-kms-key',
        target.kmsKeyId,
        target.accountId,
        factStatus(key),
        {
          summary: summaries[factStatus(key)],
          evidence: [
            key.state === 'present' ? `DescribeKey: ${key.value}` : key.message,
          ],
          fix: {
            summary: `Correct kmsKeyId of target ${target.name} in app-config.yaml, or create the key.`,
          },
        },
      );
    }
  }

  /** Whether every configured id exists in the target. */
  private exist(
    kind: 'vpc-subnets' | 'vpc-security-groups',
    wanted: string[],
    found: Fact<string[]>,
  ) {
    const { target } = this;
    const lacking =
      found.state === 'present'
        ? wanted.filter(id => !found.value.includes(id))
        : wanted;
    let status: ReadinessStatus = lacking.length ? 'missing' : 'ok';
    if (found.state === 'unreadable') {
      status = 'unknown';
    }
    const summaries: Record<ReadinessStatus, string> = {
      ok: `${wanted.join(', ')} exist in ${target.accountId} (${
        target.region
      }).`,
      unknown: `Could not list them in ${target.accountId}.`,
      missing: `${lacking.join(', ')} do not exist in ${target.accountId} (${
        target.region
      }).`,
    };
    this.add(kind, wanted.join(','), target.accountId, status, {
      summary: summaries[status],
      evidence: [
        found.state === 'present'
          ? `found: ${found.value.join(', ') || 'none'}`
          : found.message,
      ],
      fix: {
        summary: `Correct vpcConfig of target ${target.name} in app-config.yaml, or create the resources in ${target.accountId}.`,
      },
    });
  }
}
