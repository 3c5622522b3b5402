// Two replicas of the real backend on one PostgreSQL and one Redis
// (replicaStack.mjs), as production runs them behind a load balancer. Each
// scenario adds a row to the reliability table (area "Replicas"): a write on
// one replica is seen by the next read on the other; 2 × 50 concurrent writes
// keep one intact chain with every event once; Redis stopped and started
// again; PostgreSQL restarted mid-deploy; the replica following a deployment
// killed, and the other finishing it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  ListEndpointConfigsCommand,
  ListModelsCommand,
} from '@aws-sdk/client-sagemaker';
import { ROOT, guestToken } from '../e2e/stack.mjs';
import { describeEndpoint, sageMakerIn } from '../e2e/aws.mjs';
import { startReplicaStack } from './replicaStack.mjs';
import { appendScore, until } from './scenario.mjs';

const OUT = join(ROOT, '.data/replicas');
const FRAUD = 'entities/component/default/fraud-detection';
/** Owned by another team than the guest's: its writes are denied. */
const CHURN = 'entities/component/default/churn-prediction';
const LEASE_SECONDS = 3;

let stack;
let staging;

before(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  stack = await startReplicaStack({
    logDir: OUT,
    // Endpoints stay Creating for 4 s: long enough to act in the middle.
    delaySeconds: 4,
    env: {
      APP_CONFIG_sagemaker_deployments_pollInterval: '{"seconds":1}',
      APP_CONFIG_sagemaker_deployments_lease: `{"seconds":${LEASE_SECONDS}}`,
    },
  });
  staging = await sageMakerIn(stack.emulator.endpoint, '222222222222');
});

after(async () => {
  await stack?.stop();
});

const tokens = new Map();
async function api(replica, path, { method = 'GET', body, headers = {} } = {}) {
  if (!tokens.has(replica.url)) {
    tokens.set(replica.url, await guestToken(replica.url));
  }
  const res = await fetch(`${replica.url}/api/sagemaker/${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${tokens.get(replica.url)}`,
      'Content-Type': 'application/json',
      ...headers,
    },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

function score(scenario, requests, problems, note) {
  appendScore({
    area: 'Replicas',
    scenario,
    requests,
    failures: problems.length,
    note: problems.length ? problems.slice(0, 3).join('; ') : note,
  });
  assert.deepEqual(problems, []);
}

/** The versions of fraud-detection, by number, with their status. */
async function statuses(replica) {
  const { status, body } = await api(replica, `${FRAUD}/versions?limit=100`);
  assert.equal(status, 200, JSON.stringify(body));
  return new Map(
    body.groups[0].versions.map(v => [v.version, v.approvalStatus]),
  );
}

function deploy(replica, version, endpointName) {
  return api(replica, `${FRAUD}/deployments`, {
    method: 'POST',
    headers: { 'Idempotency-Key': `replicas-${endpointName}` },
    body: {
      version,
      target: 'staging',
      endpointName,
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    },
  });
}

/** Waits for deployments to settle, on any replica; returns them. */
function settled(replica, ids, seconds) {
  return until(`${ids.length} deployments to settle`, seconds, async () => {
    const all = await Promise.all(
      ids.map(id => api(replica, `deployments/${id}`)),
    );
    return (
      all.every(d => d.body.status !== 'in-progress') && all.map(d => d.body)
    );
  });
}

/** Problems with deployments: not succeeded, not one model and config each. */
async function checkDeployments(deployments, history) {
  const problems = [];
  const models = (await staging.send(new ListModelsCommand({}))).Models;
  const configs = (await staging.send(new ListEndpointConfigsCommand({})))
    .EndpointConfigs;
  for (const d of deployments) {
    if (d.status !== 'succeeded') {
      problems.push(
        `${d.endpointName} ${d.status}: ${JSON.stringify(d.error)}`,
      );
    }
    const endpoint = await describeEndpoint(staging, d.endpointName);
    if (endpoint.EndpointStatus !== 'InService') {
      problems.push(`${d.endpointName} is ${endpoint.EndpointStatus}`);
    }
    const ownModels = models.filter(m =>
      m.ModelName.startsWith(`${d.endpointName}-`),
    );
    const ownConfigs = configs.filter(c =>
      c.EndpointConfigName.startsWith(`${d.endpointName}-`),
    );
    if (ownModels.length !== 1 || ownConfigs.length !== 1) {
      problems.push(
        `${d.endpointName}: ${ownModels.length} models, ${ownConfigs.length} configs`,
      );
    }
    const events = history
      .filter(e => e.deploymentId === d.id)
      .map(e => `${e.action}/${e.outcome}`)
      .sort()
      .join(',');
    if (events !== 'deploy/requested,deploy/succeeded') {
      problems.push(`deployment ${d.id} events: ${events}`);
    }
  }
  return problems;
}

/** Every history event of an entity, newest first, page by page. */
async function historyOf(replica, entity = FRAUD) {
  const events = [];
  let cursor;
  do {
    const { status, body } = await api(
      replica,
      `${entity}/history?limit=200${
        cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
      }`,
    );
    assert.equal(status, 200, JSON.stringify(body));
    events.push(...body.events);
    cursor = body.nextCursor;
  } while (cursor);
  return events;
}

async function chainProblems(replica) {
  const { body } = await api(replica, 'history/verify');
  return body.intact ? [] : [`history chain: ${JSON.stringify(body)}`];
}

test('a write through one replica is seen by the next read on the other', async () => {
  const [a, b] = stack.replicas;
  const problems = [];
  let requests = 0;
  const before = await statuses(b);
  await statuses(a);
  requests += 2;
  // Both replicas now serve the page from the shared cache.
  const versions = [...before.keys()].slice(0, 4);
  for (const [i, version] of versions.entries()) {
    const [writer, reader] = i % 2 ? [b, a] : [a, b];
    const wanted = before.get(version) === 'Approved' ? 'Rejected' : 'Approved';
    const write = await api(writer, `${FRAUD}/versions/${version}/approval`, {
      method: 'POST',
      body: { status: wanted, comment: 'replica read-after-write' },
    });
    const seen = (await statuses(reader)).get(version);
    requests += 2;
    if (write.status !== 200) {
      problems.push(
        `v${version}: ${write.status} ${write.body.error?.message}`,
      );
    } else if (seen !== wanted) {
      problems.push(
        `v${version}: the other replica read ${seen}, not ${wanted}`,
      );
    }
  }
  // A lifecycle stage set through B shows in A's next read of the versions.
  const [staged] = versions;
  const stage = await api(b, `${FRAUD}/versions/${staged}/lifecycle`, {
    method: 'POST',
    body: { stage: 'QA', stageStatus: 'InProgress' },
  });
  const stagedOnA = await api(a, `${FRAUD}/versions?limit=100`);
  requests += 2;
  const lifeCycle = stagedOnA.body.groups?.[0].versions.find(
    v => v.version === staged,
  )?.modelLifeCycle;
  if (stage.status !== 200) {
    problems.push(`stage: ${stage.status} ${stage.body.error?.message}`);
  } else if (lifeCycle?.stage !== 'QA') {
    problems.push(`the other replica read stage ${JSON.stringify(lifeCycle)}`);
  }
  // A deploy through A shows in B's endpoints panel, which B read (and
  // cached) before: whichever replica follows it invalidates the target.
  const endpointName = 'replica-read-after-deploy';
  const approved = [...before].find(
    ([v, s]) => s === 'Approved' && !versions.includes(v),
  )?.[0];
  await api(b, `${FRAUD}/endpoints`);
  const started = await deploy(a, approved, endpointName);
  requests += 2;
  if (started.status !== 202) {
    problems.push(`deploy: ${started.status} ${started.body.error?.message}`);
  } else {
    const [done] = await settled(a, [started.body.id], 60);
    const panel = await api(b, `${FRAUD}/endpoints`);
    requests += 2;
    const shown = panel.body.endpoints?.find(
      e => e.endpointName === endpointName,
    );
    if (done.status !== 'succeeded') {
      problems.push(`deploy ${done.status}: ${JSON.stringify(done.error)}`);
    } else if (shown?.status !== 'InService') {
      problems.push(
        `the other replica's endpoints panel shows ${endpointName} as ${shown?.status}`,
      );
    }
  }
  score(
    'write (approve, reject, lifecycle stage, deploy) through one replica → the next read on the other shows it (shared Redis cache, invalidated by generation)',
    requests,
    problems,
    `${versions.length} approvals alternating replicas, a stage and a deploy, each read back at once on the other`,
  );
});

test('2 replicas × 50 concurrent approvals, deploys and denials keep one chain, every event once', async () => {
  const [a, b] = stack.replicas;
  const problems = [];
  const current = await statuses(a);
  const lastSeq = Math.max(0, ...(await historyOf(a)).map(e => e.seq));
  const approvals = [...current].slice(10, 60);
  // Deployed versions are none of those whose approval changes meanwhile.
  const approved = [...current].filter(
    ([v, s]) => s === 'Approved' && !approvals.some(([w]) => w === v),
  );
  const requests = [];
  for (const [i, replica] of [a, b].entries()) {
    for (const [version, status] of approvals.slice(i * 25, i * 25 + 25)) {
      const wanted = status === 'Approved' ? 'Rejected' : 'Approved';
      requests.push({
        kind: 'approval',
        version,
        wanted,
        done: api(replica, `${FRAUD}/versions/${version}/approval`, {
          method: 'POST',
          body: { status: wanted, comment: 'two replicas at once' },
        }),
      });
    }
    for (let d = 0; d < 5; d++) {
      const [version] = approved[i * 5 + d];
      requests.push({
        kind: 'deploy',
        done: deploy(replica, version, `fraud-replicas-${i}-${d}`),
      });
    }
    for (let n = 0; n < 20; n++) {
      requests.push({
        kind: 'denial',
        done: api(replica, `${CHURN}/versions/${(n % 5) + 1}/approval`, {
          method: 'POST',
          body: { status: 'Approved', comment: 'not my team' },
        }),
      });
    }
  }
  const answers = await Promise.all(requests.map(r => r.done));
  const deploymentIds = [];
  answers.forEach((answer, i) => {
    const { kind, version } = requests[i];
    const expected = { approval: 200, deploy: 202, denial: 403 }[kind];
    if (answer.status !== expected) {
      problems.push(
        `${kind} ${version ?? ''}: ${answer.status} ${
          answer.body.error?.message
        }`,
      );
    }
    if (kind === 'deploy' && answer.status === 202) {
      deploymentIds.push(answer.body.id);
    }
  });
  const deployments = await settled(b, deploymentIds, 90);
  const history = (await historyOf(b)).filter(e => e.seq > lastSeq);
  problems.push(...(await checkDeployments(deployments, history)));
  for (const r of requests.filter(q => q.kind === 'approval')) {
    const action = r.wanted === 'Approved' ? 'approve' : 'reject';
    const events = history
      .filter(e => e.version === r.version && e.action === action)
      .map(e => e.outcome)
      .sort()
      .join(',');
    if (events !== 'requested,succeeded') {
      problems.push(`v${r.version} ${action} events: ${events}`);
    }
  }
  const churn = (await historyOf(a, CHURN)).filter(
    e => e.seq > lastSeq && e.outcome === 'denied',
  );
  if (churn.length !== 40) {
    problems.push(`${churn.length} denied events, not 40`);
  }
  // 50 approvals × (requested, succeeded) + 10 deploys × (requested, succeeded).
  if (history.length !== 120) {
    problems.push(`${history.length} new fraud events, not 120`);
  }
  problems.push(...(await chainProblems(a)));
  const verify = (await api(b, 'history/verify')).body;
  score(
    '2 replicas × 50 concurrent writes (25 approvals/rejections, 5 deploys, 20 denials each) → one intact chain, no event lost or twice, one model and config per deploy',
    requests.length,
    problems,
    `appends serialized by a PostgreSQL advisory lock; ${verify.count} events verified`,
  );
});

test('Redis stopped: reads served uncached and writes work, logged once; Redis back: caching resumes', async () => {
  const [a, b] = stack.replicas;
  const problems = [];
  let requests = 0;
  const warnings = () =>
    stack.replicas
      .flatMap(r => r.logFiles)
      .map(file => readFileSync(file, 'utf8'))
      .join('\n')
      .split('\n')
      .filter(line => line.includes('The cache store is not answering')).length;
  const warnedBefore = warnings();
  await stack.stopRedis();
  const current = await statuses(a);
  const [version, status] = [...current][70];
  const wanted = status === 'Approved' ? 'Rejected' : 'Approved';
  const started = Date.now();
  for (let i = 0; i < 10; i++) {
    const read = await api(i % 2 ? a : b, `${FRAUD}/versions?limit=50`);
    requests += 1;
    if (read.status !== 200) {
      problems.push(`read with Redis down: ${read.status}`);
    }
  }
  const readMs = (Date.now() - started) / 10;
  const write = await api(a, `${FRAUD}/versions/${version}/approval`, {
    method: 'POST',
    body: { status: wanted, comment: 'Redis is down' },
  });
  requests += 2;
  if (write.status !== 200) {
    problems.push(`write with Redis down: ${write.status}`);
  }
  if ((await statuses(b)).get(version) !== wanted) {
    problems.push('the other replica did not read the write');
  }
  const warned = warnings() - warnedBefore;
  // One line per replica that noticed, not one per request.
  if (warned < 1 || warned > 2) {
    problems.push(`${warned} "not answering" log lines for 12 requests`);
  }

  const url = await stack.startRedis();
  const redisKeys = () =>
    Number(execFileSync('redis-cli', ['-u', url, 'dbsize']).toString());
  // Each replica tries the store again 5 s after it last failed.
  await until('caching to resume', 20, async () => {
    await Promise.all([statuses(a), statuses(b)]);
    requests += 2;
    return redisKeys() > 0;
  });
  score(
    'Redis stopped → reads served uncached, writes work, logged once per replica; Redis started again → caching resumes',
    requests,
    problems,
    `${readMs.toFixed(
      0,
    )} ms per read while down; ${warned} warning lines; ${redisKeys()} keys cached after restart`,
  );
});

test('PostgreSQL restarted in the middle of a deploy → the deployment resumes and finishes, nothing lost', async () => {
  const [a, b] = stack.replicas;
  const problems = [];
  const [version] = [...(await statuses(a))].find(([, s]) => s === 'Approved');
  const started = await deploy(a, version, 'fraud-replicas-pg');
  assert.equal(started.status, 202, JSON.stringify(started.body));
  await until('the endpoint call', 30, async () => {
    const { body } = await api(a, `deployments/${started.body.id}`);
    return body.phase === 'waiting';
  });
  const restartedAt = Date.now();
  await stack.restartPostgres();
  const [deployment] = await settled(b, [started.body.id], 60);
  const finishedIn = Math.round((Date.now() - restartedAt) / 1000);
  problems.push(
    ...(await checkDeployments([deployment], await historyOf(b))),
    ...(await chainProblems(a)),
  );
  score(
    'PostgreSQL restarted (fast shutdown) while a deploy waits for its endpoint → it resumes and finishes, events once, chain intact',
    4,
    problems,
    `finished ${finishedIn} s after the restart`,
  );
});

test('the replica following a deployment killed (SIGKILL) → the other finishes it, once', async () => {
  const [a, b] = stack.replicas;
  const problems = [];
  const [version] = [...(await statuses(a))].find(([, s]) => s === 'Approved');
  const started = await deploy(a, version, 'fraud-replicas-kill');
  assert.equal(started.status, 202, JSON.stringify(started.body));
  await until('the endpoint call', 30, async () => {
    const { body } = await api(a, `deployments/${started.body.id}`);
    return body.phase === 'waiting' && body.endpointStatus === 'Creating';
  });
  await a.kill();
  const killedAt = Date.now();
  const [deployment] = await settled(b, [started.body.id], 60);
  const takenOverIn = Math.round((Date.now() - killedAt) / 1000);
  problems.push(
    ...(await checkDeployments([deployment], await historyOf(b))),
    ...(await chainProblems(b)),
  );
  score(
    'the replica following a deployment killed (SIGKILL) → the other takes it over and finishes it, once',
    3,
    problems,
    `finished ${takenOverIn} s after the kill (${LEASE_SECONDS} s lease, 1 s polls)`,
  );
});
