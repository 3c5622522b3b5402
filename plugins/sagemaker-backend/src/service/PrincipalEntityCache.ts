import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';

type Entry = { expiresAt: number; entity: Promise<Entity | undefined> };

/**
 * Remembers, for a few seconds, what the catalog answered when one principal
 * asked for one entity. A warm registry read is otherwise dominated by that
 * lookup (a token minted for the catalog, an HTTP hop, the catalog's own
 * token check and permission evaluation, a database query).
 *
 * Authorization is not weakened: an entry is keyed by the principal (the
 * user's entity ref, or the service's subject) and the entity, so only the
 * principal the catalog answered is served it, and only an entity it could
 * read; misses and errors are not kept. What it costs is freshness: for up
 * to `ttlMs`, a principal keeps reading an entity whose ownership, annotation
 * or visibility has just changed. Zero turns it off.
 */
export class PrincipalEntityCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(
    credentials: BackstageCredentials,
    entityRef: string,
    load: () => Promise<Entity | undefined>,
  ): Promise<Entity | undefined> {
    const principal = principalKey(credentials);
    if (this.ttlMs <= 0 || !principal) {
      return load();
    }
    const key = `${principal}\n${entityRef}`;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) {
      return hit.entity;
    }
    const entity = load();
    const entry = { expiresAt: now + this.ttlMs, entity };
    this.entries.delete(key);
    this.entries.set(key, entry);
    const forget = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    entity.then(found => found || forget(), forget);
    if (this.entries.size > this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest.
      this.entries.delete(this.entries.keys().next().value!);
    }
    return entity;
  }
}

function principalKey(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return `user:${principal.userEntityRef}`;
  }
  if (principal.type === 'service' && principal.subject) {
    return `service:${principal.subject}`;
  }
  return undefined;
}
