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

  it('serves a write through another replica at once, whatever this one kept', async () => {
    const shared = memoryCache();
    const replicaA = new RegistryCache(shared, 60_000);
    const replicaB = new RegistryCache(shared, 60_000);
    await replicaA.getOrLoad('group', 'page', async () => 'before');
    const get = shared.get as jest.Mock;
    get.mockClear();
    // Kept in this process: only the (small) generation is read from the store.
    await expect(
      replicaA.getOrLoad('group', 'page', async () => 'unused'),
    ).resolves.toBe('before');
    expect(get.mock.calls.map(([key]) => key)).toEqual(['gen|group']);

    await replicaB.invalidate('group');
    await expect(
      replicaA.getOrLoad('group', 'page', async () => 'after'),
    ).resolves.toBe('after');
  });

  describe('when the cache store stops answering', () => {
    /** A store that answers, hangs (Redis unreachable) or fails on demand. */
    function flakyCache() {
      const values = new Map<string, any>();
      const state = {
        mode: 'up' as 'up' | 'hang' | 'fail' | 'forget',
        calls: 0,
      };
      const answer = async <T>(op: () => T): Promise<T> => {
        state.calls += 1;
        if (state.mode === 'hang') return new Promise<T>(() => {});
        if (state.mode === 'fail') throw new Error('ECONNREFUSED');
        return op();
      };
      const cache = mockServices.cache.mock({
        // 'forget': a client that reports a miss instead of its error, and
        // drops writes.
        get: key =>
          answer(() => (state.mode === 'forget' ? undefined : values.get(key))),
        set: (key, value) =>
          answer(() => {
            if (state.mode !== 'forget') values.set(key, value);
          }),
      });
      return { cache, state };
    }

    function logger() {
      return mockServices.logger.mock();
    }

    it.each(['hang', 'fail'] as const)(
      'serves reads uncached when the store is %s, logging it once',
      async mode => {
        const store = flakyCache();
        const log = logger();
        const cache = new RegistryCache(store.cache, 60_000, {
          logger: log,
          timeoutMs: 20,
          retryAfterMs: 60_000,
        });
        store.state.mode = mode;
        const load = jest.fn(
          async (): Promise<number> => load.mock.calls.length,
        );
        for (let i = 0; i < 20; i++) {
          await expect(cache.getOrLoad('group', 'page', load)).resolves.toBe(
            i + 1,
          );
        }
        expect(log.warn).toHaveBeenCalledTimes(1);
        expect(log.warn).toHaveBeenCalledWith(
          expect.stringContaining('registry reads are served uncached'),
        );
        // The store is left alone while it is down, not asked per request.
        expect(store.state.calls).toBe(1);
      },
    );

    it('answers a value read (a report) as a miss when the store hangs, and skips its write', async () => {
      const store = flakyCache();
      const cache = new RegistryCache(store.cache, 60_000, {
        logger: logger(),
        timeoutMs: 20,
        retryAfterMs: 60_000,
      });
      await cache.setValue('report|s3://b/k', { auc: 0.9 }, 60_000);
      await expect(cache.getValue('report|s3://b/k')).resolves.toEqual({
        auc: 0.9,
      });
      store.state.mode = 'hang';
      await expect(cache.getValue('report|s3://b/k')).resolves.toBeUndefined();
      await expect(
        cache.setValue('report|s3://b/other', { auc: 0.8 }, 60_000),
      ).resolves.toBeUndefined();
      // Marked down by the first hang: the second call was not even made.
      expect(store.state.calls).toBe(3);
    });

    it('stays down, logged once, while the store answers reads with misses but keeps nothing', async () => {
      const store = flakyCache();
      const log = logger();
      const cache = new RegistryCache(store.cache, 60_000, {
        logger: log,
        timeoutMs: 20,
        retryAfterMs: 5,
      });
      store.state.mode = 'fail';
      await cache.getOrLoad('group', 'page', async () => 'first');
      store.state.mode = 'forget';
      for (let i = 0; i < 5; i++) {
        await new Promise(r => setTimeout(r, 10));
        await expect(
          cache.getOrLoad('group', 'page', async () => `read ${i}`),
        ).resolves.toBe(`read ${i}`);
      }
      expect(log.warn).toHaveBeenCalledTimes(1);
      expect(log.info).not.toHaveBeenCalled();
    });

    it('still makes one load for a burst of reads while the store is down', async () => {
      const store = flakyCache();
      const cache = new RegistryCache(store.cache, 60_000, {
        logger: logger(),
        timeoutMs: 20,
        retryAfterMs: 60_000,
      });
      store.state.mode = 'fail';
      await cache.getOrLoad('group', 'page', async () => 'marks it down');
      let loads = 0;
      const results = await Promise.all(
        Array.from({ length: 30 }, () =>
          cache.getOrLoad('group', 'page', async () => {
            loads += 1;
            await new Promise(r => setTimeout(r, 20));
            return 'uncached';
          }),
        ),
      );
      expect(loads).toBe(1);
      expect(new Set(results)).toEqual(new Set(['uncached']));
    });

    it('caches again once the store answers, replaying the invalidations it missed', async () => {
      const store = flakyCache();
      const log = logger();
      const cache = new RegistryCache(store.cache, 60_000, {
        logger: log,
        timeoutMs: 20,
        retryAfterMs: 30,
      });
      await cache.getOrLoad('group', 'page', async () => 'before the write');

      // A write while the store is unreachable cannot invalidate it...
      store.state.mode = 'hang';
      await cache.invalidate('group');
      store.state.mode = 'up';
      await new Promise(r => setTimeout(r, 40));

      // ...so it is replayed when the store is back: no stale page.
      await expect(
        cache.getOrLoad('group', 'page', async () => 'after the write'),
      ).resolves.toBe('after the write');
      await expect(
        cache.getOrLoad('group', 'page', async () => 'not loaded again'),
      ).resolves.toBe('after the write');
      expect(log.warn).toHaveBeenCalledTimes(1);
      expect(log.info).toHaveBeenCalledTimes(1);
      expect(log.info).toHaveBeenCalledWith(
        expect.stringContaining('registry reads are cached again'),
      );
    });
  });
});
