// What the reliability scenarios that drive real processes (crash.test.mjs,
// replicas.test.mjs) share: waiting for a condition, and their rows in the
// reliability table (scripts/reliability-table.js reads the JSON lines).
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../e2e/stack.mjs';

const SCOREBOARD =
  process.env.SAGEMAKER_RELIABILITY_LOG ??
  join(ROOT, '.data/test-results/reliability.jsonl');

/** Polls `check` every 250 ms until it returns a truthy value, or fails. */
export async function until(what, seconds, check) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`${what} did not happen within ${seconds}s`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

/**
 * Appends a scenario's row (area, scenario, requests, failures, note) to the
 * reliability table's log.
 */
export function appendScore(row) {
  mkdirSync(dirname(SCOREBOARD), { recursive: true });
  appendFileSync(SCOREBOARD, `${JSON.stringify(row)}\n`);
}
