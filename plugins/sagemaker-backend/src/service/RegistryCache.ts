import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/**
 * Caches registry reads per model package group (or per target account), on
 * the Backstage cache service. Each scope has a generation number in its keys,
 * so that a write through our own API invalidates every cached page of a
 * group with one `set`, without listing keys.
 */
export class RegistryCache {
  /** Loads under way in this process, shared by every caller of a key. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly cache: CacheService,
    private readonly ttlMs: number,
  ) {}

  async getOrLoad<T>(
    scope: string,
    key: string,
    load: () => Promise<T>,
  ): Promise<T> {
    if (this.ttlMs <= 0) {
      return load();
    }
    const generation = await this.generation(scope);
    const cacheKey = `v1|${scope}|${generation}|${key}`;
    const cached = await this.cache.get(cacheKey);
    if (cached !== undefined) {
      return cached as T;
    }
    // A burst of misses (a page everyone opens when the TTL ends, or right
    // after a write) makes one set of SageMaker calls, not one per request.
    let pending = this.inFlight.get(cacheKey) as Promise<T> | undefined;
    if (!pending) {
      pending = this.loadAndStore(cacheKey, load);
      this.inFlight.set(cacheKey, pending);
      const forget = () => this.inFlight.delete(cacheKey);
      pending.then(forget, forget);
    }
    return pending;
  }

  private async loadAndStore<T>(
    cacheKey: string,
    load: () => Promise<T>,
  ): Promise<T> {
    const value = await load();
    // Values are plain data from the mappers, so they survive a JSON store.
    await this.cache.set(cacheKey, value as unknown as JsonValue, {
      ttl: this.ttlMs,
    });
    return value;
  }

  /** Drops everything cached for a scope (a group ARN, or a target). */
  async invalidate(scope: string): Promise<void> {
    await this.cache.set(`gen|${scope}`, Date.now() + Math.random());
  }

  private async generation(scope: string): Promise<number> {
    return (await this.cache.get<number>(`gen|${scope}`)) ?? 0;
  }
}
