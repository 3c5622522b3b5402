import {
  UpdateModelPackageCommand,
  UpdateModelPackageCommandInput,
} from '@aws-sdk/client-sagemaker';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  isError,
} from '@backstage/errors';
import {
  ApprovalResponse,
  Deployment,
  DeployRequest,
  EntityDeploymentsResponse,
  RollbackRequest,
  HistoryEvent,
  HistoryPage,
  lifecycleComment,
  LifecycleRequest,
  LifecycleResponse,
  ModelApprovalStatus,
  modelPackageArn,
  parseModelPackageArn,
} from '@internal/backstage-plugin-sagemaker-common';
import { createHash, randomUUID } from 'node:crypto';
import { awsErrorDetails } from '../aws/errors';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { DeploymentTarget } from '../config/SageMakerConfig';
import { LifecycleConfig } from '../config/readGovernanceConfig';
import { EvidenceGateChecker } from '../gates/EvidenceGateChecker';
import type {
  ModelPackageGroupArn,
  ReadinessCheck,
} from '@internal/backstage-plugin-sagemaker-common';
import { NewHistoryEvent, SageMakerStore } from '../database/SageMakerStore';
import { DeploymentRunner } from './DeploymentExecutor';
import { EntityGroupResolver, ResolvedEntity } from './EntityGroupResolver';
import { dedupeKeys } from './dedupeKeys';
import { deploymentEvent, HistoryRecorder } from './HistoryRecorder';
import { historyPage } from './historyCursor';
import { rollbackOptions } from './rollbackPlan';
import {
  ActionOptions,
  SageMakerActionsService,
  sourceOf,
} from './actionTypes';
import { SageMakerRegistryService, TargetEndpoints } from './types';

/** Endpoint states in which SageMaker refuses another update. */
const BUSY_ENDPOINT = new Set([
  'Creating',
  'Updating',
  'SystemUpdating',
  'RollingBack',
  'Deleting',
  'UpdateRollbackFailed',
]);

/** How long the loser of an approval race waits for the winner's outcome. */
const RACE_OUTCOME_WAIT_MS = 10_000;
/** How many of an entity's latest deployments a rollback looks back over. */
const ROLLBACK_HISTORY = 200;

/** SageMaker's ApprovalDescription limit. */
const APPROVAL_DESCRIPTION_MAX = 1024;

/** SageMaker's StageDescription limit. */
const STAGE_DESCRIPTION_MAX = 1024;

/** How a write through Backstage names who made it, in SageMaker's text fields. */
function attribution(verb: string, actor: string, options: ActionOptions) {
  return `(${verb} by ${actor} via Backstage${
    options.via === 'agent' ? ', through an agent acting for them' : ''
  })`;
}

function userOf(options: ActionOptions): string {
  const principal = options.credentials.principal as {
    type: string;
    userEntityRef?: string;
  };
  if (principal.type !== 'user' || !principal.userEntityRef) {
    throw new NotAllowedError(
      'Approvals and deployments are made by signed-in users only',
    );
  }
  return principal.userEntityRef;
}

/**
 * Approvals and deployments, with the guardrails enforced here on the
 * server: valid transitions, Approved-only deploys, configured targets and
 * allow-lists, `requires`, busy endpoints, idempotency, and an intent record
 * before every AWS write.
 */
export class DefaultSageMakerActionsService implements SageMakerActionsService {
  constructor(
    private readonly deps: {
      resolver: EntityGroupResolver;
      gateway: SageMakerGateway;
      store: SageMakerStore;
      history: HistoryRecorder;
      registry: Pick<
        SageMakerRegistryService,
        'invalidateGroup' | 'versionDetails'
      >;
      endpoints: TargetEndpoints;
      executor: DeploymentRunner;
      targets: DeploymentTarget[];
      /** The lifecycle stages and statuses users may set. */
      lifecycle: LifecycleConfig;
      /** Refuses a deploy whose version fails one of the target's evidence gates. */
      gates?: Pick<EvidenceGateChecker, 'enforce'>;
      /** Refuses a deploy whose readiness checks say it would fail. */
      preflight?: {
        blockers(
          group: ModelPackageGroupArn,
          target: DeploymentTarget,
          version: number,
        ): Promise<ReadinessCheck[]>;
      };
    },
  ) {}

  async setApproval(
    ref: CompoundEntityRef,
    request: {
      group?: string;
      version: number;
      status: 'Approved' | 'Rejected';
      comment?: string;
    },
    options: ActionOptions,
  ): Promise<ApprovalResponse> {
    const actor = userOf(options);
    const entity = await this.deps.resolver.resolve(ref, options.credentials);
    const group = EntityGroupResolver.pickOrOnly(entity, request.group);
    const versionArn = modelPackageArn(group, request.version);
    const action = request.status === 'Approved' ? 'approve' : 'reject';

    const current = await this.deps.gateway.describeModelPackage(
      group,
      versionArn,
    );
    const from = (current.ModelApprovalStatus ??
      'PendingManualApproval') as ModelApprovalStatus;
    const already = `Version ${request.version} of ${group.name} is already ${request.status}`;
    if (from === request.status) {
      throw new ConflictError(already);
    }

    const base = {
      actor,
      action,
      source: sourceOf(options),
      entityRef: entity.entityRef,
      groupArn: group.arn,
      versionArn,
      version: request.version,
      accountId: group.accountId,
      region: group.region,
      comment: request.comment,
    } as const;
    // The intent is recorded before the write. Its key is the state the
    // decision was made on, so that concurrent identical requests make one
    // change: the others find the key taken.
    const { intent, dedupeKey } = await this.recordIntent(
      base,
      dedupeKeys.approvalIntent({
        versionArn,
        from,
        to: request.status,
        decidedOn:
          current.LastModifiedTime?.toISOString() ??
          current.CreationTime?.toISOString(),
      }),
    );
    if (!intent) {
      throw await this.lostTo(dedupeKey, {
        already,
        inFlight: `Version ${request.version} of ${group.name} is already being changed from ${from} to ${request.status} by another request`,
      });
    }

    const description = [
      request.comment,
      attribution(request.status.toLowerCase(), actor, options),
    ]
      .filter(Boolean)
      .join(' ')
      .slice(-APPROVAL_DESCRIPTION_MAX);
    return this.writeAndRecord(base, intent, group, {
      ModelPackageArn: versionArn,
      ModelApprovalStatus: request.status,
      ApprovalDescription: description,
    });
  }

  async setLifecycle(
    ref: CompoundEntityRef,
    request: LifecycleRequest & { version: number },
    options: ActionOptions,
  ): Promise<LifecycleResponse> {
    const actor = userOf(options);
    const { stages, statuses } = this.deps.lifecycle;
    if (!stages.includes(request.stage)) {
      throw new InputError(
        `stage: '${
          request.stage
        }' is not a configured lifecycle stage (${stages.join(', ')})`,
      );
    }
    if (!statuses.includes(request.stageStatus)) {
      throw new InputError(
        `stageStatus: '${
          request.stageStatus
        }' is not a configured stage status (${statuses.join(', ')})`,
      );
    }
    const entity = await this.deps.resolver.resolve(ref, options.credentials);
    const group = EntityGroupResolver.pickOrOnly(entity, request.group);
    const versionArn = modelPackageArn(group, request.version);
    const current = await this.deps.gateway.describeModelPackage(
      group,
      versionArn,
    );
    const from = current.ModelLifeCycle?.Stage
      ? `${current.ModelLifeCycle.Stage}/${current.ModelLifeCycle.StageStatus}`
      : 'none';
    const to = `${request.stage}/${request.stageStatus}`;
    const label = `Version ${request.version} of ${group.name}`;
    const already = `${label} is already in stage ${request.stage} (${request.stageStatus})`;
    if (from === to) {
      throw new ConflictError(already);
    }

    const base = {
      actor,
      action: 'lifecycle',
      source: sourceOf(options),
      entityRef: entity.entityRef,
      groupArn: group.arn,
      versionArn,
      version: request.version,
      accountId: group.accountId,
      region: group.region,
      comment: lifecycleComment(request),
    } as const;
    const { intent, dedupeKey } = await this.recordIntent(
      base,
      dedupeKeys.lifecycleIntent({
        versionArn,
        from,
        to,
        decidedOn:
          current.LastModifiedTime?.toISOString() ??
          current.CreationTime?.toISOString(),
      }),
    );
    if (!intent) {
      throw await this.lostTo(dedupeKey, {
        already,
        inFlight: `${label} is already being moved to stage ${request.stage} (${request.stageStatus}) by another request`,
      });
    }

    const description = [
      request.stageDescription,
      attribution('stage set', actor, options),
    ]
      .filter(Boolean)
      .join(' ')
      .slice(-STAGE_DESCRIPTION_MAX);
    return this.writeAndRecord(base, intent, group, {
      ModelPackageArn: versionArn,
      ModelLifeCycle: {
        Stage: request.stage,
        StageStatus: request.stageStatus,
        StageDescription: description,
      },
    });
  }

  /**
   * The write of an approval or lifecycle intent: UpdateModelPackage as the
   * user, its outcome recorded under the intent's outcome key (succeeded, or
   * failed with AWS's error), the group's cache invalidated, and the version
   * as it is now.
   */
  private async writeAndRecord(
    base: Omit<NewHistoryEvent, 'outcome' | 'dedupeKey'>,
    intent: HistoryEvent,
    group: ModelPackageGroupArn,
    input: UpdateModelPackageCommandInput & { ModelPackageArn: string },
  ): Promise<ApprovalResponse> {
    try {
      const updated = await this.deps.gateway.callAsUser(
        group,
        base.actor,
        'UpdateModelPackage',
        client => client.send(new UpdateModelPackageCommand(input)),
      );
      const event = await this.deps.history.record({
        ...base,
        outcome: 'succeeded',
        awsRequestId: updated.$metadata?.requestId,
        dedupeKey: dedupeKeys.approvalOutcome(intent.seq),
      });
      await this.deps.registry.invalidateGroup(group.arn);
      const after = await this.deps.gateway.describeModelPackage(
        group,
        input.ModelPackageArn,
      );
      return {
        version: await this.deps.registry.versionDetails(group, after),
        event: event!,
      };
    } catch (error) {
      const aws = awsErrorDetails(error);
      await this.deps.history.record({
        ...base,
        outcome: 'failed',
        awsErrorCode: aws.code,
        awsErrorMessage: aws.message,
        awsRequestId: aws.requestId,
        dedupeKey: dedupeKeys.approvalOutcome(intent.seq),
      });
      throw error;
    }
  }

  /**
   * Records an approval intent under its key. A failed attempt changed
   * nothing in SageMaker, so a new attempt reads the same state and builds
   * the same key: it then takes the key of a retry after that failure, and so
   * on along the failures. No intent (a race lost) when an attempt holds the
   * key and has not failed; `dedupeKey` is the key of that attempt.
   */
  private async recordIntent(
    event: Omit<NewHistoryEvent, 'outcome' | 'dedupeKey'>,
    intentKey: string,
  ): Promise<{ intent?: HistoryEvent; dedupeKey: string }> {
    let dedupeKey = intentKey;
    for (;;) {
      const intent = await this.deps.history.record({
        ...event,
        outcome: 'requested',
        dedupeKey,
      });
      if (intent) {
        return { intent, dedupeKey };
      }
      const holder = await this.deps.store.findEventByDedupeKey(dedupeKey);
      const outcome =
        holder &&
        (await this.deps.store.findEventByDedupeKey(
          dedupeKeys.approvalOutcome(holder.seq),
        ));
      if (outcome?.outcome !== 'failed') {
        return { dedupeKey };
      }
      dedupeKey = dedupeKeys.approvalRetry(intentKey, outcome.seq);
    }
  }

  /**
   * An identical request holds the intent: waits briefly for its outcome, so
   * that every loser of a race answers as a request arriving after the
   * change does (`already`), whatever the timing.
   */
  private async lostTo(
    dedupeKey: string,
    messages: { already: string; inFlight: string },
  ): Promise<Error> {
    const winner = await this.deps.store.findEventByDedupeKey(dedupeKey);
    const deadline = Date.now() + RACE_OUTCOME_WAIT_MS;
    while (winner && Date.now() < deadline) {
      const outcome = await this.deps.store.findEventByDedupeKey(
        dedupeKeys.approvalOutcome(winner.seq),
      );
      if (outcome?.outcome === 'succeeded') {
        return new ConflictError(messages.already);
      }
      if (outcome) {
        return new ConflictError(
          `${messages.inFlight}, which failed (${
            outcome.awsErrorCode ?? 'unknown error'
          }); try again`,
        );
      }
      await new Promise(r => setTimeout(r, 100));
    }
    return new ConflictError(messages.inFlight);
  }

  async rollback(
    ref: CompoundEntityRef,
    request: RollbackRequest,
    options: ActionOptions & { idempotencyKey?: string },
  ): Promise<Deployment> {
    // Only a user deploys, a rollback too: refused before anything is read.
    userOf(options);
    const entity = await this.deps.resolver.resolve(ref, options.credentials);
    const deployments = await this.deps.store.listEntityDeployments(
      entity.entityRef,
      ROLLBACK_HISTORY,
    );
    const option = rollbackOptions(deployments).find(
      o =>
        o.target === request.target && o.endpointName === request.endpointName,
    );
    if (!option) {
      throw new NotFoundError(
        `${request.endpointName} on ${request.target} has no earlier version of ${entity.entityRef} deployed through Backstage to roll back to`,
      );
    }
    const restored = deployments.find(d => d.id === option.restores)!;
    const serverless = restored.instanceType === 'serverless';
    return this.deploy(
      ref,
      {
        group: option.groupArn,
        version: option.version,
        target: option.target,
        endpointName: option.endpointName,
        instanceType: serverless ? undefined : restored.instanceType,
        instanceCount: serverless ? undefined : restored.instanceCount,
      },
      { ...options, rollbackOf: option.undoes },
    );
  }

  async deploy(
    ref: CompoundEntityRef,
    request: DeployRequest,
    options: ActionOptions & { idempotencyKey?: string; rollbackOf?: string },
  ): Promise<Deployment> {
    const actor = userOf(options);
    const target = this.deps.targets.find(t => t.name === request.target);
    if (!target) {
      throw new InputError(
        `target: '${
          request.target
        }' is not a configured deployment target (${this.deps.targets
          .map(t => t.name)
          .join(', ')})`,
      );
    }
    const { instanceType, instanceCount } = instancesFor(target, request);
    const entity = await this.deps.resolver.resolve(ref, options.credentials);
    const group = EntityGroupResolver.pickOrOnly(entity, request.group);
    const versionArn = modelPackageArn(group, request.version);
    const requestHash = createHash('sha256')
      .update(
        JSON.stringify([
          entity.entityRef,
          group.arn,
          request.version,
          request.target,
          request.endpointName,
          instanceType,
          instanceCount,
          options.rollbackOf,
        ]),
      )
      .digest('hex');

    if (options.idempotencyKey) {
      const replay = await this.findReplay(
        actor,
        options.idempotencyKey,
        requestHash,
      );
      if (replay) {
        return replay;
      }
    }

    const version = await this.deps.gateway.describeModelPackage(
      group,
      versionArn,
    );
    if (version.ModelApprovalStatus !== 'Approved') {
      throw new ConflictError(
        `Version ${request.version} of ${group.name} is ${
          version.ModelApprovalStatus ?? 'PendingManualApproval'
        }; only Approved versions can be deployed`,
      );
    }
    // A rollback restores what already served this endpoint: the version
    // need not be InService on the required targets again.
    for (const required of options.rollbackOf ? [] : target.requires) {
      const requiredTarget = this.deps.targets.find(t => t.name === required)!;
      const { endpoints } = await this.deps.endpoints.endpointsServing(
        requiredTarget,
        [group.arn],
        { fresh: true },
      );
      const live = endpoints.some(
        e =>
          e.status === 'InService' &&
          e.variants.some(v => v.versionArn === versionArn),
      );
      if (!live) {
        throw new ConflictError(
          `${target.name} requires version ${request.version} of ${group.name} to be InService on ${required} first`,
        );
      }
    }

    await this.deps.gates?.enforce(group, target, version, actor);
    await this.preflight(group, target, request.version);

    let mode: Deployment['mode'];
    try {
      mode = await this.endpointMode(target, request.endpointName, entity);
    } catch (error) {
      // A retry racing its own first attempt (the same Idempotency-Key)
      // finds that attempt's endpoint already Creating: it is a replay.
      const replay =
        options.idempotencyKey &&
        (await this.findReplay(actor, options.idempotencyKey, requestHash));
      if (replay) {
        return replay;
      }
      throw error;
    }
    const id = randomUUID();
    const resourceName = `${request.endpointName.slice(0, 40)}-v${
      request.version
    }-${id.slice(0, 8)}`;
    const {
      created,
      deployment,
      requestHash: storedHash,
    } = await this.deps.store.createDeployment({
      id,
      requestedBy: actor,
      requestedVia: options.via,
      rollbackOf: options.rollbackOf,
      idempotencyKey: options.idempotencyKey,
      requestHash,
      entityRef: entity.entityRef,
      groupArn: group.arn,
      versionArn,
      version: request.version,
      target: target.name,
      accountId: target.accountId,
      region: target.region,
      endpointName: request.endpointName,
      instanceType,
      instanceCount,
      mode,
      modelName: resourceName,
      endpointConfigName: resourceName,
    });
    if (!created) {
      if (storedHash !== requestHash) {
        throw new ConflictError(
          'Idempotency-Key was already used for a different deployment request',
        );
      }
      return deployment;
    }
    await this.deps.history.record({
      ...deploymentEvent(deployment),
      outcome: 'requested',
    });
    // Runs in the background; the scheduled follower resumes it if this
    // process stops before the end.
    void this.deps.executor.run(id);
    return deployment;
  }

  async getDeployment(id: string, options: ActionOptions): Promise<Deployment> {
    const deployment = await this.deps.store.getDeployment(id);
    if (!deployment) {
      throw new NotFoundError(`Deployment ${id} was not found`);
    }
    // Visible only to callers who can see the entity it belongs to.
    await this.deps.resolver
      .requireVisible(parseEntityRef(deployment.entityRef), options.credentials)
      .catch(error => {
        if (isError(error) && error.name === 'NotFoundError') {
          throw new NotFoundError(`Deployment ${id} was not found`);
        }
        throw error;
      });
    return deployment;
  }

  async listDeployments(
    ref: CompoundEntityRef,
    options: ActionOptions,
  ): Promise<EntityDeploymentsResponse> {
    const entity = await this.deps.resolver.resolve(ref, options.credentials);
    const deployments = await this.deps.store.listEntityDeployments(
      entity.entityRef,
      ROLLBACK_HISTORY,
    );
    return {
      deployments: deployments.slice(0, 50),
      rollbacks: rollbackOptions(deployments),
    };
  }

  async listHistory(
    ref: CompoundEntityRef,
    query: { limit: number; cursor?: string },
    options: ActionOptions,
  ): Promise<HistoryPage> {
    const entityRef = await this.deps.resolver.requireVisible(
      ref,
      options.credentials,
    );
    return historyPage(query, page =>
      this.deps.store.listEntityEvents(entityRef, page),
    );
  }

  private async findReplay(
    actor: string,
    key: string,
    requestHash: string,
  ): Promise<Deployment | undefined> {
    const replay = await this.deps.store.findDeploymentByKey(actor, key);
    if (!replay) {
      return undefined;
    }
    if (replay.requestHash !== requestHash) {
      throw new ConflictError(
        'Idempotency-Key was already used for a different deployment request',
      );
    }
    return replay.deployment;
  }

  /**
   * Refuses, before any AWS write, a deploy that a `missing` readiness check
   * says AWS would refuse (a grant, a role, a region), naming the check and
   * its fix. `unknown` checks do not block: the deploy is AWS's to refuse.
   */
  private async preflight(
    group: ModelPackageGroupArn,
    target: DeploymentTarget,
    version: number,
  ) {
    const blockers =
      (await this.deps.preflight?.blockers(group, target, version)) ?? [];
    if (blockers.length) {
      throw new ConflictError(
        `Deploying version ${version} of ${group.name} to ${
          target.name
        } would fail: ${blockers
          .map(
            b =>
              `${b.title} (${b.summary}${
                b.fix ? ` Fix: ${b.fix.summary}` : ''
              })`,
          )
          .join('; ')}`,
      );
    }
  }

  /**
   * Whether the deploy creates the endpoint or updates it. An existing
   * endpoint is updated only when it is settled and every variant serves a
   * version of a group this entity names: the plugin's role could update any
   * endpoint of the target, so another team's endpoint is refused here.
   */
  private async endpointMode(
    target: DeploymentTarget,
    endpointName: string,
    entity: ResolvedEntity,
  ): Promise<'create' | 'update'> {
    const endpoint = await this.deps.endpoints.describeEndpointInTarget(
      target,
      endpointName,
    );
    if (!endpoint) {
      return 'create';
    }
    const where = `Endpoint ${endpointName} in ${target.name} (account ${target.accountId})`;
    if (BUSY_ENDPOINT.has(endpoint.status)) {
      throw new ConflictError(
        `${where} is ${endpoint.status}; wait until it settles`,
      );
    }
    if (endpoint.status === 'Failed') {
      throw new ConflictError(
        `${where} is Failed and cannot be updated; delete it or choose another name`,
      );
    }
    const owned = new Set(entity.groups.map(group => group.arn));
    const foreign = endpoint.variants.filter(
      variant =>
        !variant.versionArn ||
        !owned.has(parseModelPackageArn(variant.versionArn)?.groupArn ?? ''),
    );
    if (foreign.length > 0 || endpoint.variants.length === 0) {
      const serves = foreign.length
        ? foreign
            .map(variant =>
              variant.groupName
                ? `${variant.groupName} version ${variant.version}`
                : `model ${
                    variant.modelName || '(unknown)'
                  }, not from a model package`,
            )
            .join(', ')
        : 'no variant';
      throw new ConflictError(
        `${where} serves ${serves}, which ${entity.entityRef} does not name; choose another endpoint name`,
      );
    }
    return 'update';
  }
}

/**
 * The instances a deploy asks for, checked against the target: an allowed
 * type and count, or none at all on a serverless target (recorded as
 * `serverless`, 0).
 */
function instancesFor(
  target: DeploymentTarget,
  request: DeployRequest,
): { instanceType: string; instanceCount: number } {
  if (target.serverless) {
    if (request.instanceType !== undefined) {
      throw new InputError(
        `instanceType: ${target.name} is serverless and takes no instance type`,
      );
    }
    if (request.instanceCount !== undefined) {
      throw new InputError(
        `instanceCount: ${target.name} is serverless and takes no instance count`,
      );
    }
    return { instanceType: 'serverless', instanceCount: 0 };
  }
  if (request.instanceType === undefined) {
    throw new InputError(`instanceType: required for ${target.name}`);
  }
  if (!target.instanceTypes.includes(request.instanceType)) {
    throw new InputError(
      `instanceType: '${request.instanceType}' is not allowed on ${
        target.name
      } (${target.instanceTypes.join(', ')})`,
    );
  }
  const instanceCount = request.instanceCount ?? 1;
  if (instanceCount > target.maxInstanceCount) {
    throw new InputError(
      `instanceCount: ${instanceCount} is more than ${target.name} allows (${target.maxInstanceCount})`,
    );
  }
  return { instanceType: request.instanceType, instanceCount };
}
