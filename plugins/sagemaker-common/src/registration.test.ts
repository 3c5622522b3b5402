import {
  parseRegistrationComment,
  registrationComment,
} from './registration';

describe('registrationComment', () => {
  it('reads back the status it wrote', () => {
    for (const status of [
      'PendingManualApproval',
      'Approved',
      'Rejected',
    ] as const) {
      expect(parseRegistrationComment(registrationComment(status))).toBe(
        status,
      );
    }
  });

  it('names no status for other comments or unknown statuses', () => {
    expect(parseRegistrationComment(undefined)).toBeUndefined();
    expect(parseRegistrationComment('Stage Staging, status Approved')).toBe(
      undefined,
    );
    expect(
      parseRegistrationComment(
        'Registered outside Backstage with status Deleted',
      ),
    ).toBeUndefined();
    expect(
      parseRegistrationComment(
        'Registered outside Backstage with status Approved; and more',
      ),
    ).toBeUndefined();
  });
});
