import { mockServices } from '@backstage/backend-test-utils';
import { RegistryCache } from './RegistryCache';

/** The cache service's contract, in memory. */
function memoryCache() {
  const values = new Map<string, any>();
  return mockServices.cache.mock({
    get: async key => values.get(key),
    set: async (key, value) => {
      values.set(key, value);
    },
  });
}

describe('RegistryCache', () => {
  it('makes one load for a burst of concurrent misses, and serves them all', async () => {
    const cache = new RegistryCache(memoryCache(), 60_000);
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise(r => setTimeout(r, 50));
      return { versions: [1, 2, 3] };
    };
    const results = await Promise.all(
      Array.from({ length: 50 }, () => cache.getOrLoad('group', 'page', load)),
    );
    expect(loads).toBe(1);
    expect(results.every(r => r.versions.length === 3)).toBe(true);
  });

  it('shares a failed load with its waiters, then tries again', async () => {
    const cache = new RegistryCache(memoryCache(), 60_000);
    let loads = 0;
    const failing = async () => {
      loads += 1;
      await new Promise(r => setTimeout(r, 20));
      throw new Error('throttled');
    };
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        cache.getOrLoad('group', 'page', failing),
      ),
    );
    expect(loads).toBe(1);
    expect(results.every(r => r.status === 'rejected')).toBe(true);
    await expect(
      cache.getOrLoad('group', 'page', async () => 'fresh'),
    ).resolves.toBe('fresh');
  });

  it('loads again after a write invalidates the scope', async () => {
    const cache = new RegistryCache(memoryCache(), 60_000);
    await cache.getOrLoad('group', 'page', async () => 'before');
    await expect(
      cache.getOrLoad('group', 'page', async () => 'unused'),
    ).resolves.toBe('before');
    await cache.invalidate('group');
    await expect(
      cache.getOrLoad('group', 'page', async () => 'after'),
    ).resolves.toBe('after');
  });
});
