// Renders the bench result (run.mjs) as the Markdown table of bench.md:
// a header with the date, machine, Node version and command, then one row
// per figure with its same-run baseline and the plugin/baseline ratio.
import { cpus, totalmem } from 'node:os';

export function machine() {
  return {
    cores: cpus().length,
    model: cpus()[0]?.model?.trim() ?? 'unknown',
    ramGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
  };
}

const ms = value => `${value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`;
const kib = bytes => `${(bytes / 1024).toFixed(1)} KiB`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const sum = values => values.reduce((a, b) => a + b, 0);

function calls({ total, byOperation }) {
  const parts = Object.entries(byOperation)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ${n}`);
  return parts.length ? `${total} (${parts.join(', ')})` : `${total}`;
}

function p50p95(summary) {
  return `${ms(summary.p50)} / ${ms(summary.p95)}`;
}

/** One vs two replicas on PostgreSQL + Redis, the same load on each. */
function replicaRows({ connections, seconds, one, two }) {
  const figures = run =>
    `${run.reqPerSec.toFixed(0)} req/s, p95 ${ms(
      run.p95,
    )}, ${run.cpuMsPerRequest.toFixed(2)} ms CPU/request, ${
      run.failed
    } failed of ${run.requests}`;
  return [
    [
      `2 replicas, PostgreSQL + Redis, ${connections} connections split, ${seconds} s`,
      figures(two),
      `1 replica, same stack: ${figures(one)}`,
      `${ratio(two.reqPerSec, one.reqPerSec)} req/s, ${ratio(
        two.p95,
        one.p95,
      )} p95`,
    ],
  ];
}

export function renderMarkdown(r) {
  const { calls: c, latency: l, load, frontend: f } = r;
  const s = l.summary;
  const n = s.pluginWarm.n;
  const vsDirect = (plugin, direct) =>
    `${ratio(plugin.p50, direct.p50)} / ${ratio(plugin.p95, direct.p95)}`;
  const lazyChunks = f.pluginChunks.filter(chunk => !chunk.entry);
  const rc = r.reportCalls;
  const rows = [
    [
      `Versions page of 50 cards, metrics from S3 reports (${rc.withReports} of 50 read): SageMaker + S3 calls, cold (page and report caches off)`,
      `${rc.cold.sageMaker} + ${rc.cold.s3} (${calls({
        total: rc.cold.sageMaker + rc.cold.s3,
        byOperation: rc.cold.byOperation,
      })})`,
      `the metadata-only page: ${calls(c.directWithSearch)} + 0`,
      ratio(rc.cold.sageMaker + rc.cold.s3, c.directWithSearch.total),
    ],
    [
      'Versions page of 50 S3-reported cards: SageMaker + S3 calls, warm',
      `${rc.warm.sageMaker} + ${rc.warm.s3}`,
      '',
      '',
    ],
    [
      'SageMaker calls per request, cold cache',
      calls(c.pluginCacheOff),
      `naive 1+N: ${calls(c.naive)}`,
      ratio(c.pluginCacheOff.total, c.naive.total),
    ],
    [
      `SageMaker calls for ${c.burstSize} concurrent requests, empty cache`,
      calls(c.pluginBurst),
      `naive 1+N: ${c.burstSize * c.naive.total}`,
      ratio(c.pluginBurst.total, c.burstSize * c.naive.total),
    ],
    [
      'SageMaker calls per request, warm cache',
      calls(c.pluginWarm),
      `naive 1+N: ${c.naive.total}`,
      ratio(c.pluginWarm.total, c.naive.total),
    ],
    [
      `Latency p50 / p95, cold (cache off), n=${n}`,
      p50p95(s.pluginCold),
      `direct List+BatchDescribe: ${p50p95(s.direct)}`,
      vsDirect(s.pluginCold, s.direct),
    ],
    [
      '',
      '',
      `direct List+BatchDescribe+Search: ${p50p95(s.directWithSearch)}`,
      vsDirect(s.pluginCold, s.directWithSearch),
    ],
    ['', '', `naive 1+N: ${p50p95(s.naive)}`, vsDirect(s.pluginCold, s.naive)],
    [
      `Latency p50 / p95, warm (cache 60 s), n=${n}`,
      p50p95(s.pluginWarm),
      `direct List+BatchDescribe: ${p50p95(s.direct)}`,
      vsDirect(s.pluginWarm, s.direct),
    ],
    [
      'Preflight (demand-forecast × production): AWS calls, cold / warm',
      `${r.preflight.calls.cold.total} / ${r.preflight.calls.warm.total}`,
      `direct, the same reads: ${r.preflight.calls.direct}`,
      ratio(r.preflight.calls.cold.total, r.preflight.calls.direct),
    ],
    [
      `Preflight latency p50 / p95, cold (cache off), n=${r.preflight.summary.pluginCold.n}`,
      p50p95(r.preflight.summary.pluginCold),
      `direct, the same reads in sequence: ${p50p95(
        r.preflight.summary.direct,
      )}`,
      vsDirect(r.preflight.summary.pluginCold, r.preflight.summary.direct),
    ],
    [
      `Preflight latency p50 / p95, warm (cache 60 s)`,
      p50p95(r.preflight.summary.pluginWarm),
      `direct, the same reads in sequence: ${p50p95(
        r.preflight.summary.direct,
      )}`,
      vsDirect(r.preflight.summary.pluginWarm, r.preflight.summary.direct),
    ],
    [
      `Endpoints panel (fraud-detection, ${r.endpoints.endpoints} endpoints in staging): SageMaker calls, cold / warm`,
      `${r.endpoints.calls.pluginCold.total} / ${r.endpoints.calls.pluginWarm.total}`,
      `direct ListEndpoints + Describe-each: ${r.endpoints.calls.direct.total}`,
      ratio(r.endpoints.calls.pluginCold.total, r.endpoints.calls.direct.total),
    ],
    [
      `Endpoints panel latency p50 / p95, cold (cache off), n=${r.endpoints.summary.pluginCold.n}`,
      p50p95(r.endpoints.summary.pluginCold),
      `direct ListEndpoints + Describe-each: ${p50p95(
        r.endpoints.summary.direct,
      )}`,
      vsDirect(r.endpoints.summary.pluginCold, r.endpoints.summary.direct),
    ],
    [
      `Endpoints panel latency p50 / p95, warm (cache 60 s)`,
      p50p95(r.endpoints.summary.pluginWarm),
      `direct ListEndpoints + Describe-each: ${p50p95(
        r.endpoints.summary.direct,
      )}`,
      vsDirect(r.endpoints.summary.pluginWarm, r.endpoints.summary.direct),
    ],
    [
      `Load: ${load.connections} connections, ${load.seconds} s, warm, req/s (mean)`,
      load.reqPerSecMean.toFixed(0),
      '',
      '',
    ],
    [
      'Load latency p50 / p95 / p99',
      `${ms(load.latency.p50)} / ${ms(load.latency.p95)} / ${ms(
        load.latency.p99,
      )}`,
      '',
      '',
    ],
    [
      'Load: backend CPU per request (process CPU time / requests)',
      `${load.cpuMsPerRequest.toFixed(2)} ms`,
      '',
      '',
    ],
    ...replicaRows(r.replicas),
    [
      'Load: non-2xx / errors / timeouts',
      `${load.non2xx} / ${load.errors} / ${load.timeouts} of ${load.requests} requests`,
      '',
      '',
    ],
    [
      'SageMaker calls during the warm samples / the load',
      `${l.callsDuringWarmSamples} / ${sum(
        Object.values(load.sageMakerCalls),
      )}`,
      '',
      '',
    ],
    [
      `Versions tab interactive, median / max of ${f.samples.length}`,
      `${ms(f.median)} / ${ms(f.max)}`,
      '',
      '',
    ],
    ...f.pluginChunks.map(chunk => [
      `JS chunk \`${chunk.name}\`${
        chunk.entry ? ' (entry, shared with the app)' : ''
      }: ${chunk.pluginSources} of ${chunk.sources} sources from the plugin`,
      `${kib(chunk.gzip)} gzip, ${kib(chunk.raw)} raw`,
      '',
      '',
    ]),
    [
      'Plugin lazy chunks, total',
      `${kib(sum(lazyChunks.map(x => x.gzip)))} gzip`,
      `all app JS (${f.appJs.files} files): ${kib(f.appJs.gzip)} gzip`,
      ratio(sum(lazyChunks.map(x => x.gzip)), f.appJs.gzip),
    ],
  ];
  const m = r.machine;
  const [loadStart, loadEnd] = [r.loadAverageAtStart, r.loadAverageAtEnd].map(
    avg => avg[0].toFixed(2),
  );
  const header = [
    `Date: ${r.date}`,
    `machine: ${m.cores} cores (${m.model}), ${m.ramGiB} GiB RAM`,
    `1-min load average ${loadStart} at start, ${loadEnd} at end`,
    `Node ${m.node}`,
    'command: `yarn bench`',
    `wall time ${Math.round(r.wallSeconds)} s`,
  ];
  const lines = [
    '# SageMaker plugin bench',
    '',
    header.join(' · '),
    '',
    '| figure | plugin | baseline, same run | plugin / baseline |',
    '| --- | --- | --- | --- |',
    ...rows.map(row => `| ${row.join(' | ')} |`),
    '',
  ];
  return lines.join('\n');
}
