#!/usr/bin/env node
// Re-verifies a history export offline (JSON, NDJSON or CSV from
// GET /api/sagemaker/history/export), with the same code the backend uses.
//
//   yarn sagemaker:verify-export FILE [--keys-file keys.json]
//                                     [--anchor SEQ:HASH]
//
// Signed events need the signing keys, as JSON [{"id": "...", "secret":
// "..."}] in SAGEMAKER_HISTORY_SIGNING_KEYS or in --keys-file: the same list
// as sagemaker.history.signingKeys. --anchor is an event's historySeq and
// historyHash from the auditor log; it shows whether events after it were
// removed or rewritten.
//
// Exit status: 0 intact, 1 broken (the event is named), 2 not verifiable
// (bad arguments or file, or a key that was not given).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
// Compiles the common package's TypeScript on the fly, as `yarn start` does.
require('@backstage/cli/config/nodeTransform.cjs');
const {
  parseHistoryExport,
  verifyHistoryExport,
} = require('@internal/backstage-plugin-sagemaker-common');

const USAGE =
  'usage: yarn sagemaker:verify-export FILE [--keys-file keys.json] [--anchor SEQ:HASH]\n';

function unverifiable(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      'keys-file': { type: 'string' },
      anchor: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  unverifiable(`${error.message}\n${USAGE}`);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (positionals.length !== 1) {
  unverifiable(`give one export file\n${USAGE}`);
}

function readKeys() {
  const source = values['keys-file']
    ? {
        text: () => readFileSync(values['keys-file'], 'utf8'),
        name: values['keys-file'],
      }
    : {
        text: () => process.env.SAGEMAKER_HISTORY_SIGNING_KEYS,
        name: 'SAGEMAKER_HISTORY_SIGNING_KEYS',
      };
  let text;
  try {
    text = source.text();
  } catch (error) {
    unverifiable(`cannot read ${source.name}: ${error.message}`);
  }
  if (!text) return [];
  let keys;
  try {
    keys = JSON.parse(text);
  } catch (error) {
    unverifiable(`${source.name} is not JSON: ${error.message}`);
  }
  if (
    !Array.isArray(keys) ||
    !keys.every(k => typeof k?.id === 'string' && typeof k?.secret === 'string')
  ) {
    unverifiable(`${source.name} must be a JSON array of { "id", "secret" }`);
  }
  return keys;
}

function readAnchor() {
  if (!values.anchor) return undefined;
  const match = /^(\d+):([0-9a-f]{64})$/.exec(values.anchor);
  if (!match) unverifiable('--anchor must be SEQ:HASH (a 64-digit hex hash)');
  return { seq: Number(match[1]), hash: match[2] };
}

const [file] = positionals;
const keys = readKeys();
const anchor = readAnchor();
let parsedExport;
try {
  parsedExport = parseHistoryExport(readFileSync(file, 'utf8'));
} catch (error) {
  unverifiable(`cannot read ${file} as a history export: ${error.message}`);
}
const { format, records } = parsedExport;
const result = await verifyHistoryExport(records, keys, anchor);

const lines = [
  `${file} (${format}): ${result.count} of ${records.length} events checked`,
];
if (result.head) {
  lines.push(
    `newest event checked: ${result.head.seq}, hash ${result.head.hash}`,
  );
}
if (result.unsignedCount) {
  lines.push(
    `${result.unsignedCount} events are unsigned (hash version 1: recorded without a signing key)`,
  );
}
if (result.gaps) {
  lines.push(
    `the export is not one unbroken run from event 1 (${result.gaps} gaps): each event's hash was checked, links only between consecutive events`,
  );
}
if (!result.intact) {
  const cannotCheck = ['unknown-key', 'unknown-version'].includes(
    result.breakKind,
  );
  lines.push(
    cannotCheck
      ? `NOT VERIFIED at event ${result.firstBrokenSeq}: ${result.reason}`
      : `BROKEN at event ${result.firstBrokenSeq}: ${result.reason}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(cannotCheck ? 2 : 1);
}
if (result.anchorMismatch) {
  lines.push(`BROKEN: ${result.anchorMismatch}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(1);
}
lines.push(
  anchor ? `INTACT, and event ${anchor.seq} matches the auditor log` : 'INTACT',
);
process.stdout.write(`${lines.join('\n')}\n`);
