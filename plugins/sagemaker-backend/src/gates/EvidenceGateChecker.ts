import { DescribeModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import {
  describeFailedGates,
  EvidenceGateResult,
  EvidenceGatesResponse,
  ModelPackageGroupArn,
  modelPackageArn,
} from '@internal/backstage-plugin-sagemaker-common';
import { SageMakerGateway } from '../aws/SageMakerGateway';
import { DeploymentTarget } from '../config/SageMakerConfig';
import { SageMakerStore } from '../database/SageMakerStore';
import { EntityGroupResolver } from '../service/EntityGroupResolver';
import { ModelReportReader } from '../service/ModelReportReader';
import { describeUser, toModelLifeCycle } from '../service/mappers';
import { evaluateEvidenceGates } from './evaluateEvidenceGates';
import { metricsForGate } from './metricsForGate';

/** Who ApprovalDescription says approved through Backstage. */
const APPROVED_VIA_BACKSTAGE = /\(approved by (\S+) via Backstage/;

/**
 * Evaluates a target's evidence gates for a version: metric thresholds, a
 * lifecycle stage and separation of duties. The deploy path calls
 * {@link EvidenceGateChecker.enforce}; the deploy dialog reads the same
 * results through the gates route.
 */
export class EvidenceGateChecker {
  constructor(
    private readonly deps: {
      store: Pick<SageMakerStore, 'queryEvents'>;
      resolver: EntityGroupResolver;
      gateway: SageMakerGateway;
      targets: DeploymentTarget[];
      /** Reads metrics from the versions' ModelMetrics reports in S3. */
      reports?: Pick<ModelReportReader, 'versionEvidence'>;
    },
  ) {}

  /**
   * The gates of a target for one of an entity's versions, as a deploy by
   * the caller would meet them: what the deploy dialog shows before submit.
   */
  async preview(
    ref: CompoundEntityRef,
    query: { target: string; version: number; group?: string },
    credentials: BackstageCredentials,
  ): Promise<EvidenceGatesResponse> {
    const target = this.deps.targets.find(t => t.name === query.target);
    if (!target) {
      throw new InputError(
        `target: '${
          query.target
        }' is not a configured deployment target (${this.deps.targets
          .map(t => t.name)
          .join(', ')})`,
      );
    }
    const entity = await this.deps.resolver.resolve(ref, credentials);
    const group = EntityGroupResolver.pickOrOnly(entity, query.group);
    const principal = credentials.principal as { userEntityRef?: string };
    const gates = target.gates
      ? await this.evaluate(
          group,
          target,
          await this.deps.gateway.describeModelPackage(
            group,
            modelPackageArn(group, query.version),
          ),
          principal.userEntityRef,
        )
      : [];
    return {
      target: target.name,
      groupArn: group.arn,
      version: query.version,
      passed: gates.every(gate => gate.passed),
      gates,
    };
  }

  async evaluate(
    group: ModelPackageGroupArn,
    target: DeploymentTarget,
    version: DescribeModelPackageCommandOutput,
    deployer: string | undefined,
  ): Promise<EvidenceGateResult[]> {
    if (!target.gates) {
      return [];
    }
    const needsMetrics = target.gates.metrics.length > 0;
    return evaluateEvidenceGates(target.gates, {
      ...(needsMetrics
        ? await metricsForGate(group, version, this.deps.reports)
        : { metrics: {} }),
      lifecycle: toModelLifeCycle(version.ModelLifeCycle),
      registrant: describeUser(version.CreatedBy),
      approver: await this.approverOf(version),
      deployer,
    });
  }

  /** Refuses (409) a deploy whose version fails a gate, naming each rule. */
  async enforce(
    group: ModelPackageGroupArn,
    target: DeploymentTarget,
    version: DescribeModelPackageCommandOutput,
    deployer: string,
  ): Promise<void> {
    const results = await this.evaluate(group, target, version, deployer);
    if (results.some(result => !result.passed)) {
      throw new ConflictError(
        `Version ${version.ModelPackageVersion} of ${
          group.name
        } cannot be deployed: ${describeFailedGates(target.name, results)}`,
      );
    }
  }

  /**
   * Who approved the version: our history's latest approval (through
   * Backstage, an agent, or seen by the sync), else who ApprovalDescription
   * names, else LastModifiedBy of an Approved version.
   */
  private async approverOf(
    version: DescribeModelPackageCommandOutput,
  ): Promise<string | undefined> {
    if (version.ModelApprovalStatus !== 'Approved') {
      return undefined;
    }
    const [approval] = await this.deps.store.queryEvents(
      {
        versionArn: version.ModelPackageArn,
        action: 'approve',
        outcome: 'succeeded',
      },
      { limit: 1 },
    );
    if (approval) {
      return approval.actor;
    }
    const named = APPROVED_VIA_BACKSTAGE.exec(
      version.ApprovalDescription ?? '',
    );
    return named?.[1] ?? describeUser(version.LastModifiedBy);
  }
}
