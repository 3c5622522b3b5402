import { REGISTRY, STAGING, versionArn } from './fixtures';

/**
 * A model package's state change, as EventBridge delivers SageMaker's
 * (AWS's envelope and detail fields), for version 3 of `fraud` unless
 * overridden.
 */
export function modelPackageEvent(overrides: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: 'c1b7f9e2-0000-4000-8000-000000000001',
    'detail-type': 'SageMaker Model Package State Change',
    source: 'aws.sagemaker',
    account: REGISTRY,
    time: '2026-11-30T10:00:00Z',
    region: 'us-east-1',
    resources: [versionArn('fraud', 3)],
    detail: {
      ModelPackageGroupName: 'fraud',
      ModelPackageVersion: 3,
      ModelPackageArn: versionArn('fraud', 3),
      ModelApprovalStatus: 'Approved',
      ModelPackageStatus: 'Completed',
    },
    ...overrides,
  };
}

/** An endpoint's state change, as EventBridge delivers SageMaker's. */
export function endpointEvent(overrides: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: 'c1b7f9e2-0000-4000-8000-000000000002',
    'detail-type': 'SageMaker Endpoint State Change',
    source: 'aws.sagemaker',
    account: STAGING,
    time: '2026-11-30T10:00:00Z',
    region: 'us-east-1',
    resources: [
      `arn:aws:sagemaker:us-east-1:${STAGING}:endpoint/fraud-staging`,
    ],
    detail: {
      EndpointName: 'Fraud-Staging',
      EndpointStatus: 'IN_SERVICE',
    },
    ...overrides,
  };
}
