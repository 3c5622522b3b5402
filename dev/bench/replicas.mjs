// The bench's replica rows: the warm versions route under load on one and on
// two replicas of the real backend sharing PostgreSQL and Redis
// (dev/reliability/replicaStack.mjs), side by side in one run: throughput,
// p95 and backend CPU per request (process CPU time / requests).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { guestToken } from '../e2e/stack.mjs';
import { startReplicaStack } from '../reliability/replicaStack.mjs';
import { withGroupCpu } from './processCpu.mjs';
import { percentile } from './stats.mjs';

const autocannon = createRequire(import.meta.url)('autocannon');

function load(url, token, connections, seconds) {
  const latencies = [];
  return new Promise((done, fail) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        headers: { Authorization: `Bearer ${token}` },
      },
      (error, result) => (error ? fail(error) : done({ result, latencies })),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) =>
      latencies.push(responseTime),
    );
  });
}

/**
 * `connections` spread evenly over the first `count` replicas for `seconds`.
 */
async function measure(replicas, tokens, route, connections, seconds) {
  const { result: runs, cpuMs } = await withGroupCpu(
    replicas.map(r => r.child.pid),
    () =>
      Promise.all(
        replicas.map((r, i) =>
          load(
            `${r.url}${route}`,
            tokens[i],
            Math.round(connections / replicas.length),
            seconds,
          ),
        ),
      ),
  );
  const requests = runs.reduce((n, r) => n + r.result.requests.total, 0);
  const latencies = runs.flatMap(r => r.latencies);
  const failed = runs.reduce(
    (n, r) => n + r.result.non2xx + r.result.errors + r.result.timeouts,
    0,
  );
  return {
    replicas: replicas.length,
    requests,
    failed,
    reqPerSec: requests / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    cpuMsPerRequest: cpuMs / requests,
  };
}

/**
 * Starts the replica stack, measures 1 then 2 replicas, stops it; `defer`
 * registers its stop with the caller's teardown too (an interrupted run).
 */
export async function measureReplicas({
  logDir,
  route,
  connections,
  seconds,
  defer,
}) {
  mkdirSync(logDir, { recursive: true });
  const stack = await startReplicaStack({ logDir, replicas: 2 });
  defer?.('the replica stack', () => stack.stop());
  try {
    const tokens = await Promise.all(
      stack.replicas.map(r => guestToken(r.url)),
    );
    // Primes the shared cache and each replica's own lookups.
    for (const [i, r] of stack.replicas.entries()) {
      for (let n = 0; n < 20; n++) {
        const res = await fetch(`${r.url}${route}`, {
          headers: { Authorization: `Bearer ${tokens[i]}` },
        });
        if (!res.ok) throw new Error(`${route} answered ${res.status}`);
        await res.arrayBuffer();
      }
    }
    const one = await measure(
      stack.replicas.slice(0, 1),
      tokens,
      route,
      connections,
      seconds,
    );
    const two = await measure(
      stack.replicas,
      tokens,
      route,
      connections,
      seconds,
    );
    for (const replica of stack.replicas) {
      for (const file of replica.logFiles) {
        if (readFileSync(file, 'utf8').includes('Change detected')) {
          throw new Error(
            `a replica restarted during the run (a source file changed; it runs in watch mode), see ${file}; run again`,
          );
        }
      }
    }
    return { connections, seconds, one, two };
  } finally {
    await stack.stop();
  }
}
