import { LoggerService } from '@backstage/backend-plugin-api';
import { DescribeModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';
import {
  HistoryEvent,
  parseLifecycleComment,
  parseModelPackageArn,
} from '@internal/backstage-plugin-sagemaker-common';
import { awsErrorDetails } from '../aws/errors';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { SageMakerStore } from '../database/SageMakerStore';
import { dedupeKeys } from './dedupeKeys';
import { DeploymentRunner } from './DeploymentExecutor';
import { HistoryRecorder } from './HistoryRecorder';

/** An intent older than this with no outcome was interrupted. */
const INTERRUPTED_AFTER_MS = 60_000;

/**
 * The scheduled follow-up: resumes deployments no worker holds (after a
 * restart, or on another replica), and completes approvals whose process
 * died between the AWS write and the outcome record (lifecycle changes
 * too), by reading what SageMaker now says.
 */
export class FollowUpTask {
  constructor(
    private readonly deps: {
      store: SageMakerStore;
      executor: DeploymentRunner;
      gateway: SageMakerGateway;
      history: HistoryRecorder;
      logger: LoggerService;
    },
  ) {}

  async run(): Promise<void> {
    for (const deployment of await this.deps.store.listClaimableDeployments()) {
      // Not awaited: each follows its endpoint for minutes; the lease keeps
      // it to one worker.
      void this.deps.executor.run(deployment.id);
    }
    await this.completeInterruptedApprovals();
  }

  /** Whether SageMaker shows what an approval or lifecycle intent asked for. */
  private static compare(
    intent: HistoryEvent,
    now: DescribeModelPackageCommandOutput,
  ): { applied: boolean; shows: string } {
    if (intent.action === 'lifecycle') {
      const wanted = parseLifecycleComment(intent.comment);
      const stage = now.ModelLifeCycle;
      return {
        applied:
          !!wanted &&
          stage?.Stage === wanted.stage &&
          stage.StageStatus === wanted.stageStatus,
        shows: stage
          ? `stage ${stage.Stage} (${stage.StageStatus})`
          : 'no lifecycle stage',
      };
    }
    const wanted = intent.action === 'approve' ? 'Approved' : 'Rejected';
    return {
      applied: now.ModelApprovalStatus === wanted,
      shows: String(now.ModelApprovalStatus),
    };
  }

  private async completeInterruptedApprovals() {
    const olderThan = new Date(Date.now() - INTERRUPTED_AFTER_MS).toISOString();
    for (const intent of await this.deps.store.listUnfinishedApprovals(
      olderThan,
    )) {
      const arn = intent.versionArn && parseModelPackageArn(intent.versionArn);
      if (!arn) {
        continue;
      }
      try {
        const now = await this.deps.gateway.describeModelPackage(arn, arn.arn);
        const { applied, shows } = FollowUpTask.compare(intent, now);
        await this.deps.history.record({
          actor: intent.actor,
          action: intent.action,
          outcome: applied ? 'succeeded' : 'failed',
          source: intent.source,
          entityRef: intent.entityRef,
          groupArn: intent.groupArn,
          versionArn: intent.versionArn,
          version: intent.version,
          accountId: intent.accountId,
          region: intent.region,
          comment: [
            // A lifecycle outcome keeps the stage it asked for, as the sync
            // reads it.
            intent.action === 'lifecycle' ? intent.comment : undefined,
            applied
              ? 'Outcome recorded by the follow-up task: SageMaker shows the change'
              : `Outcome recorded by the follow-up task: SageMaker shows ${shows}, the change was not applied`,
          ]
            .filter(Boolean)
            .join('. '),
          dedupeKey: dedupeKeys.approvalOutcome(intent.seq),
        });
      } catch (error) {
        this.deps.logger.warn(
          `Could not complete interrupted ${intent.action} #${intent.seq}: ${
            awsErrorDetails(error).message
          }`,
        );
      }
    }
  }
}
