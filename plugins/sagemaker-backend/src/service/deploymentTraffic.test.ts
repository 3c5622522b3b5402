import {
  DescribeEndpointCommandOutput,
  VariantStatus,
} from '@aws-sdk/client-sagemaker';
import { DeploymentGuardrails } from '@internal/backstage-plugin-sagemaker-common';
import { trafficOf } from './deploymentTraffic';

const CONFIG = 'fraud-detection-production-197';
const STARTED = new Date('2026-11-30T14:00:00.000Z');

function pending(status: VariantStatus): DescribeEndpointCommandOutput {
  return {
    $metadata: {},
    EndpointName: 'fraud-detection-production',
    EndpointArn: 'arn',
    EndpointConfigName: 'fraud-detection-production-200',
    EndpointStatus: 'Updating',
    CreationTime: STARTED,
    LastModifiedTime: STARTED,
    PendingDeploymentSummary: {
      EndpointConfigName: CONFIG,
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          VariantStatus: [
            {
              Status: status,
              StatusMessage: `${status}: 10% of traffic on the new fleet`,
              StartTime: STARTED,
            },
          ],
        },
      ],
    },
  };
}

const canary: DeploymentGuardrails = {
  blueGreen: {
    trafficRouting: 'CANARY',
    canarySize: { type: 'CAPACITY_PERCENT', value: 10 },
    waitIntervalSeconds: 300,
  },
  autoRollbackAlarms: ['production-invocation-5xx'],
};

describe('trafficOf', () => {
  it("gives a bake's end from its start and the target's wait interval", () => {
    expect(trafficOf(pending('Baking'), CONFIG, canary)).toEqual({
      status: 'Baking',
      message: 'Baking: 10% of traffic on the new fleet',
      startedAt: '2026-11-30T14:00:00.000Z',
      bakeEndsAt: '2026-11-30T14:05:00.000Z',
    });
  });

  it("uses a rolling update's wait interval too", () => {
    const rolling: DeploymentGuardrails = {
      rollingUpdate: {
        maximumBatchSize: { type: 'INSTANCE_COUNT', value: 1 },
        waitIntervalSeconds: 45,
      },
      autoRollbackAlarms: [],
    };
    expect(trafficOf(pending('Baking'), CONFIG, rolling)?.bakeEndsAt).toBe(
      '2026-11-30T14:00:45.000Z',
    );
  });

  it('gives no bake end outside a bake or without guardrails', () => {
    expect(
      trafficOf(pending('ActivatingTraffic'), CONFIG, canary)?.bakeEndsAt,
    ).toBeUndefined();
    const unguarded = trafficOf(pending('Baking'), CONFIG);
    expect(unguarded?.status).toBe('Baking');
    expect(unguarded?.bakeEndsAt).toBeUndefined();
  });

  it('says nothing of an update to another config', () => {
    expect(trafficOf(pending('Baking'), 'another-config', canary)).toBe(
      undefined,
    );
  });
});
