import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where every reliability scenario appends its row (JSON lines), for the
 * summary table that `scripts/reliability-table.js` prints at the end of a
 * run. The end-to-end crash test writes to the same file.
 */
export const SCOREBOARD =
  process.env.SAGEMAKER_RELIABILITY_LOG ??
  resolvePackagePath(
    '@internal/backstage-plugin-sagemaker-backend',
    '../../.data/test-results/reliability.jsonl',
  );

export type ReliabilityArea =
  | 'Authorization'
  | 'Bad input'
  | 'Faults'
  | 'Concurrency'
  | 'Confused deputy'
  | 'Readiness';

/**
 * Records one scenario (how many requests it tried, and a description of
 * each one that did not behave), then fails the test, listing them, if any
 * did not. Tests that end with it assert through it.
 */
export function scoreScenario(row: {
  area: ReliabilityArea;
  scenario: string;
  requests: number;
  problems: string[];
  note?: string;
}): void {
  mkdirSync(dirname(SCOREBOARD), { recursive: true });
  appendFileSync(
    SCOREBOARD,
    `${JSON.stringify({
      area: row.area,
      scenario: row.scenario,
      requests: row.requests,
      failures: row.problems.length,
      note: row.note,
    })}\n`,
  );
  if (row.problems.length > 0) {
    throw new Error(
      `${row.area} / ${row.scenario}: ${
        row.problems.length
      } failures\n  - ${row.problems.join('\n  - ')}`,
    );
  }
}
