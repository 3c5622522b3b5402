#!/usr/bin/env node
// Prints the reliability suite's summary table (Markdown) from the rows its
// scenarios append to a JSON-lines file, and writes it next to that file as
// reliability.md. Exits 1 when a scenario had failures, or when an area of
// the suite recorded no row at all (its tests did not run).
const fs = require('node:fs');
const path = require('node:path');

const AREAS = [
  'Authorization',
  'Bad input',
  'Faults',
  'Concurrency',
  'Confused deputy',
  'Readiness',
  'Replicas',
];
const file =
  process.argv[2] ??
  path.join(__dirname, '..', '.data/test-results/reliability.jsonl');

const rows = fs.existsSync(file)
  ? fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line))
  : [];
rows.sort((a, b) => AREAS.indexOf(a.area) - AREAS.indexOf(b.area));

const cell = value => String(value ?? '').replace(/\|/g, '\\|');
const lines = [
  '| Area | Scenario | Requests tried | Failures | Notes |',
  '| --- | --- | ---: | ---: | --- |',
  ...rows.map(
    row =>
      `| ${cell(row.area)} | ${cell(row.scenario)} | ${row.requests} | ${
        row.failures
      } | ${cell(row.note)} |`,
  ),
];
const requests = rows.reduce((sum, row) => sum + row.requests, 0);
const failures = rows.reduce((sum, row) => sum + row.failures, 0);
lines.push(
  `| **Total** | ${rows.length} scenarios | **${requests}** | **${failures}** | |`,
);
const table = lines.join('\n');
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(path.join(path.dirname(file), 'reliability.md'), `${table}\n`);

console.log('==> reliability suite summary');
console.log(table);
const missing = AREAS.filter(area => !rows.some(row => row.area === area));
if (missing.length) {
  console.error(`no reliability results for: ${missing.join(', ')}`);
}
process.exit(failures > 0 || missing.length > 0 ? 1 : 0);
