import { EntityModelVersionsResponse } from '@internal/backstage-plugin-sagemaker-common';
import { versionsJson } from './versionsJson';

const page = (name: string) =>
  ({
    arn: `arn:aws:sagemaker:us-east-1:111111111111:model-package-group/${name}`,
    name,
    accountId: '111111111111',
    region: 'us-east-1',
    versions: [{ version: 1, note: 'quotes " and \\ and ✓' }],
    nextCursor: undefined,
  } as unknown as EntityModelVersionsResponse['groups'][number]);

describe('versionsJson', () => {
  it('is exactly JSON.stringify of the response, also for a page served twice', () => {
    const fraud = page('fraud');
    const first: EntityModelVersionsResponse = {
      entityRef: 'component:default/"odd"',
      groups: [fraud, page('other')],
    };
    expect(versionsJson(first)).toBe(JSON.stringify(first));
    const again = { entityRef: 'component:default/x', groups: [fraud] };
    expect(versionsJson(again)).toBe(JSON.stringify(again));
    expect(JSON.parse(versionsJson({ entityRef: 'a', groups: [] }))).toEqual({
      entityRef: 'a',
      groups: [],
    });
  });
});
