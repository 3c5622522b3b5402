// `yarn bench`: the versions route of the SageMaker plugin, measured side by
// side in one run against the local emulator (200-version group
// fraud-detection, first page of 50). Every SageMaker call goes through a
// counting proxy (proxy.mjs); one proxy per caller, so nobody's calls are
// counted for another.
//   1. SageMaker calls per request: the plugin cold and warm, a burst of 50
//      concurrent requests on an empty cache, the naive 1+N;
//   2. latency: the plugin cold (a second backend with the cache off) and warm
//      (cache 60 s, primed), against direct SDK calls from this process
//      (direct.mjs), interleaved round by round;
//   3. load: autocannon, 50 connections, on the warm route, with the
//      backend's CPU per request (process CPU time / requests, from /proc);
//      then the same load on one and on two replicas sharing PostgreSQL and
//      Redis (replicas.mjs);
//   4. endpoints panel with 500 endpoints in staging (endpoints.mjs): calls
//      and latency, cold and warm, against ListEndpoints + Describe-each;
//   5. frontend: versions tab interactive in Chromium, plugin chunk sizes
//      (frontend.mjs).
// Writes .data/bench/bench.md and bench.json, logs to .data/bench/logs/.
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { constants, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  freePort,
  guestToken,
  ROOT,
  startBackend,
  startEmulator,
} from '../e2e/stack.mjs';
import {
  directClient,
  directPage,
  directPageWithSearch,
  naivePage,
} from './direct.mjs';
import { launchBrowser } from '../e2e/browser.mjs';
import { chunkSizes, ensureAppBuild, measureVersionsTab } from './frontend.mjs';
import { directPreflight, preflightClients } from './directPreflight.mjs';
import {
  ENDPOINTS,
  scanEndpoints,
  seedEndpoints,
  stagingClient,
} from './endpoints.mjs';
import { s3Operation, startCountingProxy, totalCalls } from './proxy.mjs';
import { withGroupCpu } from './processCpu.mjs';
import { machine, renderMarkdown } from './report.mjs';
import { measureReplicas } from './replicas.mjs';
import { percentile, summarize, timed } from './stats.mjs';

const autocannon = createRequire(import.meta.url)('autocannon');

const OUT = join(ROOT, '.data/bench');
const LOGS = join(OUT, 'logs');
const ACCOUNT = '111111111111';
const GROUP = 'fraud-detection';
const LIMIT = 50;
const ROUTE = `/api/sagemaker/entities/component/default/${GROUP}/versions?limit=${LIMIT}`;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const WARMUP = 2;
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const LOAD_CONNECTIONS = 50;
const BURST = 50;
const UI_SAMPLES = 5;
const ENDPOINTS_ROUTE = `/api/sagemaker/entities/component/default/${GROUP}/endpoints`;
// The direct scan of 500 endpoints takes seconds: fewer rounds.
const ENDPOINT_SAMPLES = Number(process.env.BENCH_ENDPOINT_SAMPLES ?? 5);
const PREFLIGHT_ROUTE =
  '/api/sagemaker/entities/component/default/demand-forecast/readiness?target=production';

const cleanups = [];
let tearingDown;
function teardown() {
  tearingDown ??= (async () => {
    while (cleanups.length > 0) {
      const { what, fn } = cleanups.pop();
      try {
        await fn();
      } catch (error) {
        console.error(`bench: stopping ${what} failed: ${error.message}`);
      }
    }
  })();
  return tearingDown;
}
const defer = (what, fn) => cleanups.push({ what, fn });
for (const name of ['SIGINT', 'SIGTERM']) {
  process.once(name, async () => {
    console.error(`\nbench: ${name}, tearing down`);
    await teardown();
    process.exit(128 + constants.signals[name]);
  });
}

async function step(name, fn) {
  const started = Date.now();
  console.log(`bench: ${name}…`);
  try {
    const result = await fn();
    console.log(
      `bench: ${name} done (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    return result;
  } catch (error) {
    throw new Error(`step "${name}" failed: ${error.message}`, {
      cause: error,
    });
  }
}

/** The versions route; checks the page and returns its ARNs. */
async function versionsPage(base, token) {
  return (await versionsOf(base, token)).map(v => v.arn);
}

/** The versions route; checks the page and returns its versions. */
async function versionsOf(base, token) {
  const res = await fetch(`${base}${ROUTE}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const body = await res.text();
  if (!res.ok) {
    throw new Error(`${ROUTE} answered ${res.status}: ${body.slice(0, 300)}`);
  }
  const versions = JSON.parse(body).groups?.[0]?.versions ?? [];
  if (versions.length !== LIMIT) {
    throw new Error(
      `${ROUTE} returned ${versions.length} versions, not ${LIMIT}`,
    );
  }
  return versions;
}

/**
 * Waits for a freshly started backend's first background sync (15 s after
 * start; it lists every group) to pass: the proxy has seen calls, then none
 * for 2 s; gives up waiting after `timeoutMs`. Returns the calls seen.
 */
async function settle(proxy, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (totalCalls(proxy.counts()) > 0 && proxy.idleMs() > 2000) break;
    await new Promise(r => setTimeout(r, 250));
  }
  const seen = proxy.counts();
  proxy.reset();
  return seen;
}

/** One request, and the SageMaker and S3 calls the proxies saw for it. */
async function sageMakerAndS3CallsFor(proxy, s3Proxy, fn) {
  proxy.reset();
  s3Proxy.reset();
  await fn();
  const result = {
    sageMaker: totalCalls(proxy.counts()),
    s3: totalCalls(s3Proxy.counts()),
    byOperation: { ...proxy.counts(), ...s3Proxy.counts() },
  };
  proxy.reset();
  s3Proxy.reset();
  return result;
}

/** One request, and the SageMaker calls the proxy saw for it. */
async function callsFor(proxy, fn) {
  proxy.reset();
  await fn();
  const counts = proxy.counts();
  proxy.reset();
  return { total: totalCalls(counts), byOperation: counts };
}

function loadTest(url, token) {
  const latencies = [];
  return new Promise((done, fail) => {
    const instance = autocannon(
      {
        url,
        connections: LOAD_CONNECTIONS,
        duration: LOAD_SECONDS,
        headers: { Authorization: `Bearer ${token}` },
      },
      (error, result) => (error ? fail(error) : done({ result, latencies })),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) =>
      latencies.push(responseTime),
    );
  });
}

async function main() {
  const started = Date.now();
  rmSync(LOGS, { recursive: true, force: true });
  mkdirSync(LOGS, { recursive: true });
  const result = {
    date: new Date().toISOString(),
    machine: machine(),
    loadAverageAtStart: loadavg(),
  };

  await step('emulator setup (dev/sagemaker-local/setup.sh)', () =>
    execFileSync('bash', [join(ROOT, 'dev/sagemaker-local/setup.sh')], {
      stdio: ['ignore', 'inherit', 'inherit'],
    }),
  );
  result.appBuild = await step('app build (packages/app/dist)', () =>
    ensureAppBuild({
      logDir: LOGS,
      rebuild: process.env.BENCH_REBUILD === '1',
    }),
  );

  const emulator = await step('start the emulator', () =>
    startEmulator({ logDir: LOGS }),
  );
  defer('the emulator', emulator.stop);
  const proxies = {};
  for (const name of ['cold', 'warm', 'direct']) {
    proxies[name] = await startCountingProxy(emulator.endpoint);
    defer(`the ${name} proxy`, proxies[name].stop);
  }
  // The metrics reports the cards read from S3, counted per backend.
  const s3Proxies = {};
  for (const name of ['cold', 'warm']) {
    s3Proxies[name] = await startCountingProxy(emulator.endpoint, s3Operation);
    defer(`the ${name} S3 proxy`, s3Proxies[name].stop);
  }

  const startOne = async (name, env) => {
    const port = await freePort();
    const sqliteDir = mkdtempSync(join(tmpdir(), `sagemaker-bench-${name}-`));
    defer(`${name} SQLite dir`, () =>
      rmSync(sqliteDir, { recursive: true, force: true }),
    );
    const backend = await step(`start the ${name} backend`, () =>
      startBackend({
        logDir: LOGS,
        endpoint: emulator.endpoint,
        port,
        sqliteDir,
        logName: `backend-${name}`,
        env: {
          AWS_ENDPOINT_URL_SAGEMAKER: proxies[name].url,
          AWS_ENDPOINT_URL_S3: s3Proxies[name].url,
          APP_CONFIG_app_baseUrl: `http://localhost:${port}`,
          ...env,
        },
      }),
    );
    defer(`the ${name} backend`, backend.stop);
    return { ...backend, api: `http://127.0.0.1:${port}` };
  };
  const cold = await startOne('cold', {
    APP_CONFIG_sagemaker_cache_ttl: '{"seconds":0}',
    APP_CONFIG_sagemaker_reports_cacheTtl: '{"seconds":0}',
  });
  const warm = await startOne('warm', {});
  if (cold.url === warm.url) throw new Error('both backends got one port');

  result.backgroundCalls = await step(
    "wait for the backends' first sync",
    async () => ({
      cold: await settle(proxies.cold, 45_000),
      warm: await settle(proxies.warm, 45_000),
    }),
  );
  const coldToken = await guestToken(cold.api);
  const warmToken = await guestToken(warm.api);
  const sdk = await directClient({
    stsEndpoint: emulator.endpoint,
    sageMakerEndpoint: proxies.direct.url,
    accountId: ACCOUNT,
  });
  const plugin = {
    cold: () => versionsPage(cold.api, coldToken),
    warm: () => versionsPage(warm.api, warmToken),
    warmVersions: () => versionsOf(warm.api, warmToken),
  };
  const direct = () => directPage(sdk, GROUP, LIMIT);
  const directWithSearch = () => directPageWithSearch(sdk, GROUP, LIMIT);
  const naive = () => naivePage(sdk, GROUP, LIMIT);

  result.calls = await step('count SageMaker calls per request', async () => {
    const calls = {
      // 50 users opening the page at once on the warm backend while its cache
      // is still empty, as after a TTL expiry or a write: one load is shared.
      burstSize: BURST,
      pluginBurst: await callsFor(proxies.warm, () =>
        Promise.all(Array.from({ length: BURST }, plugin.warm)),
      ),
      pluginWarm: await callsFor(proxies.warm, plugin.warm),
      // A miss: every request of the cache-off backend is one.
      pluginCacheOff: await callsFor(proxies.cold, plugin.cold),
      direct: await callsFor(proxies.direct, direct),
      directWithSearch: await callsFor(proxies.direct, directWithSearch),
      naive: await callsFor(proxies.direct, naive),
    };
    const [fromPlugin, fromSdk] = [await plugin.warm(), await direct()];
    if (fromPlugin.join() !== fromSdk.join()) {
      throw new Error(
        'the plugin and the direct SDK calls listed different versions',
      );
    }
    return calls;
  });

  result.reportCalls = await step(
    'count SageMaker and S3 calls of the page of 50 S3-reported cards',
    async () => {
      await plugin.warm();
      return {
        // Reports are cached apart from the page: off on the cold backend.
        cold: await sageMakerAndS3CallsFor(
          proxies.cold,
          s3Proxies.cold,
          plugin.cold,
        ),
        warm: await sageMakerAndS3CallsFor(
          proxies.warm,
          s3Proxies.warm,
          plugin.warm,
        ),
        withReports: (await plugin.warmVersions()).filter(
          v => v.report?.state === 'ok',
        ).length,
      };
    },
  );

  result.latency = await step(
    `latency, ${SAMPLES} interleaved rounds`,
    async () => {
      const variants = {
        pluginCold: plugin.cold,
        pluginWarm: plugin.warm,
        direct,
        directWithSearch,
        naive,
      };
      const samples = Object.fromEntries(
        Object.keys(variants).map(k => [k, []]),
      );
      await plugin.warm();
      proxies.warm.reset();
      for (let round = 0; round < WARMUP + SAMPLES; round += 1) {
        for (const [name, fn] of Object.entries(variants)) {
          const ms = await timed(fn);
          if (round >= WARMUP) samples[name].push(ms);
        }
      }
      const warmCalls = totalCalls(proxies.warm.counts());
      return {
        warmup: WARMUP,
        samples,
        summary: Object.fromEntries(
          Object.entries(samples).map(([k, v]) => [k, summarize(v)]),
        ),
        callsDuringWarmSamples: warmCalls,
      };
    },
  );

  result.preflight = await step(
    `preflight, ${SAMPLES} interleaved rounds`,
    async () => {
      const clients = await preflightClients(
        emulator.endpoint,
        proxies.direct.url,
      );
      const readiness = async (api, token) => {
        const res = await fetch(`${api}${PREFLIGHT_ROUTE}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        if (!res.ok) throw new Error(`preflight answered ${res.status}`);
        return res.json();
      };
      const variants = {
        pluginCold: () => readiness(cold.api, coldToken),
        pluginWarm: () => readiness(warm.api, warmToken),
        direct: () => directPreflight(clients),
      };
      const coldReport = await variants.pluginCold();
      await variants.pluginWarm();
      const warmReport = await variants.pluginWarm();
      const directCalls = await variants.direct();
      const samples = Object.fromEntries(
        Object.keys(variants).map(k => [k, []]),
      );
      for (let round = 0; round < WARMUP + SAMPLES; round += 1) {
        for (const [name, fn] of Object.entries(variants)) {
          const ms = await timed(fn);
          if (round >= WARMUP) samples[name].push(ms);
        }
      }
      return {
        calls: {
          cold: coldReport.awsCalls,
          warm: warmReport.awsCalls,
          direct: directCalls,
        },
        missing: coldReport.pairs.flatMap(p =>
          p.checks.filter(c => c.status === 'missing').map(c => c.kind),
        ),
        samples,
        summary: Object.fromEntries(
          Object.entries(samples).map(([k, v]) => [k, summarize(v)]),
        ),
      };
    },
  );

  result.endpoints = await step(
    `endpoints panel with ${ENDPOINTS} endpoints in staging`,
    async () => {
      const { fraudEndpoints } = await seedEndpoints(emulator.endpoint);
      const client = await stagingClient(emulator.endpoint, proxies.direct.url);
      const panel = async (api, token) => {
        const res = await fetch(`${api}${ENDPOINTS_ROUTE}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        if (!res.ok) throw new Error(`endpoints answered ${res.status}`);
        const body = await res.json();
        return body.endpoints.map(e => e.endpointName).sort();
      };
      const variants = {
        pluginCold: () => panel(cold.api, coldToken),
        pluginWarm: () => panel(warm.api, warmToken),
        direct: () => scanEndpoints(client, GROUP),
      };
      const found = {
        pluginCold: await variants.pluginCold(),
        pluginWarm: await variants.pluginWarm(),
        direct: await variants.direct(),
      };
      for (const [name, names] of Object.entries(found)) {
        if (names.join() !== fraudEndpoints.join()) {
          throw new Error(`${name} found ${names.join()}`);
        }
      }
      const calls = {
        pluginCold: await callsFor(proxies.cold, variants.pluginCold),
        pluginWarm: await callsFor(proxies.warm, variants.pluginWarm),
        direct: await callsFor(proxies.direct, variants.direct),
      };
      const samples = Object.fromEntries(
        Object.keys(variants).map(k => [k, []]),
      );
      for (let round = 0; round < ENDPOINT_SAMPLES; round += 1) {
        for (const [name, fn] of Object.entries(variants)) {
          samples[name].push(await timed(fn));
        }
      }
      return {
        endpoints: ENDPOINTS,
        calls,
        samples,
        summary: Object.fromEntries(
          Object.entries(samples).map(([k, v]) => [k, summarize(v)]),
        ),
      };
    },
  );

  result.load = await step(
    `load, ${LOAD_CONNECTIONS} connections for ${LOAD_SECONDS} s`,
    async () => {
      await plugin.warm();
      proxies.warm.reset();
      const {
        result: { result: run, latencies },
        cpuMs,
      } = await withGroupCpu([warm.child.pid], () =>
        loadTest(`${warm.api}${ROUTE}`, warmToken),
      );
      return {
        cpuMsPerRequest: cpuMs / run.requests.total,
        connections: LOAD_CONNECTIONS,
        seconds: LOAD_SECONDS,
        requests: run.requests.total,
        reqPerSecMean: run.requests.average,
        latency: {
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          max: Math.max(...latencies),
          responses: latencies.length,
        },
        status2xx: run['2xx'],
        non2xx: run.non2xx,
        errors: run.errors,
        timeouts: run.timeouts,
        sageMakerCalls: proxies.warm.counts(),
        autocannon: {
          latency: run.latency,
          requests: run.requests,
          throughput: run.throughput,
        },
      };
    },
  );

  result.replicas = await step(
    `replicas on PostgreSQL + Redis, 1 then 2, ${LOAD_CONNECTIONS} connections for ${LOAD_SECONDS} s each`,
    () =>
      measureReplicas({
        logDir: join(LOGS, 'replicas'),
        route: ROUTE,
        connections: LOAD_CONNECTIONS,
        seconds: LOAD_SECONDS,
        defer,
      }),
  );

  result.frontend = await step(
    `frontend, versions tab interactive x${UI_SAMPLES}`,
    async () => {
      const browser = await launchBrowser();
      defer('Chromium', () => browser.close());
      const samples = await measureVersionsTab({
        browser,
        appUrl: warm.url,
        samples: UI_SAMPLES,
      });
      return {
        samples,
        median: percentile(samples, 50),
        max: Math.max(...samples),
        ...chunkSizes(),
      };
    },
  );

  await step('check that no backend restarted', () => {
    for (const name of ['cold', 'warm']) {
      const log = readFileSync(join(LOGS, `backend-${name}.log`), 'utf8');
      if (log.includes('Change detected')) {
        throw new Error(
          `the ${name} backend restarted during the run (a source file changed; it runs in watch mode), so its figures are not comparable; run again`,
        );
      }
    }
  });

  result.loadAverageAtEnd = loadavg();
  result.wallSeconds = (Date.now() - started) / 1000;
  const markdown = renderMarkdown(result);
  writeFileSync(
    join(OUT, 'bench.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  writeFileSync(join(OUT, 'bench.md'), markdown);
  console.log(`\n${markdown}`);
  console.log(`bench: wrote ${relative(ROOT, OUT)}/bench.md and bench.json`);
}

try {
  await main();
} catch (error) {
  console.error(`\nbench: ${error.message}`);
  console.error(`bench: logs are in ${relative(ROOT, LOGS)}/`);
  process.exitCode = 1;
} finally {
  await teardown();
}
