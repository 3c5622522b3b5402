import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  GeneratedPoliciesResponse,
  getModelPackageGroupArnValues,
  ModelPackageGroupArn,
  parseModelPackageGroupArn,
  READINESS_CHECK_TITLES,
  ReadinessCheck,
  ReadinessReport,
  SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION,
  sageMakerReadinessReadPermission,
} from '@internal/backstage-plugin-sagemaker-common';
import { AccountRole, DeploymentTarget } from '../config/SageMakerConfig';
import { EntityGroupResolver } from '../service/EntityGroupResolver';
import { toCloudFormation } from './cloudFormation';
import { ReadinessFacts } from './ReadinessFacts';
import { PairChecks } from './PairChecks';
import { addArtifactRefs, newestVersion } from './artifactRefs';
import {
  ArtifactRefs,
  noArtifacts,
  parseS3Url,
  PolicyGenerator,
} from './PolicyGenerator';

/** At most this many groups in an organisation-wide report. */
const MAX_ORG_GROUPS = 100;

/**
 * Preflight and policy generation: for an entity (its groups × the targets)
 * and organisation-wide (every annotated entity's groups, behind
 * `sagemaker.readiness.read`).
 */
export class DefaultReadinessService {
  private readonly generator: PolicyGenerator;

  constructor(
    private readonly deps: {
      facts: ReadinessFacts;
      resolver: EntityGroupResolver;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      accountIds: ReadonlySet<string>;
      accountRoles: Map<string, AccountRole>;
      targets: DeploymentTarget[];
    },
  ) {
    this.generator = new PolicyGenerator(deps.accountRoles);
  }

  async entityReport(
    ref: CompoundEntityRef,
    query: {
      target?: string;
      group?: string;
      version?: number;
      fresh?: string;
    },
    credentials: BackstageCredentials,
  ): Promise<ReadinessReport> {
    const entity = await this.deps.resolver.resolve(ref, credentials);
    const groups = query.group
      ? [EntityGroupResolver.pick(entity, query.group)]
      : entity.groups;
    return {
      entityRef: entity.entityRef,
      ...(await this.report(groups, this.targets(query.target), query)),
    };
  }

  async orgReport(
    query: { target?: string; fresh?: string },
    credentials: BackstageCredentials,
  ): Promise<ReadinessReport> {
    await this.authorizeOrg(credentials);
    return this.report(
      await this.catalogGroups(),
      this.targets(query.target),
      query,
    );
  }

  /**
   * The checks of one deploy that are `missing`: the deploy would fail on
   * them, so it is refused before any AWS write.
   */
  async blockers(
    group: ModelPackageGroupArn,
    target: DeploymentTarget,
    version: number,
  ): Promise<ReadinessCheck[]> {
    const pair = await new PairChecks(
      this.deps.facts.forReport(),
      this.generator,
      this.deps,
      group,
      target,
      version,
    ).run();
    return pair.checks.filter(c => c.status === 'missing');
  }

  async entityPolicies(
    ref: CompoundEntityRef,
    query: { target?: string },
    credentials: BackstageCredentials,
  ): Promise<GeneratedPoliciesResponse> {
    const entity = await this.deps.resolver.resolve(ref, credentials);
    return {
      entityRef: entity.entityRef,
      ...(await this.policies(entity.groups, this.targets(query.target))),
    };
  }

  async orgPolicies(
    query: { target?: string },
    credentials: BackstageCredentials,
  ): Promise<GeneratedPoliciesResponse> {
    await this.authorizeOrg(credentials);
    return this.policies(
      await this.catalogGroups(),
      this.targets(query.target),
    );
  }

  private targets(name?: string): DeploymentTarget[] {
    if (!name) {
      return this.deps.targets;
    }
    const target = this.deps.targets.find(t => t.name === name);
    if (!target) {
      throw new NotFoundError(
        `target: '${name}' is not a configured deployment target (${this.deps.targets
          .map(t => t.name)
          .join(', ')})`,
      );
    }
    return [target];
  }

  private async report(
    groups: ModelPackageGroupArn[],
    targets: DeploymentTarget[],
    query: { version?: number; fresh?: string },
  ): Promise<Omit<ReadinessReport, 'entityRef'>> {
    if (query.fresh === 'true') {
      await this.deps.facts.refresh();
    }
    const facts = this.deps.facts.forReport();
    const accounts: ReadinessCheck[] = [];
    const accountIds = [
      ...new Set([
        ...groups.map(g => g.accountId),
        ...targets.map(t => t.accountId),
      ]),
    ];
    for (const accountId of accountIds) {
      const region =
        targets.find(t => t.accountId === accountId)?.region ??
        groups.find(g => g.accountId === accountId)!.region;
      const role = this.deps.accountRoles.get(accountId);
      const fact = await facts.canAssumeRole(accountId, region);
      accounts.push({
        id: `access-role:${accountId}`,
        kind: 'access-role',
        title: READINESS_CHECK_TITLES['access-role'],
        status: fact.state === 'present' ? 'ok' : 'missing',
        accountId,
        resource: role?.roleArn ?? `account ${accountId}`,
        summary:
          fact.state === 'present'
            ? `The backend gets credentials for ${role?.roleArn ?? accountId}${
                role?.externalId ? ' (with its ExternalId)' : ''
              }.`
            : `The backend cannot get credentials for account ${accountId}: ${fact.message}`,
        evidence: fact.state === 'present' ? [] : [fact.message],
        fix:
          fact.state === 'present'
            ? undefined
            : {
                summary: `Let the backend's own identity call sts:AssumeRole on ${
                  role?.roleArn ?? `a role in ${accountId}`
                } (the role's trust policy must name it${
                  role?.externalId
                    ? ', with the configured ExternalId as sts:ExternalId'
                    : ''
                }).`,
              },
      });
    }
    const pairs = [];
    for (const group of groups) {
      for (const target of targets) {
        pairs.push(
          await new PairChecks(
            facts,
            this.generator,
            this.deps,
            group,
            target,
            query.version,
          ).run(),
        );
      }
    }
    return {
      generatedAt: new Date().toISOString(),
      accounts,
      pairs,
      awsCalls: { total: facts.totalCalls, byAction: facts.calls },
    };
  }

  private async policies(
    groups: ModelPackageGroupArn[],
    targets: DeploymentTarget[],
  ): Promise<Omit<GeneratedPoliciesResponse, 'entityRef'>> {
    const facts = this.deps.facts.forReport();
    const refs: ArtifactRefs = noArtifacts();
    const owners = new Map<string, string>();
    for (const group of groups) {
      const artifacts = await facts.artifacts(group);
      if (artifacts.state !== 'present') {
        continue;
      }
      for (const v of artifacts.value) {
        for (const s3 of v.modelDataUrls.map(parseS3Url)) {
          if (s3) owners.set(s3.bucket, group.accountId);
        }
      }
      await addArtifactRefs(refs, {
        facts,
        group,
        versions: artifacts.value,
        sample: newestVersion(artifacts.value),
        accountIds: this.deps.accountIds,
      });
    }
    const policies = this.generator.all(
      groups,
      refs,
      targets,
      bucket => owners.get(bucket) ?? groups[0]?.accountId ?? '',
    );
    return { policies, cloudFormation: toCloudFormation(policies) };
  }

  private async authorizeOrg(credentials: BackstageCredentials) {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: sageMakerReadinessReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'Only platform admins may read the organisation-wide readiness report (sagemaker.readiness.read)',
      );
    }
  }

  /** Every group named by an annotated entity the plugin can see, bounded. */
  private async catalogGroups(): Promise<ModelPackageGroupArn[]> {
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${SAGEMAKER_MODEL_PACKAGE_GROUP_ARN_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: ['kind', 'metadata', 'spec'],
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    const groups = new Map<string, ModelPackageGroupArn>();
    for (const entity of items) {
      for (const value of getModelPackageGroupArnValues(entity)) {
        const arn = parseModelPackageGroupArn(value);
        if (arn && this.deps.accountIds.has(arn.accountId)) {
          groups.set(arn.arn, arn);
        }
      }
      if (groups.size >= MAX_ORG_GROUPS) {
        break;
      }
    }
    return [...groups.values()].slice(0, MAX_ORG_GROUPS);
  }
}
