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
  AccessRequest,
  identityAllows,
  PolicyDocument,
  resourcePolicyAllows,
} from './evaluateAccess';
import {
  Fact,
  ReadinessFacts,
  RoleFacts,
  VersionArtifacts,
} from './ReadinessFacts';
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
    if (group.region !== target.region) {
      this.add('region', group.arn, group.accountId, 'missing', {
        title: READINESS_CHECK_TITLES['region'],
        summary: `The group is in ${group.region} and ${target.title} deploys to ${target.region}: SageMaker creates a model only from a model package of its own region.`,
        evidence: [
          `group region ${group.region}`,
          `target region ${target.region}`,
        ],
        fix: {
          summary: `Register the version in a model package group in ${target.region}, or configure a deployment target in ${group.region}.`,
        },
      });
      return this.pair();
    }
    this.add('region', group.arn, group.accountId, 'ok', {
      title: READINESS_CHECK_TITLES['region'],
      summary: `The group and ${target.title} are both in ${group.region}.`,
      evidence: [],
    });

    const artifacts = await this.facts.artifacts(group, this.version);
    const refs = await this.refs(artifacts);
    const sample = this.sampleVersion(artifacts);

    await this.groupPolicy(sample);
    const executionRole = await this.facts.role(
      target.accountId,
      target.executionRoleArn,
    );
    this.trust(executionRole);
    await this.passRole();
    await this.images(refs, executionRole, artifacts);
    await this.buckets(refs, executionRole, sample);
    await this.keys(refs, executionRole);
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
    rest: Pick<ReadinessCheck, 'title' | 'summary' | 'evidence' | 'fix'>,
  ) {
    this.checks.push({
      id: `${kind}:${resource}`,
      kind,
      resource,
      accountId,
      status,
      ...rest,
      fix: status === 'ok' ? undefined : rest.fix,
    });
  }

  /** The version whose artifacts stand for the group: the one asked for, else the newest. */
  private sampleVersion(
    artifacts: Fact<VersionArtifacts[]>,
  ): VersionArtifacts | undefined {
    if (artifacts.state !== 'present') {
      return undefined;
    }
    return [...artifacts.value].sort((a, b) => b.version - a.version)[0];
  }

  /** Buckets, repositories and keys the versions reference (keys need reads). */
  private async refs(
    artifacts: Fact<VersionArtifacts[]>,
  ): Promise<ArtifactRefs> {
    const refs = noArtifacts();
    if (artifacts.state !== 'present') {
      this.add(
        'artifacts-bucket',
        this.group.arn,
        this.group.accountId,
        'unknown',
        {
          title: READINESS_CHECK_TITLES['artifacts-bucket'],
          summary: `Could not read the versions of ${this.group.name} to find their artifacts: ${artifacts.message}`,
          evidence: [artifacts.message],
          fix: {
            summary: `Let the backend's role in account ${this.group.accountId} call sagemaker:ListModelPackages and sagemaker:BatchDescribeModelPackage.`,
          },
        },
      );
      return refs;
    }
    for (const v of artifacts.value) {
      for (const url of v.modelDataUrls) {
        const s3 = parseS3Url(url);
        if (s3) {
          const keys = refs.buckets.get(s3.bucket) ?? new Set<string>();
          keys.add(s3.key);
          refs.buckets.set(s3.bucket, keys);
        }
      }
      for (const image of v.images) {
        const repo = parseImage(image);
        if (repo && this.config.accountIds.has(repo.accountId)) {
          refs.repositories.add(repo.arn);
        }
      }
    }
    const sample = this.sampleVersion(artifacts);
    const at = { accountId: this.group.accountId, region: this.group.region };
    for (const bucket of refs.buckets.keys()) {
      const key = await this.facts.bucketDefaultKey(at, bucket);
      if (key.state === 'present' && key.value) {
        await this.addKey(refs, key.value);
      }
    }
    for (const url of sample?.modelDataUrls ?? []) {
      const s3 = parseS3Url(url);
      const object = s3 && (await this.facts.object(at, s3.bucket, s3.key));
      if (object?.state === 'present' && object.value.kmsKeyArn) {
        await this.addKey(refs, object.value.kmsKeyArn);
      }
    }
    return refs;
  }

  private async addKey(refs: ArtifactRefs, keyId: string) {
    if (keyId.includes(':key/')) {
      refs.keys.add(keyId);
      return;
    }
    const resolved = await this.facts.key(
      { accountId: this.group.accountId, region: this.group.region },
      keyId,
    );
    if (resolved.state === 'present') {
      refs.keys.add(resolved.value);
    }
  }

  private async groupPolicy(sample: VersionArtifacts | undefined) {
    const { group, target } = this;
    const title = READINESS_CHECK_TITLES['group-policy'];
    if (group.accountId === target.accountId) {
      this.add('group-policy', group.arn, group.accountId, 'ok', {
        title,
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
    if (policy.state === 'unreadable') {
      this.add('group-policy', group.arn, group.accountId, 'unknown', {
        title,
        summary: `Could not read the resource policy of ${group.name}: ${policy.message}`,
        evidence: [policy.message],
        fix,
      });
      return;
    }
    const request: AccessRequest = {
      principal,
      action: 'sagemaker:CreateModel',
      resource: versionArn,
      resourceAccountId: group.accountId,
    };
    const ok =
      policy.state === 'present' &&
      resourcePolicyAllows(request, policy.value) === 'Allowed';
    this.add(
      'group-policy',
      group.arn,
      group.accountId,
      ok ? 'ok' : 'missing',
      {
        title,
        summary: ok
          ? `The group's resource policy lets account ${target.accountId} create models from its versions.`
          : policy.state === 'absent'
          ? `The group has no resource policy, so CreateModel from account ${target.accountId} is denied.`
          : `The group's resource policy does not allow ${principal} sagemaker:CreateModel on ${versionArn}.`,
        evidence: [
          policy.state === 'present'
            ? `GetModelPackageGroupPolicy: ${show(policy.value)}`
            : `GetModelPackageGroupPolicy: ${policy.message}`,
        ],
        fix,
      },
    );
  }

  private trust(role: Fact<RoleFacts>) {
    const { target } = this;
    const arn = target.executionRoleArn;
    const title = READINESS_CHECK_TITLES['execution-role-trust'];
    const fix = {
      summary: `Create ${arn} (or fix its trust policy) so that sagemaker.amazonaws.com may assume it.`,
      policy: this.generator.executionRoleTrust(target),
    };
    if (role.state !== 'present') {
      this.add(
        'execution-role-trust',
        arn,
        target.accountId,
        role.state === 'absent' ? 'missing' : 'unknown',
        {
          title,
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
    const result = resourcePolicyAllows(
      {
        principal: 'sagemaker.amazonaws.com',
        action: 'sts:AssumeRole',
        resource: arn,
        resourceAccountId: target.accountId,
      },
      role.value.trustPolicy,
    );
    this.add(
      'execution-role-trust',
      arn,
      target.accountId,
      result === 'Allowed' ? 'ok' : 'missing',
      {
        title,
        summary:
          result === 'Allowed'
            ? `${arn} exists and trusts sagemaker.amazonaws.com.`
            : `The trust policy of ${arn} does not let sagemaker.amazonaws.com assume it.`,
        evidence: [`trust policy: ${show(role.value.trustPolicy)}`],
        fix,
      },
    );
  }

  private async passRole() {
    const { target } = this;
    const title = READINESS_CHECK_TITLES['pass-role'];
    const roleArn = this.config.accountRoles.get(target.accountId)?.roleArn;
    const fix = {
      summary: `Allow the backend's role in ${target.accountId} iam:PassRole on ${target.executionRoleArn}, for sagemaker.amazonaws.com only.`,
      policy: only(this.generator.targetBackendPolicy(target, [this.group]), [
        'PassExecutionRole',
      ]),
    };
    if (!roleArn) {
      this.add(
        'pass-role',
        target.executionRoleArn,
        target.accountId,
        'unknown',
        {
          title,
          summary: `aws.accounts names no roleName for ${target.accountId}, so the backend cannot read its own policies there.`,
          evidence: [],
          fix,
        },
      );
      return;
    }
    const role = await this.facts.role(target.accountId, roleArn);
    if (role.state !== 'present') {
      this.add(
        'pass-role',
        target.executionRoleArn,
        target.accountId,
        'unknown',
        {
          title,
          summary: `Could not read the policies of ${roleArn}: ${role.message}`,
          evidence: [role.message],
          fix,
        },
      );
      return;
    }
    const result = identityAllows(
      {
        principal: roleArn,
        action: 'iam:PassRole',
        resource: target.executionRoleArn,
        resourceAccountId: target.accountId,
        context: { 'iam:PassedToService': 'sagemaker.amazonaws.com' },
      },
      role.value.policies.map(p => p.document),
    );
    this.add(
      'pass-role',
      target.executionRoleArn,
      target.accountId,
      result === 'Allowed' ? 'ok' : 'missing',
      {
        title,
        summary:
          result === 'Allowed'
            ? `${roleArn} may pass ${target.executionRoleArn} to SageMaker.`
            : `${roleArn} is not allowed iam:PassRole on ${
                target.executionRoleArn
              }${
                result === 'ExplicitlyDenied' ? ' (explicitly denied)' : ''
              }: CreateModel would fail.`,
        evidence: role.value.policies.map(
          p => `${p.name}: ${show(p.document)}`,
        ),
        fix,
      },
    );
  }

  private identityEvidence(role: Fact<RoleFacts>): string[] {
    return role.state === 'present'
      ? role.value.policies.map(
          p => `execution role policy ${p.name}: ${show(p.document)}`,
        )
      : [`execution role: ${role.message}`];
  }

  /** Identity side for the execution role: Allowed, denied, or unknown. */
  private identity(
    role: Fact<RoleFacts>,
    action: string,
    resource: string,
    resourceAccountId: string,
  ) {
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

  private async images(
    refs: ArtifactRefs,
    role: Fact<RoleFacts>,
    artifacts: Fact<VersionArtifacts[]>,
  ) {
    const { target } = this;
    const title = READINESS_CHECK_TITLES['image-repository'];
    const images = new Set(
      artifacts.state === 'present'
        ? artifacts.value.flatMap(v => v.images)
        : [],
    );
    for (const image of images) {
      const repo = parseImage(image);
      if (repo && !this.config.accountIds.has(repo.accountId)) {
        this.add('image-repository', repo.arn, repo.accountId, 'unknown', {
          title,
          summary: `${image} is in account ${repo.accountId}, which is not configured under aws.accounts, so its repository policy cannot be read. AWS's own framework images (deep learning containers) need no grant.`,
          evidence: [image],
        });
      }
    }
    for (const repoArn of refs.repositories) {
      const repo = parseImage(
        `${repoArn.split(':')[4]}.dkr.ecr.${
          repoArn.split(':')[3]
        }.amazonaws.com/${repoArn.split('/').slice(1).join('/')}`,
      )!;
      const fixes = {
        resource: this.generator.repositoryPolicy(repoArn, [target]),
        identity: only(
          this.generator.executionRolePolicy(target, {
            ...noArtifacts(),
            repositories: new Set([repoArn]),
          }),
          ['PullImages', 'EcrLogin'],
        ),
      };
      if (repo.region !== target.region) {
        this.add('image-repository', repoArn, repo.accountId, 'missing', {
          title,
          summary: `The image is in ${repo.region}; SageMaker in ${target.region} pulls images only from its own region.`,
          evidence: [repoArn],
          fix: {
            summary: `Replicate the repository to ${target.region} (ECR replication) and register the version with that image.`,
          },
        });
        continue;
      }
      const policy = await this.facts.repositoryPolicy(
        { accountId: repo.accountId, region: repo.region },
        repo.repository,
      );
      if (policy.state !== 'present') {
        this.add(
          'image-repository',
          repoArn,
          repo.accountId,
          policy.state === 'absent' ? 'missing' : 'unknown',
          {
            title,
            summary:
              policy.state === 'absent'
                ? `The repository ${repoArn} does not exist.`
                : `Could not read the repository policy of ${repoArn}: ${policy.message}`,
            evidence: [policy.message],
            fix: {
              summary:
                'Create the repository and push the image, or grant the backend ecr:GetRepositoryPolicy.',
              policy: fixes.resource,
            },
          },
        );
        continue;
      }
      const cross = repo.accountId !== target.accountId;
      const actions = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
      const resourceOk =
        !cross ||
        actions.every(
          action =>
            resourcePolicyAllows(
              {
                principal: target.executionRoleArn,
                action,
                resource: repoArn,
                resourceAccountId: repo.accountId,
              },
              policy.value ?? undefined,
            ) === 'Allowed',
        );
      const identity = [
        ...actions.map(a => this.identity(role, a, repoArn, repo.accountId)),
        this.identity(role, 'ecr:GetAuthorizationToken', '*', target.accountId),
      ];
      const identityOk = identity.every(r => r === 'Allowed');
      const status: ReadinessStatus = !resourceOk
        ? 'missing'
        : identity.includes(undefined)
        ? 'unknown'
        : identityOk
        ? 'ok'
        : 'missing';
      this.add('image-repository', repoArn, repo.accountId, status, {
        title,
        summary:
          status === 'ok'
            ? `${target.executionRoleArn} may pull from ${repoArn}.`
            : !resourceOk
            ? `The repository policy of ${repoArn} does not let ${target.executionRoleArn} pull images.`
            : status === 'unknown'
            ? `Could not read the execution role's policies.`
            : `The execution role's policies do not allow pulling from ${repoArn} (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:GetAuthorizationToken).`,
        evidence: [
          `repository policy: ${show(policy.value)}`,
          ...this.identityEvidence(role),
        ],
        fix: {
          summary: !resourceOk
            ? `Add this statement to the repository policy of ${repoArn}.`
            : `Add this statement to ${target.executionRoleArn}.`,
          policy: !resourceOk ? fixes.resource : fixes.identity,
        },
      });
    }
  }

  private async buckets(
    refs: ArtifactRefs,
    role: Fact<RoleFacts>,
    sample: VersionArtifacts | undefined,
  ) {
    const { target, group } = this;
    const title = READINESS_CHECK_TITLES['artifacts-bucket'];
    const at = { accountId: group.accountId, region: group.region };
    for (const [bucket, keys] of refs.buckets) {
      const resource = `arn:aws:s3:::${bucket}`;
      const sampleKey =
        sample?.modelDataUrls.map(parseS3Url).find(s => s?.bucket === bucket)
          ?.key ?? [...keys][0];
      const objectArn = `${resource}/${sampleKey}`;
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
          title,
          summary: `s3://${bucket} is in ${region.value}; SageMaker in ${target.region} reads model data only from its own region.`,
          evidence: [`GetBucketLocation: ${region.value}`],
          fix: {
            summary: `Copy the model data to a bucket in ${target.region} (S3 replication) and register the version with it.`,
          },
        });
        continue;
      }
      const policy = await this.facts.bucketPolicy(at, bucket);
      const object = await this.facts.object(at, bucket, sampleKey);
      const noBucket = [policy, object, region].some(
        f =>
          f.state === 'absent' &&
          /NoSuchBucket\b|NoSuchBucket:/.test(f.message),
      );
      if (noBucket || object.state === 'absent') {
        this.add('artifacts-bucket', resource, group.accountId, 'missing', {
          title,
          summary: noBucket
            ? `The bucket s3://${bucket} does not exist (or not in account ${group.accountId}).`
            : `The model data s3://${bucket}/${sampleKey} does not exist.`,
          evidence: [
            object.state === 'absent'
              ? `HeadObject: ${object.message}`
              : `GetBucketPolicy: ${
                  (policy as { message?: string }).message ?? ''
                }`,
          ],
          fix: {
            summary: `Upload the model data, or register the version with the right ModelDataUrl.`,
          },
        });
        continue;
      }
      if (policy.state === 'unreadable') {
        this.add('artifacts-bucket', resource, group.accountId, 'unknown', {
          title,
          summary: `Could not read the bucket policy of s3://${bucket} with the role of account ${group.accountId}: ${policy.message}`,
          evidence: [policy.message],
          fix: {
            summary: `Let the backend's role in ${group.accountId} call s3:GetBucketPolicy on ${bucket}, or check that the bucket belongs to that account.`,
            policy: fixes.resource,
          },
        });
        continue;
      }
      const cross = group.accountId !== target.accountId;
      const resourceResult = resourcePolicyAllows(
        {
          principal: target.executionRoleArn,
          action: 's3:GetObject',
          resource: objectArn,
          resourceAccountId: group.accountId,
        },
        policy.state === 'present' ? policy.value : undefined,
      );
      const identityResult = this.identity(
        role,
        's3:GetObject',
        objectArn,
        group.accountId,
      );
      const ok = cross
        ? resourceResult === 'Allowed' && identityResult === 'Allowed'
        : resourceResult === 'Allowed' || identityResult === 'Allowed';
      const status: ReadinessStatus = ok
        ? 'ok'
        : identityResult === undefined && resourceResult === 'Allowed'
        ? 'unknown'
        : 'missing';
      const resourceMissing = resourceResult !== 'Allowed';
      this.add('artifacts-bucket', resource, group.accountId, status, {
        title,
        summary: ok
          ? `${target.executionRoleArn} may read s3://${bucket}/${sampleKey}.`
          : resourceMissing
          ? `The bucket policy of s3://${bucket} does not let ${target.executionRoleArn} read s3://${bucket}/${sampleKey}.`
          : `The policies of ${target.executionRoleArn} do not allow s3:GetObject on s3://${bucket}/${sampleKey}.`,
        evidence: [
          `bucket policy: ${
            policy.state === 'present' ? show(policy.value) : 'none'
          }`,
          ...this.identityEvidence(role),
        ],
        fix: {
          summary: resourceMissing
            ? `Add this statement to the bucket policy of s3://${bucket}.`
            : `Add this statement to ${target.executionRoleArn}.`,
          policy: resourceMissing ? fixes.resource : fixes.identity,
        },
      });
    }
  }

  private async keys(refs: ArtifactRefs, role: Fact<RoleFacts>) {
    const { target } = this;
    const title = READINESS_CHECK_TITLES['artifacts-key'];
    for (const keyArn of refs.keys) {
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
          title,
          summary: `The key is in account ${accountId}, which is not configured under aws.accounts, so its key policy cannot be read.`,
          evidence: [keyArn],
          fix: {
            summary: `Make sure the key policy of ${keyArn} grants kms:Decrypt to ${target.executionRoleArn}.`,
            policy: fixes.resource,
          },
        });
        continue;
      }
      const policy = await this.facts.keyPolicy({ accountId, region }, keyArn);
      if (policy.state !== 'present') {
        this.add(
          'artifacts-key',
          keyArn,
          accountId,
          policy.state === 'absent' ? 'missing' : 'unknown',
          {
            title,
            summary:
              policy.state === 'absent'
                ? `The KMS key ${keyArn} that encrypts the model data does not exist.`
                : `Could not read the key policy of ${keyArn}: ${policy.message}`,
            evidence: [policy.message],
            fix: {
              summary: `Let the backend's role in ${accountId} call kms:GetKeyPolicy on the key.`,
              policy: fixes.resource,
            },
          },
        );
        continue;
      }
      const request = {
        principal: target.executionRoleArn,
        action: 'kms:Decrypt',
        resource: keyArn,
        resourceAccountId: accountId,
      };
      const resourceOk =
        resourcePolicyAllows(request, policy.value) === 'Allowed';
      const identityResult = this.identity(
        role,
        'kms:Decrypt',
        keyArn,
        accountId,
      );
      const status: ReadinessStatus = !resourceOk
        ? 'missing'
        : identityResult === undefined
        ? 'unknown'
        : identityResult === 'Allowed'
        ? 'ok'
        : 'missing';
      this.add('artifacts-key', keyArn, accountId, status, {
        title,
        summary:
          status === 'ok'
            ? `${target.executionRoleArn} may decrypt with ${keyArn}.`
            : !resourceOk
            ? `The key policy of ${keyArn} does not grant kms:Decrypt to ${target.executionRoleArn}: the endpoint would fail to read its model data.`
            : status === 'unknown'
            ? "Could not read the execution role's policies."
            : `The policies of ${target.executionRoleArn} do not allow kms:Decrypt on ${keyArn}.`,
        evidence: [
          `key policy: ${show(policy.value)}`,
          ...this.identityEvidence(role),
        ],
        fix: {
          summary: !resourceOk
            ? `Add this statement to the key policy of ${keyArn}.`
            : `Add this statement to ${target.executionRoleArn}.`,
          policy: !resourceOk ? fixes.resource : fixes.identity,
        },
      });
    }
  }

  private async network() {
    const { target } = this;
    const at = { accountId: target.accountId, region: target.region };
    if (target.vpcConfig) {
      const lists: Array<
        [ReadinessCheckKind, string, string[], Fact<string[]>]
      > = [
        [
          'vpc-subnets',
          'Subnets exist',
          target.vpcConfig.subnets,
          await this.facts.subnets(at, target.vpcConfig.subnets),
        ],
        [
          'vpc-security-groups',
          'Security groups exist',
          target.vpcConfig.securityGroupIds,
          await this.facts.securityGroups(
            at,
            target.vpcConfig.securityGroupIds,
          ),
        ],
      ];
      for (const [kind, title, wanted, found] of lists) {
        const missing =
          found.state === 'present'
            ? wanted.filter(id => !found.value.includes(id))
            : wanted;
        const status: ReadinessStatus =
          found.state === 'unreadable'
            ? 'unknown'
            : missing.length
            ? 'missing'
            : 'ok';
        this.add(kind, wanted.join(','), target.accountId, status, {
          title,
          summary:
            status === 'ok'
              ? `${wanted.join(', ')} exist in ${target.accountId} (${
                  target.region
                }).`
              : status === 'unknown'
              ? `Could not list them: ${(found as { message: string }).message}`
              : `${missing.join(', ')} do not exist in ${target.accountId} (${
                  target.region
                }); fix sagemaker.deploymentTargets (${
                  target.name
                }).vpcConfig.`,
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
    if (target.kmsKeyId) {
      const key = await this.facts.key(at, target.kmsKeyId);
      const status: ReadinessStatus =
        key.state === 'present'
          ? 'ok'
          : key.state === 'absent'
          ? 'missing'
          : 'unknown';
      this.add('endpoint-kms-key', target.kmsKeyId, target.accountId, status, {
        title: READINESS_CHECK_TITLES['endpoint-kms-key'],
        summary:
          status === 'ok'
            ? `The endpoint storage key exists in ${target.accountId}.`
            : status === 'missing'
            ? `The KMS key ${target.kmsKeyId} (kmsKeyId of target ${target.name}) does not exist in ${target.accountId}.`
            : `Could not describe ${target.kmsKeyId}: ${
                (key as { message: string }).message
              }`,
        evidence: [
          key.state === 'present' ? `DescribeKey: ${key.value}` : key.message,
        ],
        fix: {
          summary: `Correct kmsKeyId of target ${target.name} in app-config.yaml, or create the key.`,
        },
      });
    }
  }
}
