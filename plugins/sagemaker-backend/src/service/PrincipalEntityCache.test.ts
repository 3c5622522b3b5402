import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { PrincipalEntityCache } from './PrincipalEntityCache';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'fraud-detection' },
};
const REF = 'component:default/fraud-detection';

describe('PrincipalEntityCache', () => {
  it('asks the catalog once per principal and entity within the TTL', async () => {
    const cache = new PrincipalEntityCache(60_000);
    const load = jest.fn(async () => entity);
    const ana = mockCredentials.user('user:default/ana');
    for (let i = 0; i < 5; i++) {
      await expect(cache.get(ana, REF, load)).resolves.toBe(entity);
    }
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('never serves one principal what the catalog answered another', async () => {
    const cache = new PrincipalEntityCache(60_000);
    await cache.get(
      mockCredentials.user('user:default/ana'),
      REF,
      async () => entity,
    );
    // The catalog hides the entity from bob: he gets its answer, not ana's.
    const forBob = jest.fn(async () => undefined);
    await expect(
      cache.get(mockCredentials.user('user:default/bob'), REF, forBob),
    ).resolves.toBeUndefined();
    const forService = jest.fn(async () => undefined);
    await expect(
      cache.get(mockCredentials.service('plugin:other'), REF, forService),
    ).resolves.toBeUndefined();
    expect(forBob).toHaveBeenCalledTimes(1);
    expect(forService).toHaveBeenCalledTimes(1);
  });

  it('keeps neither misses nor errors, and asks again after the TTL', async () => {
    const cache = new PrincipalEntityCache(30);
    const ana = mockCredentials.user('user:default/ana');
    const missing = jest.fn(async () => undefined);
    await cache.get(ana, REF, missing);
    await cache.get(ana, REF, missing);
    expect(missing).toHaveBeenCalledTimes(2);
    await expect(
      cache.get(ana, REF, async () => {
        throw new Error('catalog down');
      }),
    ).rejects.toThrow('catalog down');
    const found = jest.fn(async () => entity);
    await cache.get(ana, REF, found);
    await new Promise(r => setTimeout(r, 40));
    await cache.get(ana, REF, found);
    expect(found).toHaveBeenCalledTimes(2);
  });

  it('asks every time when turned off or when nobody is signed in', async () => {
    const load = jest.fn(async () => entity);
    await new PrincipalEntityCache(0).get(
      mockCredentials.user('user:default/ana'),
      REF,
      load,
    );
    const on = new PrincipalEntityCache(60_000);
    await on.get(mockCredentials.none(), REF, load);
    await on.get(mockCredentials.none(), REF, load);
    expect(load).toHaveBeenCalledTimes(3);
  });
});
