import {
  makeEndpoint,
  makeVersion,
  productionTarget,
  stagingTarget,
  summaryOf,
} from '../__testUtils__/fixtures';
import { placementsOf, targetAvailability } from './deployability';

const targets = [stagingTarget, productionTarget];
const approved = summaryOf(
  makeVersion('fraud-detection', 7, { approvalStatus: 'Approved' }),
);

describe('targetAvailability', () => {
  it('refuses every target for a version that is not approved', () => {
    const rejected = { ...approved, approvalStatus: 'Rejected' as const };
    expect(targetAvailability(rejected, stagingTarget, targets, [])).toEqual({
      available: false,
      reason: 'Only approved versions can be deployed: version 7 is rejected',
    });
  });

  it('needs the version InService on every required target', () => {
    expect(targetAvailability(approved, productionTarget, targets, [])).toEqual(
      {
        available: false,
        reason: 'Version 7 must be InService on Staging (222222222222) first',
      },
    );
    const creating = makeEndpoint(
      stagingTarget,
      'fd-staging',
      approved,
      'Creating',
    );
    expect(
      targetAvailability(approved, productionTarget, targets, [creating])
        .available,
    ).toBe(false);
    const otherVersion = makeEndpoint(
      stagingTarget,
      'fd-staging',
      summaryOf(makeVersion('fraud-detection', 6)),
    );
    expect(
      targetAvailability(approved, productionTarget, targets, [otherVersion])
        .available,
    ).toBe(false);
    const inService = makeEndpoint(stagingTarget, 'fd-staging', approved);
    expect(
      targetAvailability(approved, productionTarget, targets, [inService]),
    ).toEqual({ available: true });
    expect(targetAvailability(approved, stagingTarget, targets, [])).toEqual({
      available: true,
    });
  });
});

describe('placementsOf', () => {
  it('finds the endpoint variants that serve a version', () => {
    const endpoint = makeEndpoint(stagingTarget, 'fd-staging', approved);
    expect(placementsOf(approved.arn, [endpoint])).toEqual([
      {
        endpoint,
        variantName: 'AllTraffic',
        instanceType: 'ml.m5.large',
        instanceCount: 1,
      },
    ]);
    expect(placementsOf(`${approved.arn}0`, [endpoint])).toEqual([]);
  });
});
