import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  GENESIS_HASH,
  HistoryRecord,
  sealHistoryRecord,
} from '@internal/backstage-plugin-sagemaker-common';
import { Knex } from 'knex';
import { get } from 'node:http';
import { startHistoryBackend } from './__testUtils__/historyBackend';
import { DatabaseSageMakerStore } from './database/DatabaseSageMakerStore';
import { recordToRow } from './database/historyRows';
import { nodeHistoryDigest } from './database/nodeHistoryDigest';

const EVENTS = 100_000;
const EXPORT_PAGE = 1000;
const SIGNING_KEYS = [
  { id: 'test-1', secret: 'a-test-secret-of-32-characters!!' },
];
jest.setTimeout(240_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** Fills the history with a valid signed chain, in large batches. */
async function fill(knex: Knex) {
  let prevHash = GENESIS_HASH;
  for (let start = 1; start <= EVENTS; start += 5000) {
    const rows = [];
    for (let seq = start; seq < start + 5000 && seq <= EVENTS; seq++) {
      const record: HistoryRecord = await sealHistoryRecord(
        {
          seq,
          at: new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString(),
          actor: `user:default/user${seq % 50}`,
          action: seq % 3 === 0 ? 'deploy' : 'approve',
          outcome: 'succeeded',
          source: 'backstage',
          entityRef: `component:default/model-${seq % 40}`,
          version: seq,
          comment: `comment ${seq}, with "quotes" and a\nline break`,
          prevHash,
        },
        SIGNING_KEYS,
        nodeHistoryDigest,
      );
      rows.push(recordToRow(record));
      prevHash = record.hash;
    }
    for (let i = 0; i < rows.length; i += 500) {
      await knex('sagemaker_history_events').insert(rows.slice(i, i + 500));
    }
  }
}

type Download = {
  status?: number;
  contentType?: string;
  disposition?: string;
  bytes: number;
  records: number;
};

/**
 * Downloads the CSV export, counting bytes and records without keeping the
 * body; with `abortAfterBytes`, hangs up once that much has arrived.
 */
function download(port: number, abortAfterBytes?: number): Promise<Download> {
  return new Promise((resolve, reject) => {
    const req = get(
      `http://localhost:${port}/api/sagemaker/history/export?format=csv`,
      { headers: { Authorization: mockCredentials.user.header() } },
      res => {
        const result: Download = {
          status: res.statusCode,
          contentType: res.headers['content-type'],
          disposition: res.headers['content-disposition'],
          bytes: 0,
          records: 0,
        };
        let quotes = 0;
        let rowEnds = 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          result.bytes += chunk.length;
          // Record ends are line feeds outside quotes.
          for (const ch of chunk) {
            if (ch === '"') quotes++;
            else if (ch === '\n' && quotes % 2 === 0) rowEnds++;
          }
          if (
            abortAfterBytes !== undefined &&
            result.bytes >= abortAfterBytes
          ) {
            req.destroy();
            resolve({ ...result, records: rowEnds - 1 });
          }
        });
        res.on('end', () => resolve({ ...result, records: rowEnds - 1 }));
        res.on('error', reject);
      },
    );
    req.on('error', error =>
      abortAfterBytes === undefined ? reject(error) : undefined,
    );
  });
}

describe('the history export', () => {
  let knex: Knex;
  let port: number;
  let historyPageQueries = 0;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    await DatabaseSageMakerStore.create({
      database: { getClient: async () => knex },
    });
    await fill(knex);
    knex.on('query', (query: { sql: string }) => {
      if (
        /from `sagemaker_history_events`.*order by `seq` desc/i.test(query.sql)
      ) {
        historyPageQueries += 1;
      }
    });
    const server = await startHistoryBackend(knex, SIGNING_KEYS);
    port = server.port();
  });

  it(`streams ${EVENTS.toLocaleString(
    'en',
  )} events with flat memory`, async () => {
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = Date.now();
    const result = await download(port);
    clearInterval(sampler);
    const seconds = (Date.now() - started) / 1000;
    const peakDeltaMb = (peak - baseline) / 1024 / 1024;
    process.stdout.write(
      `[measure] CSV export of ${result.records} events: ${(
        result.bytes /
        1024 /
        1024
      ).toFixed(1)} MB in ${seconds.toFixed(1)} s; RSS baseline ${(
        baseline /
        1024 /
        1024
      ).toFixed(0)} MB, peak ${(peak / 1024 / 1024).toFixed(
        0,
      )} MB (+${peakDeltaMb.toFixed(0)} MB)\n`,
    );
    expect(result.status).toBe(200);
    expect(result.contentType).toBe('text/csv; charset=utf-8');
    expect(result.disposition).toMatch(
      /^attachment; filename="sagemaker-history-[\dTZ-]+\.csv"$/,
    );
    expect(result.records).toBe(EVENTS);
    // The body alone is far larger than this; a buffered export would exceed it.
    expect(result.bytes / 1024 / 1024).toBeGreaterThan(25);
    expect(peakDeltaMb).toBeLessThan(100);
  });

  it('stops reading the database when the client hangs up', async () => {
    historyPageQueries = 0;
    const partial = await download(port, 1024 * 1024);
    expect(partial.status).toBe(200);
    // Give a server that kept going the time to read many more pages.
    await new Promise(r => setTimeout(r, 2000));
    const pagesRead = historyPageQueries;
    expect(pagesRead).toBeGreaterThan(0);
    expect(pagesRead).toBeLessThan(EVENTS / EXPORT_PAGE / 2);

    // The backend is still serving exports after the aborted one.
    const again = await download(port, 1024);
    expect(again.status).toBe(200);
  });
});
