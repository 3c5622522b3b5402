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

function calls({ total, byOperation }) {
  const parts = Object.entries(byOperation)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ${n}`);
  return parts.length ? `${total} (${parts.join(', ')})` : `${total}`;
}

function p50p95(summary) {
  return `${ms(summary.p50)} / ${ms(summary.p95)}`;
}

export function renderMarkdown(r) {
  const { calls: c, latency: l, load, frontend: f } = r;
  const s = l.summary;
  const n = s.pluginWarm.n;
  const rows = [
    [
      'SageMaker calls per request, cold cache',
      calls(c.pluginFirstRequest),
      `naive 1+N: ${calls(c.naive)}`,
      ratio(c.pluginFirstRequest.total, c.naive.total),
    ],
    [
      'SageMaker calls per request, warm cache',
      calls(c.pluginWarm),
      `naive 1+N: ${c.naive.total}`,
      ratio(c.pluginWarm.total, c.naive.total),
    ],
    [
      `Latency p50 / p95, cold (cache off, n=${n})`,
      p50p95(s.pluginCold),
      `direct List+BatchDescribe: ${p50p95(s.direct)}`,
      `${ratio(s.pluginCold.p50, s.direct.p50)} / ${ratio(s.pluginCold.p95, s.direct.p95)}`,
    ],
    [
      `Latency p50 / p95, warm (cache 60 s, n=${n})`,
      p50p95(s.pluginWarm),
      `direct List+BatchDescribe: ${p50p95(s.direct)}`,
      `${ratio(s.pluginWarm.p50, s.direct.p50)} / ${ratio(s.pluginWarm.p95, s.direct.p95)}`,
    ],
    [
      'Latency p50, naive 1+N (context)',
      '',
      `naive 1+N: ${ms(s.naive.p50)}`,
      `cold plugin ${ratio(s.pluginCold.p50, s.naive.p50)}`,
    ],
    [
      `Load, ${load.connections} connections, ${load.seconds} s, warm: req/s (mean)`,
      load.reqPerSecMean.toFixed(0),
      '',
      '',
    ],
    [
      'Load latency p50 / p95 / p99',
      `${ms(load.latency.p50)} / ${ms(load.latency.p95)} / ${ms(load.latency.p99)}`,
      '',
      '',
    ],
    [
      'Load non-2xx / errors / timeouts',
      `${load.non2xx} / ${load.errors} / ${load.timeouts} (of ${load.requests})`,
      '',
      '',
    ],
    [
      'SageMaker calls during load / during warm samples',
      `${calls({ total: Object.values(load.sageMakerCalls).reduce((a, b) => a + b, 0), byOperation: load.sageMakerCalls })} / ${l.callsDuringWarmSamples}`,
      '',
      '',
    ],
    [
      `Versions tab interactive, median / max (${f.samples.length} samples)`,
      `${ms(f.median)} / ${ms(f.max)}`,
      '',
      '',
    ],
    ...f.pluginChunks.map(chunk => [
      `Plugin chunk \`${chunk.name}\` (${chunk.pluginSources}/${chunk.sources} sources from the plugin)`,
      `${kib(chunk.gzip)} gzip (${kib(chunk.raw)} raw)`,
      '',
      '',
    ]),
    [
      `Plugin chunks total / app JS total (${f.appJs.files} files)`,
      `${kib(f.pluginChunks.reduce((a, x) => a + x.gzip, 0))} gzip`,
      `app: ${kib(f.appJs.gzip)} gzip (${kib(f.appJs.raw)} raw)`,
      '',
    ],
  ];
  const m = r.machine;
  const lines = [
    '# yarn bench',
    '',
    `Date: ${r.date} · machine: ${m.cores} cores (${m.model}), ${m.ramGiB} GiB RAM · Node ${m.node} · command: \`yarn bench\` · wall time ${Math.round(r.wallSeconds)} s`,
    '',
    '| figure | plugin | baseline, same run | plugin / baseline |',
    '| --- | --- | --- | --- |',
    ...rows.map(row => `| ${row.join(' | ')} |`),
    '',
  ];
  return lines.join('\n');
}
