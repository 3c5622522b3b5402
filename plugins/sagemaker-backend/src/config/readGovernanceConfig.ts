import { Config } from '@backstage/config';
import {
  DEFAULT_LIFECYCLE_STAGES,
  DEFAULT_LIFECYCLE_STATUSES,
  LIFECYCLE_NAME_PATTERN,
} from '@internal/backstage-plugin-sagemaker-common';
import { fail } from './configErrors';

/**
 * The lifecycle stages and statuses users may set (`sagemaker.lifecycle`).
 *
 * @public
 */
export interface LifecycleConfig {
  stages: string[];
  statuses: string[];
}

/**
 * A metric threshold of a target: the version's metric must be at least
 * `min` and at most `max` (either or both).
 *
 * @public
 */
export interface MetricGate {
  metric: string;
  min?: number;
  max?: number;
}

/**
 * The evidence a version must show before it is deployed to a target
 * (`sagemaker.deploymentTargets[].gates`). Configured only, never taken from
 * a request.
 *
 * @public
 */
export interface EvidenceGates {
  metrics: MetricGate[];
  lifecycleStage?: string;
  /** With `lifecycleStage`: the status the stage must have too. */
  lifecycleStageStatus?: string;
  approverNotRegistrant: boolean;
  deployerNotApprover: boolean;
}

const METRIC_NAME = /^[\w.:/-]{1,128}$/;

function readNames(
  config: Config | undefined,
  key: string,
  fullKey: string,
  fallback: readonly string[],
): string[] {
  const names = config?.getOptionalStringArray(key) ?? [...fallback];
  if (names.length === 0) {
    fail(fullKey, 'list at least one');
  }
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (!LIFECYCLE_NAME_PATTERN.test(name)) {
      fail(
        `${fullKey}[${i}]`,
        `'${name}' must be 1-63 letters, digits or dashes (SageMaker's rule)`,
      );
    }
    if (seen.has(name)) {
      fail(`${fullKey}[${i}]`, `duplicate '${name}'`);
    }
    seen.add(name);
  });
  return names;
}

/**
 * Reads `sagemaker.lifecycle`; SageMaker's staging-construct template when
 * it is absent.
 *
 * @public
 */
export function readLifecycleConfig(
  sagemaker: Config | undefined,
): LifecycleConfig {
  const config = sagemaker?.getOptionalConfig('lifecycle');
  return {
    stages: readNames(
      config,
      'stages',
      'sagemaker.lifecycle.stages',
      DEFAULT_LIFECYCLE_STAGES,
    ),
    statuses: readNames(
      config,
      'statuses',
      'sagemaker.lifecycle.statuses',
      DEFAULT_LIFECYCLE_STATUSES,
    ),
  };
}

/**
 * Reads a target's `gates`, checking each against the lifecycle config.
 *
 * @public
 */
export function readEvidenceGates(
  target: Config,
  key: string,
  lifecycle: LifecycleConfig,
): EvidenceGates | undefined {
  const config = target.getOptionalConfig('gates');
  if (!config) {
    return undefined;
  }
  const metrics = (config.getOptionalConfigArray('metrics') ?? []).map(
    (entry, i) => {
      const at = `${key}.gates.metrics[${i}]`;
      const metric = entry.getString('metric');
      if (!METRIC_NAME.test(metric)) {
        fail(`${at}.metric`, `'${metric}' is not a metric name`);
      }
      const min = entry.getOptionalNumber('min');
      const max = entry.getOptionalNumber('max');
      if (min === undefined && max === undefined) {
        fail(at, 'set min, max or both');
      }
      if (min !== undefined && max !== undefined && min > max) {
        fail(`${at}.min`, `${min} is more than max ${max}`);
      }
      return { metric, min, max };
    },
  );
  const lifecycleStage = config.getOptionalString('lifecycleStage');
  if (
    lifecycleStage !== undefined &&
    !lifecycle.stages.includes(lifecycleStage)
  ) {
    fail(
      `${key}.gates.lifecycleStage`,
      `'${lifecycleStage}' is not one of sagemaker.lifecycle.stages (${lifecycle.stages.join(
        ', ',
      )})`,
    );
  }
  const lifecycleStageStatus = config.getOptionalString('lifecycleStageStatus');
  if (lifecycleStageStatus !== undefined) {
    if (lifecycleStage === undefined) {
      fail(`${key}.gates.lifecycleStageStatus`, 'needs lifecycleStage');
    }
    if (!lifecycle.statuses.includes(lifecycleStageStatus)) {
      fail(
        `${key}.gates.lifecycleStageStatus`,
        `'${lifecycleStageStatus}' is not one of sagemaker.lifecycle.statuses (${lifecycle.statuses.join(
          ', ',
        )})`,
      );
    }
  }
  return {
    metrics,
    lifecycleStage,
    lifecycleStageStatus,
    approverNotRegistrant:
      config.getOptionalBoolean('approverNotRegistrant') ?? false,
    deployerNotApprover:
      config.getOptionalBoolean('deployerNotApprover') ?? false,
  };
}
