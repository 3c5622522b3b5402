import { createHash } from 'node:crypto';
import { parseEntityRef } from '@backstage/catalog-model';

/**
 * An STS RoleSessionName that names the Backstage user, e.g.
 * `user:default/guest` → `guest@default`. AWS allows 2–64 characters of
 * `[\w+=,.@-]`; anything else becomes `-`, and a name too long is cut and
 * suffixed with a hash so that two users never share a session name.
 */
export function sessionNameFor(userEntityRef: string): string {
  let readable: string;
  try {
    const ref = parseEntityRef(userEntityRef);
    readable = `${ref.name}@${ref.namespace}`;
  } catch {
    readable = userEntityRef;
  }
  readable = readable.replace(/[^\w+=,.@-]/g, '-');
  if (readable.length < 2) {
    readable = `${readable}--`.slice(0, 2);
  }
  if (readable.length <= 64) {
    return readable;
  }
  const hash = createHash('sha256').update(userEntityRef).digest('hex');
  return `${readable.slice(0, 55)}-${hash.slice(0, 8)}`;
}
