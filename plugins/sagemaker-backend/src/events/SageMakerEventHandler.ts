import { LoggerService } from '@backstage/backend-plugin-api';
import { EventParams } from '@backstage/plugin-events-node';
import { parseModelPackageArn } from '@internal/backstage-plugin-sagemaker-common';
import { awsErrorDetails } from '../aws/errors';
import { DeploymentTarget } from '../config/SageMakerConfig';
import {
  InvalidSageMakerEvent,
  parseSageMakerEvent,
  SageMakerEventHint,
} from './sageMakerEvent';

/** What the handler needs of the sync, the caches and the executor. */
export interface SageMakerEventHandlerDeps {
  accountIds: ReadonlySet<string>;
  targets: DeploymentTarget[];
  sync: {
    syncVersionHint(versionArn: string): Promise<number | undefined>;
    syncEndpointHint(endpoint: {
      accountId: string;
      region: string;
      endpointName: string;
    }): Promise<Array<{ target: string; recorded: boolean }>>;
  };
  invalidateGroup(groupArn: string): Promise<void>;
  invalidateTarget(target: DeploymentTarget): Promise<void>;
  followEndpoint(endpoint: {
    accountId: string;
    region: string;
    endpointName: string;
  }): Promise<unknown>;
  logger: LoggerService;
}

/**
 * Takes SageMaker's EventBridge events (from the events system, e.g. the
 * AWS SQS module) as hints: validates each, re-reads the version or the
 * endpoint it names from SageMaker with the backend's role, and records
 * what changed through the sync's once-only rules; then invalidates the
 * cache and has the executor follow a deployment on the endpoint now.
 *
 * An invalid event is dropped with one warning naming why; nothing thrown
 * leaves {@link SageMakerEventHandler.onEvent}. Hints about one resource
 * that arrive while it is being read are coalesced into one more read
 * after it (SageMaker sends several events per change).
 */
export class SageMakerEventHandler {
  private readonly running = new Map<
    string,
    { rerun: boolean; done: Promise<void> }
  >();

  constructor(private readonly deps: SageMakerEventHandlerDeps) {}

  /** The events system's subscriber callback. */
  async onEvent(params: EventParams): Promise<void> {
    let hint: SageMakerEventHint;
    try {
      hint = parseSageMakerEvent(params.eventPayload, this.deps.accountIds);
    } catch (error) {
      const reason =
        error instanceof InvalidSageMakerEvent ? error.message : String(error);
      this.deps.logger.warn(
        `Dropped a message on topic ${params.topic}: not a valid SageMaker event (${reason})`,
      );
      return;
    }
    await this.coalesced(hint);
  }

  /** Resolves once every hint handed in so far for the resource was handled. */
  private coalesced(hint: SageMakerEventHint): Promise<void> {
    const key =
      hint.kind === 'model-package'
        ? hint.versionArn
        : `${hint.accountId}:${hint.region}:${hint.endpointName}`;
    const current = this.running.get(key);
    if (current) {
      current.rerun = true;
      return current.done;
    }
    const entry = { rerun: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.rerun = false;
          await this.handle(hint);
        } while (entry.rerun);
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, entry);
    return entry.done;
  }

  private async handle(hint: SageMakerEventHint): Promise<void> {
    try {
      if (hint.kind === 'model-package') {
        const recorded = await this.deps.sync.syncVersionHint(hint.versionArn);
        if (recorded === undefined) {
          this.deps.logger.debug(
            `SageMaker event ${hint.eventId}: no entity names the group of ${hint.versionArn}`,
          );
          return;
        }
        await this.deps.invalidateGroup(
          parseModelPackageArn(hint.versionArn)!.groupArn,
        );
        return;
      }
      const matched = await this.deps.sync.syncEndpointHint(hint);
      for (const target of this.deps.targets) {
        if (
          target.accountId === hint.accountId &&
          target.region === hint.region
        ) {
          await this.deps.invalidateTarget(target);
        }
      }
      await this.deps.followEndpoint(hint);
      if (matched.length === 0) {
        this.deps.logger.debug(
          `SageMaker event ${hint.eventId}: endpoint ${hint.endpointName} was not deployed by this plugin`,
        );
      }
    } catch (error) {
      const details = awsErrorDetails(error);
      this.deps.logger.warn(
        `Dropped SageMaker event ${hint.eventId} about ${
          hint.kind === 'model-package' ? hint.versionArn : hint.endpointName
        }: SageMaker could not confirm it (${details.message})`,
      );
    }
  }
}
