import {
  AddTagsCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointCommandOutput,
  SageMakerClient,
  Tag,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import {
  alarmsNamedIn,
  Deployment,
  HistoryEvent,
  HistoryOutcome,
} from '@internal/backstage-plugin-sagemaker-common';
import {
  toDeploymentConfig,
  toProductionVariant,
} from '../aws/deploymentConfig';
import { awsErrorDetails, isAlreadyExists } from '../aws/errors';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { DeploymentTarget } from '../config/SageMakerConfig';
import { DeploymentPatch, SageMakerStore } from '../database/SageMakerStore';
import { dedupeKeys } from './dedupeKeys';
import { trafficOf } from './deploymentTraffic';
import { GROUP_TAG } from './EndpointResolver';
import { deploymentEvent, HistoryRecorder } from './HistoryRecorder';

type Failure = {
  code: string;
  message: string;
  requestId?: string;
  /** The history outcome, when not `failed`. */
  outcome?: HistoryOutcome;
};

/** What starts a deployment's run: the actions service and the follow-up task. */
export interface DeploymentRunner {
  /** Claims the deployment and drives it to the end; no-op if claimed elsewhere. */
  run(id: string): Promise<void>;
}

/**
 * Carries a deployment through its steps: model → endpoint config →
 * endpoint (create or update) → wait for InService or Failed. Every step can
 * be replayed: a worker that died mid-step is replaced, after its lease ends,
 * by whichever replica's scheduled task claims the deployment next, and an
 * "already exists" from a replayed create counts as done.
 */
export class DeploymentExecutor implements DeploymentRunner {
  /** Deployments this process follows, waiting between two reads; wakes each. */
  private readonly waiting = new Map<
    string,
    { endpoint: string; wake: () => void }
  >();

  constructor(
    private readonly deps: {
      store: SageMakerStore;
      gateway: SageMakerGateway;
      history: HistoryRecorder;
      targets: DeploymentTarget[];
      logger: LoggerService;
      pollIntervalMs: number;
      /** How long a worker holds a deployment without renewing it. */
      leaseMs: number;
      onEndpointChange: (target: DeploymentTarget) => Promise<void>;
      /** After a deployment succeeded, e.g. to tidy what updates left. */
      onSucceeded?: (d: Deployment) => Promise<void>;
      /**
       * After each stored change of a deployment's status, phase, endpoint
       * status or traffic shifting, with the deployment as stored, e.g. to
       * signal the pages that show it. A failure is logged, never the
       * deployment's.
       */
      onProgress?: (d: Deployment) => Promise<void>;
    },
  ) {}

  /** Stores a change of the deployment and reports it to `onProgress`. */
  private async update(
    id: string,
    patch: DeploymentPatch,
  ): Promise<Deployment> {
    const updated = await this.deps.store.updateDeployment(id, patch);
    await this.deps
      .onProgress?.(updated)
      .catch(error =>
        this.deps.logger.warn(
          `Deployment ${id} progressed, but reporting it failed: ${error}`,
        ),
      );
    return updated;
  }

  /** Claims the deployment and drives it to the end; no-op if claimed elsewhere. */
  async run(id: string): Promise<void> {
    const { store, leaseMs } = this.deps;
    const owner = randomUUID();
    if (!(await store.claimDeployment(id, leaseMs, owner))) {
      return;
    }
    // Renewed a few times per lease, whatever a step takes (an AWS call
    // retried for longer than the lease), so that only a dead or cut-off
    // worker loses it. A lease lost anyway (to another replica, after the
    // database was unreachable) stops this worker at the next step.
    let held = true;
    const heartbeat = setInterval(() => {
      store.extendLease(id, leaseMs, owner).then(
        renewed => {
          held &&= renewed;
        },
        () => undefined,
      );
    }, Math.max(1, Math.floor(leaseMs / 3)));
    try {
      // A worker that recorded the outcome stopped before it closed the
      // deployment: close it as recorded, with no AWS call.
      const outcome = await store.findEventByDedupeKey(
        dedupeKeys.deploymentOutcome(id),
      );
      if (outcome) {
        await this.closeAsRecorded(id, outcome);
        return;
      }
      for (;;) {
        const deployment = await store.getDeployment(id);
        if (!deployment || deployment.status !== 'in-progress') {
          return;
        }
        const done = await this.step(deployment);
        if (done) {
          return;
        }
        held &&= await store.extendLease(id, leaseMs, owner);
        if (!held) {
          this.deps.logger.warn(
            `Deployment ${id} is followed by another worker now; this one stops`,
          );
          return;
        }
      }
    } catch (error) {
      // Not a failure of the deployment (those end it in the step): the
      // database, the cache, or SageMaker not answering while we wait. The
      // lease is released so that the follow-up task replays the step.
      this.deps.logger.error(`Deployment ${id} stopped: ${error}`);
      await store.releaseDeployment(id, owner).catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * Follows the in-progress deployments on an endpoint now, instead of at
   * their next poll, e.g. on a SageMaker event about it: wakes those this
   * process follows, and runs those no worker holds (through their lease,
   * so one held by another replica is left to it). Returns how many.
   */
  async followEndpoint(endpoint: {
    accountId: string;
    region: string;
    endpointName: string;
  }): Promise<number> {
    const key = endpointKey(endpoint);
    let followed = 0;
    for (const waiting of this.waiting.values()) {
      if (waiting.endpoint === key) {
        waiting.wake();
        followed += 1;
      }
    }
    for (const d of await this.deps.store.listClaimableDeployments()) {
      if (endpointKey(d) === key) {
        // Not awaited, as by the follow-up task: it follows for minutes.
        void this.run(d.id);
        followed += 1;
      }
    }
    return followed;
  }

  /** Runs the deployment's current step; true when it reached an end. */
  private async step(d: Deployment): Promise<boolean> {
    const target = this.deps.targets.find(t => t.name === d.target);
    if (!target) {
      await this.finish(d, {
        code: 'TargetRemoved',
        message: `Deployment target '${d.target}' is no longer configured`,
      });
      return true;
    }
    if (d.phase === 'waiting') {
      return this.follow(d, target);
    }
    if (!['model', 'endpoint-config', 'endpoint'].includes(d.phase)) {
      return true;
    }
    try {
      await this.callAws(d, target);
    } catch (error) {
      await this.fail(d, target, awsErrorDetails(error));
      return true;
    }
    // Saved after the call: a crash in between replays the call, which
    // every call above tolerates.
    if (d.phase === 'model') {
      await this.update(d.id, {
        phase: 'endpoint-config',
      });
    } else if (d.phase === 'endpoint-config') {
      await this.update(d.id, { phase: 'endpoint' });
    } else {
      await this.update(d.id, {
        phase: 'waiting',
        endpointStatus: d.mode === 'create' ? 'Creating' : 'Updating',
      });
      await this.deps.onEndpointChange(target);
    }
    return false;
  }

  /** The AWS call of the phases before `waiting`. */
  private async callAws(d: Deployment, target: DeploymentTarget) {
    const tags: Tag[] = [
      ...Object.entries(target.tags).map(([Key, Value]) => ({ Key, Value })),
      { Key: 'backstage:entity-ref', Value: d.entityRef },
      { Key: 'backstage:model-package-arn', Value: d.versionArn },
      { Key: GROUP_TAG, Value: d.groupArn },
      { Key: 'backstage:deployed-by', Value: d.requestedBy },
      { Key: 'backstage:deployment-id', Value: d.id },
    ];
    if (d.phase === 'model') {
      await this.asUser(d, 'CreateModel', client =>
        client.send(
          new CreateModelCommand({
            ModelName: d.modelName,
            ExecutionRoleArn: target.executionRoleArn,
            Containers: [{ ModelPackageName: d.versionArn }],
            EnableNetworkIsolation: target.enableNetworkIsolation,
            VpcConfig: target.vpcConfig
              ? {
                  Subnets: target.vpcConfig.subnets,
                  SecurityGroupIds: target.vpcConfig.securityGroupIds,
                }
              : undefined,
            Tags: tags,
          }),
        ),
      ).catch(this.unlessAlreadyExists);
    } else if (d.phase === 'endpoint-config') {
      await this.asUser(d, 'CreateEndpointConfig', client =>
        client.send(
          new CreateEndpointConfigCommand({
            EndpointConfigName: d.endpointConfigName,
            ProductionVariants: [toProductionVariant(target, d.modelName, d)],
            KmsKeyId: target.kmsKeyId,
            Tags: tags,
          }),
        ),
      ).catch(this.unlessAlreadyExists);
    } else {
      await this.startEndpoint(d, target, tags);
    }
  }

  private unlessAlreadyExists = (error: unknown) => {
    if (!isAlreadyExists(error)) {
      throw error;
    }
  };

  private async startEndpoint(
    d: Deployment,
    target: DeploymentTarget,
    tags: Tag[],
  ) {
    try {
      if (d.mode === 'create') {
        await this.asUser(d, 'CreateEndpoint', client =>
          client.send(
            new CreateEndpointCommand({
              EndpointName: d.endpointName,
              EndpointConfigName: d.endpointConfigName,
              Tags: tags,
            }),
          ),
        );
      } else {
        await this.asUser(d, 'UpdateEndpoint', client =>
          client.send(
            new UpdateEndpointCommand({
              EndpointName: d.endpointName,
              EndpointConfigName: d.endpointConfigName,
              DeploymentConfig: toDeploymentConfig(target.deploymentConfig),
            }),
          ),
        );
      }
    } catch (error) {
      // A replay after a crash: the call went through before the phase was saved.
      const current = await this.describe(d).catch(() => undefined);
      const ours =
        current?.EndpointConfigName === d.endpointConfigName ||
        current?.PendingDeploymentSummary?.EndpointConfigName ===
          d.endpointConfigName;
      if (!ours) {
        throw error;
      }
    }
    if (d.mode === 'update') {
      await this.retag(d, tags);
    }
  }

  /**
   * UpdateEndpoint takes no tags, so an updated endpoint would still name its
   * first deployment (`backstage:model-package-arn`, `…:deployment-id`).
   * AddTags overwrites them. The endpoint is already moving to the new
   * config, so a refusal here is logged, not a failed deployment: failing
   * would delete the config the endpoint is now updating to.
   */
  private async retag(d: Deployment, tags: Tag[]) {
    const arn = `arn:aws:sagemaker:${d.region}:${
      d.accountId
    }:endpoint/${d.endpointName.toLowerCase()}`;
    try {
      await this.asUser(d, 'AddTags', client =>
        client.send(new AddTagsCommand({ ResourceArn: arn, Tags: tags })),
      );
    } catch (error) {
      this.deps.logger.warn(
        `Deployment ${d.id} updated ${d.endpointName} in account ${d.accountId}, but its tags still name the previous deployment: ${error}`,
      );
    }
  }

  /** A write in the deployment's target, attributed to the deployer. */
  private asUser<T>(
    d: Deployment,
    action: string,
    fn: (client: SageMakerClient) => Promise<T>,
  ): Promise<T> {
    return this.deps.gateway.callAsUser(
      { accountId: d.accountId, region: d.region },
      d.requestedBy,
      action,
      fn,
    );
  }

  private describe(d: Deployment): Promise<DescribeEndpointCommandOutput> {
    return this.deps.gateway.call(
      { accountId: d.accountId, region: d.region },
      'DescribeEndpoint',
      client =>
        client.send(
          new DescribeEndpointCommand({ EndpointName: d.endpointName }),
        ),
    );
  }

  /** Polls the endpoint until it is InService on our config, or Failed. */
  private async follow(
    d: Deployment,
    target: DeploymentTarget,
  ): Promise<boolean> {
    let endpoint: DescribeEndpointCommandOutput;
    try {
      endpoint = await this.describe(d);
    } catch (error) {
      // Throttled or unreachable after the SDK's retries says nothing about
      // the endpoint: the worker lets go, and the follow-up task looks again.
      if (isError(error) && error.name === 'ServiceUnavailableError') {
        throw error;
      }
      await this.fail(d, target, awsErrorDetails(error));
      return true;
    }
    const status = endpoint.EndpointStatus ?? 'Unknown';
    const onOurConfig = endpoint.EndpointConfigName === d.endpointConfigName;
    if (status === 'InService' && onOurConfig) {
      await this.finish(d, undefined, status);
      await this.deps.onEndpointChange(target);
      await this.deps
        .onSucceeded?.(d)
        .catch(error =>
          this.deps.logger.warn(`Deployment ${d.id} succeeded; ${error}`),
        );
      return true;
    }
    const rolledBack = status === 'InService' && !onOurConfig;
    if (rolledBack) {
      await this.fail(d, target, rollbackFailure(d, target, endpoint), {
        deleteEndpoint: false,
        endpointStatus: status,
      });
      return true;
    }
    if (status === 'Failed' || status === 'OutOfService') {
      await this.fail(
        d,
        target,
        {
          code: `Endpoint${status}`,
          message:
            endpoint.FailureReason ?? `Endpoint ${d.endpointName} is ${status}`,
        },
        { deleteEndpoint: d.mode === 'create', endpointStatus: status },
      );
      return true;
    }
    const traffic = trafficOf(
      endpoint,
      d.endpointConfigName,
      target.deploymentConfig,
    );
    if (
      status !== d.endpointStatus ||
      JSON.stringify(traffic) !== JSON.stringify(d.traffic)
    ) {
      await this.update(d.id, {
        endpointStatus: status,
        traffic,
      });
    }
    await new Promise<void>(resolve => {
      let timer: ReturnType<typeof setTimeout> | undefined = undefined;
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(d.id);
        resolve();
      };
      timer = setTimeout(wake, this.deps.pollIntervalMs);
      this.waiting.set(d.id, { endpoint: endpointKey(d), wake });
    });
    return false;
  }

  /**
   * Deletes what this deployment created, newest first. The endpoint only
   * when this deployment created it; an updated endpoint stays on its old
   * configuration.
   */
  private async cleanUp(d: Deployment, deleteEndpoint: boolean) {
    const attempts: Array<[string, () => Promise<unknown>]> = [];
    if (deleteEndpoint) {
      attempts.push([
        'DeleteEndpoint',
        () =>
          this.asUser(d, 'DeleteEndpoint', client =>
            client.send(
              new DeleteEndpointCommand({ EndpointName: d.endpointName }),
            ),
          ),
      ]);
    }
    if (['endpoint', 'waiting'].includes(d.phase)) {
      attempts.push([
        'DeleteEndpointConfig',
        () =>
          this.asUser(d, 'DeleteEndpointConfig', client =>
            client.send(
              new DeleteEndpointConfigCommand({
                EndpointConfigName: d.endpointConfigName,
              }),
            ),
          ),
      ]);
    }
    if (['endpoint-config', 'endpoint', 'waiting'].includes(d.phase)) {
      attempts.push([
        'DeleteModel',
        () =>
          this.asUser(d, 'DeleteModel', client =>
            client.send(new DeleteModelCommand({ ModelName: d.modelName })),
          ),
      ]);
    }
    for (const [action, attempt] of attempts) {
      try {
        await attempt();
      } catch (error) {
        const { code } = awsErrorDetails(error);
        this.deps.logger.warn(
          `Deployment ${d.id}: cleanup ${action} failed with ${code}`,
        );
      }
    }
  }

  /** Cleans up what the deployment created and records its failure. */
  private async fail(
    d: Deployment,
    target: DeploymentTarget,
    failure: Failure,
    options: { deleteEndpoint: boolean; endpointStatus?: string } = {
      deleteEndpoint: false,
    },
  ) {
    await this.cleanUp(d, options.deleteEndpoint);
    await this.finish(d, failure, options.endpointStatus);
    await this.deps.onEndpointChange(target);
  }

  /**
   * Records the end of a deployment, once: the outcome event first, then the
   * deployment. A crash in between leaves the deployment in progress, and
   * the next worker closes it from the outcome (`closeAsRecorded`).
   */
  private async finish(
    d: Deployment,
    failure: Failure | undefined,
    endpointStatus?: string,
  ) {
    await this.deps.history.record({
      ...deploymentEvent(d),
      outcome: failure ? failure.outcome ?? 'failed' : 'succeeded',
      awsErrorCode: failure?.code,
      awsErrorMessage: failure?.message,
      awsRequestId: failure?.requestId,
      dedupeKey: dedupeKeys.deploymentOutcome(d.id),
    });
    await this.update(d.id, {
      status: failure ? 'failed' : 'succeeded',
      phase: 'done',
      endpointStatus,
      error: failure && {
        code: failure.code,
        message: failure.message,
        requestId: failure.requestId,
      },
    });
  }

  /** Closes a deployment whose outcome event is already recorded. */
  private async closeAsRecorded(id: string, outcome: HistoryEvent) {
    const failed = outcome.outcome !== 'succeeded';
    const closed = await this.update(id, {
      status: failed ? 'failed' : 'succeeded',
      phase: 'done',
      endpointStatus: failed ? undefined : 'InService',
      error: failed
        ? {
            code: outcome.awsErrorCode ?? 'Unknown',
            message: outcome.awsErrorMessage ?? outcome.outcome,
            requestId: outcome.awsRequestId,
          }
        : undefined,
    });
    const target = this.deps.targets.find(t => t.name === closed.target);
    if (target) {
      await this.deps.onEndpointChange(target);
    }
  }
}

/**
 * An update SageMaker rolled back (the endpoint is InService on its previous
 * config): the outcome `rolled-back`, naming the target's alarms that
 * SageMaker's FailureReason names.
 */
function rollbackFailure(
  d: Deployment,
  target: DeploymentTarget,
  endpoint: DescribeEndpointCommandOutput,
): Failure {
  const alarms = alarmsNamedIn(target.deploymentConfig, endpoint.FailureReason);
  const reason =
    endpoint.FailureReason ??
    `Endpoint ${d.endpointName} is InService on its previous configuration`;
  return {
    code: 'UpdateRolledBack',
    message: alarms.length
      ? `Rolled back by CloudWatch alarm ${alarms.join(', ')}: ${reason}`
      : reason,
    outcome: 'rolled-back',
  };
}

function endpointKey(e: {
  accountId: string;
  region: string;
  endpointName: string;
}): string {
  return `${e.accountId}:${e.region}:${e.endpointName}`;
}
