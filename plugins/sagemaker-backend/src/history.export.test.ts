import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { get } from 'node:http';
import { sagemakerPlugin } from './plugin';
import { DatabaseSageMakerStore } from './database/DatabaseSageMakerStore';
import { GENESIS_HASH, hashEvent } from './database/historyHash';

const EVENTS = 100_000;
jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** Fills the history with a valid chain, in large batches. */
async function fill(knex: any) {
  let prevHash = GENESIS_HASH;
  for (let start = 1; start <= EVENTS; start += 5000) {
    const rows = [];
    for (let seq = start; seq < start + 5000 && seq <= EVENTS; seq++) {
      const event = {
        seq,
        at: new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString(),
        actor: `user:default/user${seq % 50}`,
        action: seq % 3 === 0 ? ('deploy' as const) : ('approve' as const),
        outcome: 'succeeded' as const,
        source: 'backstage' as const,
        entityRef: `component:default/model-${seq % 40}`,
        version: seq,
        comment: `comment ${seq}, with "quotes" and a\nline break`,
        prevHash,
      };
      const hash = hashEvent(event);
      rows.push({
        seq,
        at: event.at,
        actor: event.actor,
        action: event.action,
        outcome: event.outcome,
        source: event.source,
        entity_ref: event.entityRef,
        version: seq,
        comment: event.comment,
        prev_hash: prevHash,
        hash,
      });
      prevHash = hash;
    }
    for (let i = 0; i < rows.length; i += 500) {
      await knex('sagemaker_history_events').insert(rows.slice(i, i + 500));
    }
  }
}

describe('the history export', () => {
  it(`streams ${EVENTS.toLocaleString(
    'en',
  )} events with flat memory`, async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseSageMakerStore.create({
      database: { getClient: async () => knex },
    });
    await fill(knex);
    const { server } = await startTestBackend({
      features: [
        sagemakerPlugin,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = Date.now();
    const { bytes, records } = await new Promise<{
      bytes: number;
      records: number;
    }>((resolve, reject) => {
      get(
        `http://localhost:${server.port()}/api/sagemaker/history/export?format=csv`,
        { headers: { Authorization: mockCredentials.user.header() } },
        res => {
          expect(res.statusCode).toBe(200);
          let total = 0;
          let quotes = 0;
          let rowEnds = 0;
          let carry = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            total += chunk.length;
            // Count record ends (CRLF outside quotes) without keeping the body.
            for (const ch of carry + chunk) {
              if (ch === '"') quotes++;
              else if (ch === '\n' && quotes % 2 === 0) rowEnds++;
            }
            carry = '';
          });
          res.on('end', () => resolve({ bytes: total, records: rowEnds - 1 }));
          res.on('error', reject);
        },
      ).on('error', reject);
    });
    clearInterval(sampler);
    const seconds = (Date.now() - started) / 1000;
    const peakDeltaMb = (peak - baseline) / 1024 / 1024;
    process.stdout.write(
      `[measure] CSV export of ${records} events: ${(
        bytes /
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
    expect(records).toBe(EVENTS);
    // The body alone is far larger than this; a buffered export would exceed it.
    expect(bytes / 1024 / 1024).toBeGreaterThan(25);
    expect(peakDeltaMb).toBeLessThan(100);
  });
});
