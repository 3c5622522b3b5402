#!/usr/bin/env node
// Prints the least-privilege policies a cross-account deploy needs, from a
// running backend's policy generator (GET /api/sagemaker/.../policies).
//
//   yarn sagemaker:policies [--entity component:default/fraud-detection]
//                           [--target production] [--format json|cloudformation]
//                           [--backend http://localhost:7007]
//
// Without --entity it asks for every configured account and target, which
// needs the sagemaker.readiness.read permission. The token comes from
// BACKSTAGE_TOKEN, or else from the demo's guest sign-in.
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    entity: { type: 'string' },
    target: { type: 'string' },
    format: { type: 'string', default: 'json' },
    backend: { type: 'string', default: 'http://localhost:7007' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(
    'usage: yarn sagemaker:policies [--entity kind:namespace/name] [--target name] [--format json|cloudformation] [--backend URL]\n',
  );
  process.exit(0);
}
function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}
if (!['json', 'cloudformation'].includes(values.format)) {
  fail(`--format must be json or cloudformation, not '${values.format}'`);
}

async function token() {
  if (process.env.BACKSTAGE_TOKEN) return process.env.BACKSTAGE_TOKEN;
  const res = await fetch(`${values.backend}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  }).catch(e => fail(`cannot reach ${values.backend}: ${e.message}`));
  if (!res.ok)
    fail(
      `guest sign-in at ${values.backend} answered ${res.status}; set BACKSTAGE_TOKEN`,
    );
  return (await res.json()).backstageIdentity.token;
}

let path = '/api/sagemaker/policies';
if (values.entity) {
  const m = /^([^:]+):([^/]+)\/(.+)$/.exec(values.entity);
  if (!m)
    fail(`--entity must look like kind:namespace/name, not '${values.entity}'`);
  path = `/api/sagemaker/entities/${m
    .slice(1)
    .map(encodeURIComponent)
    .join('/')}/policies`;
}
const query = values.target
  ? `?target=${encodeURIComponent(values.target)}`
  : '';
const res = await fetch(`${values.backend}${path}${query}`, {
  headers: { Authorization: `Bearer ${await token()}` },
}).catch(e => fail(`cannot reach ${values.backend}: ${e.message}`));
const body = await res.json().catch(() => ({}));
if (!res.ok) fail(body?.error?.message ?? `the backend answered ${res.status}`);
const out =
  values.format === 'json'
    ? body.policies.map(({ title, where, accountId, document }) => ({
        title,
        where,
        accountId,
        document,
      }))
    : body.cloudFormation;
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
