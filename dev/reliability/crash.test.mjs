// The backend killed during deploys, for real: SIGKILL to the process group of
// a running `yarn workspace backend start`, while one deployment waits for
// its endpoint and another was accepted a moment before. A new backend on the
// same SQLite database must finish both, with each history event once and the
// chain intact, and without creating anything in SageMaker twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ListEndpointConfigsCommand,
  ListModelsCommand,
} from '@aws-sdk/client-sagemaker';
import {
  ROOT,
  freePort,
  guestToken,
  startBackend,
  startEmulator,
} from '../e2e/stack.mjs';
import { describeEndpoint, sageMakerIn } from '../e2e/aws.mjs';
import { appendScore, until } from './scenario.mjs';

const OUT = join(ROOT, '.data/reliability');
const ENTITY = 'entities/component/default/fraud-detection';
const LEASE_SECONDS = 3;
const BACKEND_ENV = {
  // Followed every second, with a short lease, so the restarted backend
  // picks the work up fast.
  APP_CONFIG_sagemaker_deployments_pollInterval: '{"seconds":1}',
  APP_CONFIG_sagemaker_deployments_lease: `{"seconds":${LEASE_SECONDS}}`,
};

let emulator;
let backend;
let sqliteDir;
let port;

before(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  // Endpoints stay Creating for 8 s: long enough to die in the middle.
  emulator = await startEmulator({ logDir: OUT, delaySeconds: 8 });
  sqliteDir = mkdtempSync(join(tmpdir(), 'sagemaker-crash-sqlite-'));
  port = await freePort();
});

after(async () => {
  await backend?.stop();
  await emulator?.stop();
  if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
});

async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const token = await guestToken(backend.url);
  const res = await fetch(`${backend.url}/api/sagemaker/${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      ...headers,
    },
    body: body && JSON.stringify(body),
  });
  const json = await res.json();
  return { status: res.status, body: json };
}

/** A backend on the same port and SQLite database each time. */
function startOn(logName) {
  return startBackend({
    logDir: OUT,
    endpoint: emulator.endpoint,
    port,
    sqliteDir,
    env: BACKEND_ENV,
    logName,
  });
}

function deploy(version, endpointName) {
  return api(`${ENTITY}/deployments`, {
    method: 'POST',
    headers: { 'Idempotency-Key': `crash-${endpointName}` },
    body: {
      version,
      target: 'staging',
      endpointName,
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    },
  });
}

test('a backend killed mid-deploy and restarted finishes every deployment once', async () => {
  const problems = [];
  const started = Date.now();
  backend = await startOn('backend-1');
  const approved = await api(`${ENTITY}/versions?status=Approved&limit=2`);
  assert.equal(approved.status, 200);
  const [first, second] = approved.body.groups[0].versions.map(v => v.version);

  // One deployment gets as far as waiting for its endpoint...
  const waiting = await deploy(first, 'fraud-crash-waiting');
  assert.equal(waiting.status, 202, JSON.stringify(waiting.body));
  await until('the endpoint call', 30, async () => {
    const { body } = await api(`deployments/${waiting.body.id}`);
    return body.phase === 'waiting' && body.endpointStatus === 'Creating';
  });
  // ...another is accepted, and the process dies right after.
  const fresh = await deploy(second, 'fraud-crash-fresh');
  assert.equal(fresh.status, 202, JSON.stringify(fresh.body));
  await backend.kill();
  const killedAt = Date.now();

  const staging = await sageMakerIn(emulator.endpoint, '222222222222');
  const endpointWhenKilled = await describeEndpoint(
    staging,
    'fraud-crash-waiting',
  );
  assert.equal(endpointWhenKilled.EndpointStatus, 'Creating');

  backend = await startOn('backend-2');
  const restartedAt = Date.now();
  // The dead worker's lease runs out, then the follow-up task resumes.
  const ids = [waiting.body.id, fresh.body.id];
  const finished = await until('both deployments to settle', 120, async () => {
    const all = await Promise.all(ids.map(id => api(`deployments/${id}`)));
    return all.every(d => d.body.status !== 'in-progress') && all;
  });
  const resumedAt = Date.now();
  for (const { body } of finished) {
    if (body.status !== 'succeeded') {
      problems.push(
        `${body.endpointName} ended ${body.status}: ${JSON.stringify(
          body.error,
        )}`,
      );
    }
  }

  for (const name of ['fraud-crash-waiting', 'fraud-crash-fresh']) {
    const endpoint = await describeEndpoint(staging, name);
    if (endpoint.EndpointStatus !== 'InService') {
      problems.push(`${name} is ${endpoint.EndpointStatus}`);
    }
    // Listed whole and filtered here: moto ignores ListModels' NameContains.
    const models = (
      await staging.send(new ListModelsCommand({}))
    ).Models.filter(m => m.ModelName.startsWith(name));
    const configs = (
      await staging.send(new ListEndpointConfigsCommand({}))
    ).EndpointConfigs.filter(c => c.EndpointConfigName.startsWith(name));
    if (models.length !== 1 || configs.length !== 1) {
      problems.push(
        `${name}: ${models.length} models and ${configs.length} endpoint configs, not 1 each`,
      );
    }
  }

  const history = await api(`${ENTITY}/history?limit=200`);
  for (const id of ids) {
    const events = history.body.events
      .filter(e => e.deploymentId === id)
      .map(e => `${e.action}/${e.outcome}`)
      .sort();
    if (events.join(',') !== 'deploy/requested,deploy/succeeded') {
      problems.push(`deployment ${id} events: ${events.join(', ')}`);
    }
  }
  const verify = await api('history/verify');
  if (!verify.body.intact) {
    problems.push(`history chain: ${JSON.stringify(verify.body)}`);
  }

  appendScore({
    area: 'Faults',
    scenario:
      'backend killed (SIGKILL) mid-deploy and restarted → both deploys complete, events once, chain intact',
    requests: ids.length,
    failures: problems.length,
    note: `restart ${Math.round(
      (restartedAt - killedAt) / 1000,
    )} s, resumed ${Math.round(
      (resumedAt - restartedAt) / 1000,
    )} s later (${LEASE_SECONDS} s lease), ${
      verify.body.count
    } events verified, total ${Math.round((Date.now() - started) / 1000)} s`,
  });
  assert.deepEqual(problems, []);
});
