import { CapacitySize, DeploymentGuardrails } from './types';

function size(capacity: CapacitySize): string {
  return capacity.type === 'CAPACITY_PERCENT'
    ? `${capacity.value}%`
    : `${capacity.value} instance${capacity.value === 1 ? '' : 's'}`;
}

function duration(seconds: number): string {
  if (seconds % 60 === 0 && seconds > 0) {
    return `${seconds / 60} min`;
  }
  return `${seconds} s`;
}

/**
 * One sentence on how an update of an endpoint on a target shifts traffic,
 * for the deploy dialog; the same words wherever it is shown.
 *
 * @public
 */
export function describeGuardrails(
  guardrails: DeploymentGuardrails | undefined,
): string {
  if (!guardrails) {
    return 'An update switches all traffic at once, with no baking period and no automatic rollback.';
  }
  const parts: string[] = [];
  const { blueGreen, rollingUpdate } = guardrails;
  if (blueGreen) {
    const bake = duration(blueGreen.waitIntervalSeconds);
    if (blueGreen.trafficRouting === 'CANARY' && blueGreen.canarySize) {
      parts.push(
        `An update is blue/green: a canary of ${size(
          blueGreen.canarySize,
        )} of traffic bakes for ${bake}, then the rest shifts and bakes for ${bake}`,
      );
    } else if (
      blueGreen.trafficRouting === 'LINEAR' &&
      blueGreen.linearStepSize
    ) {
      parts.push(
        `An update is blue/green: traffic shifts in steps of ${size(
          blueGreen.linearStepSize,
        )}, each baking for ${bake}`,
      );
    } else {
      parts.push(
        `An update is blue/green: all traffic shifts at once, then bakes for ${bake}`,
      );
    }
  } else if (rollingUpdate) {
    parts.push(
      `An update is rolling: batches of ${size(
        rollingUpdate.maximumBatchSize,
      )}, each baking for ${duration(rollingUpdate.waitIntervalSeconds)}`,
    );
  }
  parts.push(
    guardrails.autoRollbackAlarms.length
      ? `it rolls back if CloudWatch alarm ${guardrails.autoRollbackAlarms.join(
          ', ',
        )} goes into ALARM.`
      : 'no alarm rolls it back.',
  );
  return parts.join('; ');
}

/**
 * The alarms of a target's guardrails that SageMaker's rollback message
 * names, in the order configured: the alarms that rolled an update back.
 *
 * @public
 */
export function alarmsNamedIn(
  guardrails: DeploymentGuardrails | undefined,
  failureReason: string | undefined,
): string[] {
  if (!guardrails || !failureReason) {
    return [];
  }
  return guardrails.autoRollbackAlarms.filter(alarm =>
    failureReason.includes(alarm),
  );
}
