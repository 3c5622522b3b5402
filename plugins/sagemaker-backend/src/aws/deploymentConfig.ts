import {
  CapacitySize as SdkCapacitySize,
  DeploymentConfig,
  ProductionVariant,
  ProductionVariantInstanceType,
} from '@aws-sdk/client-sagemaker';
import {
  CapacitySize,
  DeploymentGuardrails,
} from '@internal/backstage-plugin-sagemaker-common';
import { DeploymentTarget } from '../config/SageMakerConfig';

function capacity(size: CapacitySize | undefined): SdkCapacitySize | undefined {
  return size ? { Type: size.type, Value: size.value } : undefined;
}

/**
 * UpdateEndpoint's DeploymentConfig for a target's guardrails; undefined
 * (SageMaker's default all-at-once switch) when the target has none.
 */
export function toDeploymentConfig(
  guardrails: DeploymentGuardrails | undefined,
): DeploymentConfig | undefined {
  if (!guardrails) {
    return undefined;
  }
  const { blueGreen, rollingUpdate, autoRollbackAlarms } = guardrails;
  return {
    BlueGreenUpdatePolicy: blueGreen
      ? {
          TrafficRoutingConfiguration: {
            Type: blueGreen.trafficRouting,
            WaitIntervalInSeconds: blueGreen.waitIntervalSeconds,
            CanarySize: capacity(blueGreen.canarySize),
            LinearStepSize: capacity(blueGreen.linearStepSize),
          },
          TerminationWaitInSeconds: blueGreen.terminationWaitSeconds,
          MaximumExecutionTimeoutInSeconds:
            blueGreen.maximumExecutionTimeoutSeconds,
        }
      : undefined,
    RollingUpdatePolicy: rollingUpdate
      ? {
          MaximumBatchSize: capacity(rollingUpdate.maximumBatchSize),
          WaitIntervalInSeconds: rollingUpdate.waitIntervalSeconds,
          MaximumExecutionTimeoutInSeconds:
            rollingUpdate.maximumExecutionTimeoutSeconds,
          RollbackMaximumBatchSize: capacity(
            rollingUpdate.rollbackMaximumBatchSize,
          ),
        }
      : undefined,
    AutoRollbackConfiguration: autoRollbackAlarms.length
      ? { Alarms: autoRollbackAlarms.map(AlarmName => ({ AlarmName })) }
      : undefined,
  };
}

/**
 * The endpoint config's one variant: instances of the deployer's choice, or
 * the target's serverless size (which has no instance type or count).
 */
export function toProductionVariant(
  target: DeploymentTarget,
  modelName: string | undefined,
  instances: { instanceType: string; instanceCount: number },
): ProductionVariant {
  if (target.serverless) {
    return {
      VariantName: 'AllTraffic',
      ModelName: modelName,
      ServerlessConfig: {
        MemorySizeInMB: target.serverless.memorySizeInMB,
        MaxConcurrency: target.serverless.maxConcurrency,
      },
    };
  }
  return {
    VariantName: 'AllTraffic',
    ModelName: modelName,
    InstanceType: instances.instanceType as ProductionVariantInstanceType,
    InitialInstanceCount: instances.instanceCount,
  };
}
