import {
  dedupeKeys,
  endpointSyncKey,
  groupSyncKey,
  searchCursorKey,
  versionSyncKey,
} from './dedupeKeys';

const VERSION =
  'arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud/3';

// Databases already hold these strings: a key built differently would let an
// event recorded before an upgrade be recorded again after it.
describe('dedupeKeys', () => {
  it('builds the keys existing histories hold, character for character', () => {
    expect(
      dedupeKeys.approvalIntent({
        versionArn: VERSION,
        from: 'PendingManualApproval',
        to: 'Approved',
        decidedOn: '2026-11-02T09:30:00.000Z',
      }),
    ).toBe(
      `approval:${VERSION}:PendingManualApproval->Approved:2026-11-02T09:30:00.000Z`,
    );
    expect(
      dedupeKeys.approvalRetry(
        `approval:${VERSION}:PendingManualApproval->Approved:2026-11-02T09:30:00.000Z`,
        43,
      ),
    ).toBe(
      `approval:${VERSION}:PendingManualApproval->Approved:2026-11-02T09:30:00.000Z:retry-after:43`,
    );
    expect(dedupeKeys.approvalOutcome(42)).toBe('outcome:42');
    expect(
      dedupeKeys.syncedRegistration(
        versionSyncKey('component:default/fraud', VERSION),
      ),
    ).toBe(`register:component:default/fraud|${VERSION}`);
    expect(
      groupSyncKey(
        'component:default/fraud',
        'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud',
      ),
    ).toBe(
      'group:component:default/fraud|arn:aws:sagemaker:us-east-1:111111111111:model-package-group/fraud',
    );
    expect(
      searchCursorKey({ accountId: '111111111111', region: 'us-east-1' }),
    ).toBe('cursor:111111111111:us-east-1');
    expect(dedupeKeys.deploymentOutcome('d-1')).toBe('deployment-outcome:d-1');
    expect(
      dedupeKeys.syncedApproval({
        stateKey: versionSyncKey('component:default/fraud', VERSION),
        status: 'Rejected',
        changedAt: '2026-11-02T09:30:00.000Z',
      }),
    ).toBe(
      `sync:component:default/fraud|${VERSION}:Rejected:2026-11-02T09:30:00.000Z`,
    );
    expect(
      dedupeKeys.syncedEndpoint({
        stateKey: endpointSyncKey({
          accountId: '222222222222',
          region: 'us-east-1',
          endpointName: 'fraud-staging',
        }),
        before: 'InService',
        status: 'Failed',
        changedAt: '2026-11-02T09:30:00.000Z',
      }),
    ).toBe(
      'sync:endpoint:222222222222:us-east-1:fraud-staging:InService->Failed:2026-11-02T09:30:00.000Z',
    );
  });

  it('keeps the key of a version that SageMaker reports no time for', () => {
    expect(
      dedupeKeys.approvalIntent({
        versionArn: VERSION,
        from: 'Rejected',
        to: 'Approved',
        decidedOn: undefined,
      }),
    ).toBe(`approval:${VERSION}:Rejected->Approved:undefined`);
  });
});
