import {
  EvidenceGateResult,
  ModelLifeCycle,
} from '@internal/backstage-plugin-sagemaker-common';
import { EvidenceGates } from '../config/readGovernanceConfig';
import { sessionNameFor } from '../aws/sessionName';

/** What a version shows, as the gates judge it. */
export interface VersionEvidence {
  metrics: Record<string, number>;
  /** Why the model quality report's metrics are missing, e.g. a 403. */
  reportProblem?: string;
  lifecycle?: ModelLifeCycle;
  /** Who registered it (CreatedBy), as `describeUser` names it. */
  registrant?: string;
  /** Who approved it: a user entity ref, or as `describeUser` names it. */
  approver?: string;
  /** Who deploys it: a user entity ref; absent for a preview without a user. */
  deployer?: string;
}

/**
 * One person, however a source names them: a user entity ref
 * (`user:default/ana`) becomes the session name AWS sees (`ana@default`), and
 * `ana@default (BackstageSageMakerAccess)` loses its role.
 */
export function identityKey(who: string): string {
  const name = /^user:/i.test(who)
    ? sessionNameFor(who)
    : who.replace(/ \([^()]*\)$/, '');
  return name.toLocaleLowerCase('en-US');
}

function metricRule(gate: EvidenceGates['metrics'][number]): string {
  if (gate.min !== undefined && gate.max !== undefined) {
    return `${gate.min} <= ${gate.metric} <= ${gate.max}`;
  }
  return gate.min !== undefined
    ? `${gate.metric} >= ${gate.min}`
    : `${gate.metric} <= ${gate.max}`;
}

/**
 * Judges a version against a target's gates, each with the value found.
 * A metric the version does not have fails its gate; so does an unknown
 * registrant or approver, since separation of duties cannot be shown.
 */
export function evaluateEvidenceGates(
  gates: EvidenceGates | undefined,
  evidence: VersionEvidence,
): EvidenceGateResult[] {
  if (!gates) {
    return [];
  }
  const results: EvidenceGateResult[] = gates.metrics.map(gate => {
    const value = evidence.metrics[gate.metric];
    const passed =
      value !== undefined &&
      (gate.min === undefined || value >= gate.min) &&
      (gate.max === undefined || value <= gate.max);
    return {
      kind: 'metric',
      rule: metricRule(gate),
      passed,
      found:
        value === undefined
          ? `the version has no ${gate.metric} metric${
              evidence.reportProblem ? ` (${evidence.reportProblem})` : ''
            }`
          : `${gate.metric} is ${value}`,
    };
  });
  if (gates.lifecycleStage) {
    const { lifecycle } = evidence;
    results.push({
      kind: 'lifecycle-stage',
      rule: gates.lifecycleStageStatus
        ? `lifecycle stage ${gates.lifecycleStage} (${gates.lifecycleStageStatus})`
        : `lifecycle stage ${gates.lifecycleStage}`,
      passed:
        lifecycle?.stage === gates.lifecycleStage &&
        (!gates.lifecycleStageStatus ||
          lifecycle.stageStatus === gates.lifecycleStageStatus),
      found: lifecycle
        ? `the version is in ${lifecycle.stage} (${lifecycle.stageStatus})`
        : 'the version has no lifecycle stage',
    });
  }
  const { registrant, approver, deployer } = evidence;
  if (gates.approverNotRegistrant) {
    results.push({
      kind: 'approver-not-registrant',
      rule: 'the approver is not who registered the version',
      passed:
        !!registrant &&
        !!approver &&
        identityKey(registrant) !== identityKey(approver),
      found: `registered by ${registrant ?? 'unknown'}, approved by ${
        approver ?? 'unknown'
      }`,
    });
  }
  if (gates.deployerNotApprover) {
    results.push({
      kind: 'deployer-not-approver',
      rule: 'the deployer is not who approved the version',
      passed:
        !!approver &&
        !!deployer &&
        identityKey(approver) !== identityKey(deployer),
      found: `approved by ${approver ?? 'unknown'}, deployed by ${
        deployer ?? 'unknown'
      }`,
    });
  }
  return results;
}
