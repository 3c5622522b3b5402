import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';
import { randomUUID } from 'node:crypto';

/** Stands for "the cache store did not answer" in place of a value. */
const UNAVAILABLE = Symbol('cache unavailable');

/** How a RegistryCache copes with a cache store (Redis) that stops answering. */
export interface RegistryCacheOptions {
  /** Logs the store going away and coming back, once each. */
  logger?: LoggerService;
  /** A cache call slower than this counts as the store being down. */
  timeoutMs?: number;
  /** While down, the store is left alone for this long, then tried again. */
  retryAfterMs?: number;
  /** How many values this process keeps besides the store. */
  maxLocalEntries?: number;
}

/**
 * Caches registry reads per model package group (or per target account), on
 * the Backstage cache service. Each scope has a generation number in its keys,
 * so that a write through our own API invalidates every cached page of a
 * group with one `set`, without listing keys. The store is shared by every
 * replica (Redis in production), so a write through one is seen by the next
 * read on any other.
 *
 * When the store stops answering, reads are served uncached and writes still
 * succeed: the outage is logged once, the store is tried again every
 * `retryAfterMs`, and the invalidations it missed are replayed when it
 * answers again, so that no page cached before the outage outlives a write.
 */
export class RegistryCache {
  /** Loads under way in this process, shared by every caller of a key. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /**
   * Values this process read or stored, by their full key (generation
   * included), until the store's own copy expires. A write bumps the
   * generation, which every read still asks the store for, so a value kept
   * here is never served after a write on any replica; what it saves is
   * fetching and deserializing a whole page from the store on each read.
   */
  private readonly local = new Map<
    string,
    { value: unknown; expiresAt: number }
  >();
  private readonly maxLocalEntries: number;
  private readonly timeoutMs: number;
  private readonly retryAfterMs: number;
  /** While the store is down: when to try it again. */
  private downUntil: number | undefined;
  /** Scopes whose invalidation the store missed while it was down. */
  private readonly missedInvalidations = new Set<string>();
  /** This instance's key for checking that the store works again. */
  private readonly probeKey = `probe|${randomUUID()}`;

  constructor(
    private readonly cache: CacheService,
    private readonly ttlMs: number,
    private readonly options: RegistryCacheOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 1_000;
    this.retryAfterMs = options.retryAfterMs ?? 5_000;
    this.maxLocalEntries = options.maxLocalEntries ?? 1_000;
  }

  async getOrLoad<T>(
    scope: string,
    key: string,
    load: () => Promise<T>,
  ): Promise<T> {
    if (this.ttlMs <= 0) {
      return load();
    }
    const generation = await this.generation(scope);
    const cacheKey =
      generation === UNAVAILABLE
        ? undefined
        : `v1|${scope}|${generation}|${key}`;
    if (cacheKey) {
      const kept = this.local.get(cacheKey);
      if (kept && kept.expiresAt > Date.now()) {
        return kept.value as T;
      }
      const cached = await this.call(() => this.cache.get(cacheKey));
      if (cached !== undefined && cached !== UNAVAILABLE) {
        // Kept for the rest of the store's TTL at most; the store does not
        // say how much is left, so a fraction of it.
        this.keep(cacheKey, cached, this.ttlMs / 4);
        return cached as T;
      }
    }
    // A burst of misses (a page everyone opens when the TTL ends, right
    // after a write, or while the store is down) makes one set of SageMaker
    // calls, not one per request.
    const flightKey = cacheKey ?? `uncached|${scope}|${key}`;
    let pending = this.inFlight.get(flightKey) as Promise<T> | undefined;
    if (!pending) {
      pending =
        cacheKey && this.downUntil === undefined
          ? this.loadAndStore(cacheKey, load)
          : load();
      this.inFlight.set(flightKey, pending);
      const forget = () => this.inFlight.delete(flightKey);
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
    const stored = await this.call(() =>
      this.cache.set(cacheKey, value as unknown as JsonValue, {
        ttl: this.ttlMs,
      }),
    );
    if (stored !== UNAVAILABLE) {
      this.keep(cacheKey, value, this.ttlMs);
    }
    return value;
  }

  private keep(cacheKey: string, value: unknown, ttlMs: number) {
    this.local.delete(cacheKey);
    this.local.set(cacheKey, { value, expiresAt: Date.now() + ttlMs });
    if (this.local.size > this.maxLocalEntries) {
      // Maps iterate in insertion order: the first key is the oldest.
      this.local.delete(this.local.keys().next().value!);
    }
  }

  /**
   * A value kept under a key of its own, outside every scope's generation:
   * for what never changes once written, like a report in S3 read by URI.
   * The same bounded calls as the pages, so a store that stops answering
   * makes this undefined (a miss), never a request that hangs.
   */
  async getValue<T extends JsonValue>(key: string): Promise<T | undefined> {
    const value = await this.call(() => this.cache.get<T>(`v1|value|${key}`));
    return value === UNAVAILABLE ? undefined : value;
  }

  /** Stores a value of {@link RegistryCache.getValue}; a store that is down skips it. */
  async setValue(key: string, value: JsonValue, ttlMs: number): Promise<void> {
    await this.call(() =>
      this.cache.set(`v1|value|${key}`, value, { ttl: ttlMs }),
    );
  }

  /** Drops everything cached for a scope (a group ARN, or a target). */
  async invalidate(scope: string): Promise<void> {
    if ((await this.call(() => this.bump(scope))) === UNAVAILABLE) {
      this.missedInvalidations.add(scope);
    }
  }

  private bump(scope: string) {
    return this.cache.set(`gen|${scope}`, Date.now() + Math.random());
  }

  private async generation(scope: string) {
    const generation = await this.call(() =>
      this.cache.get<number>(`gen|${scope}`),
    );
    return generation === UNAVAILABLE ? generation : generation ?? 0;
  }

  /**
   * One call to the store, bounded in time. A failure or a timeout marks
   * the store down (logged once); while it is down no call is made until
   * `retryAfterMs` has passed. The first call after that checks that the
   * store keeps a value again, then replays the invalidations it missed,
   * before anything else.
   */
  private async call<T>(op: () => Promise<T>): Promise<T | typeof UNAVAILABLE> {
    const recovering = this.downUntil !== undefined;
    if (recovering) {
      if (Date.now() < this.downUntil! || !(await this.keepsValues())) {
        return UNAVAILABLE;
      }
      for (const scope of [...this.missedInvalidations]) {
        if ((await this.bounded(() => this.bump(scope))) === UNAVAILABLE) {
          return UNAVAILABLE;
        }
        this.missedInvalidations.delete(scope);
      }
    }
    const result = await this.bounded(op);
    // Concurrent calls may all find the store back: the first one says so.
    if (result !== UNAVAILABLE && recovering && this.downUntil !== undefined) {
      this.downUntil = undefined;
      this.options.logger?.info(
        'The cache store answers again; registry reads are cached again',
      );
    }
    return result;
  }

  /**
   * Whether the store keeps what it is given: a token written and read back
   * under this instance's own key. A store that is down may still answer a
   * read (a client that reports a miss instead of its error); counting that
   * as recovered would flap between up and down, logging each time.
   */
  private async keepsValues(): Promise<boolean> {
    const token = `${Date.now()}|${Math.random()}`;
    const kept = await this.bounded(async () => {
      await this.cache.set(this.probeKey, token, { ttl: 60_000 });
      return (await this.cache.get<string>(this.probeKey)) === token;
    });
    if (kept === true) {
      return true;
    }
    if (kept === false) {
      this.markDown('it does not keep a value written to it');
    }
    return false;
  }

  private async bounded<T>(
    op: () => Promise<T>,
  ): Promise<T | typeof UNAVAILABLE> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        op(),
        new Promise<typeof UNAVAILABLE>(resolve => {
          timer = setTimeout(() => resolve(UNAVAILABLE), this.timeoutMs);
        }),
      ]);
      if (result === UNAVAILABLE) {
        this.markDown(`no answer within ${this.timeoutMs} ms`);
      }
      return result;
    } catch (error) {
      this.markDown(String(error));
      return UNAVAILABLE;
    } finally {
      clearTimeout(timer);
    }
  }

  private markDown(reason: string) {
    if (this.downUntil === undefined) {
      this.options.logger?.warn(
        `The cache store is not answering (${reason}); registry reads are served uncached until it does`,
      );
    }
    this.downUntil = Date.now() + this.retryAfterMs;
  }
}
