/**
 * @jest-environment node
 */
// Web Crypto: jsdom has no crypto.subtle, Node and browsers do.
import { GENESIS_HASH, sealHistoryRecord } from './historyChain';
import { HISTORY_CSV_HEADER, historyCsvRow } from './historyCsv';
import { parseHistoryExport, verifyHistoryExport } from './historyExport';
import { HistoryRecord } from './types';

const KEYS = [{ id: 'k1', secret: 'k'.repeat(32) }];

async function records(count: number) {
  const out: HistoryRecord[] = [];
  for (let seq = 1; seq <= count; seq++) {
    out.push(
      await sealHistoryRecord(
        {
          seq,
          at: '2026-11-21T10:00:00.000Z',
          actor: 'user:default/ana',
          action: 'deploy',
          outcome: 'succeeded',
          source: 'backstage',
          entityRef: 'component:default/fraud',
          endpointName: `fraud-${seq}`,
          prevHash: out[seq - 2]?.hash ?? GENESIS_HASH,
        },
        KEYS,
      ),
    );
  }
  // Exports are newest first.
  return out.reverse();
}

describe('parseHistoryExport', () => {
  it('reads each format back into the same records', async () => {
    const exported = await records(3);
    const json = `[\n${exported.map(r => JSON.stringify(r)).join(',\n')}\n]`;
    const ndjson = exported.map(r => `${JSON.stringify(r)}\n`).join('');
    const csv = HISTORY_CSV_HEADER + exported.map(historyCsvRow).join('');
    for (const [format, text] of [
      ['json', json],
      ['ndjson', ndjson],
      ['csv', csv],
    ]) {
      expect(parseHistoryExport(text)).toEqual({ format, records: exported });
    }
  });

  it('names what is wrong with a file that is not an export', () => {
    expect(() => parseHistoryExport('')).toThrow('the file is empty');
    expect(() => parseHistoryExport('{"seq":1}\n')).toThrow(
      'line 1: a history record has no at',
    );
    expect(() => parseHistoryExport('[1]')).toThrow(
      'item 1 is not a history record',
    );
  });
});

describe('verifyHistoryExport', () => {
  it('verifies newest-first exports oldest first, and checks an anchor', async () => {
    const exported = await records(4);
    const head = { seq: 4, hash: exported[0].hash };
    await expect(
      verifyHistoryExport(exported, KEYS, head),
    ).resolves.toMatchObject({ intact: true, count: 4, gaps: 0 });
    await expect(
      verifyHistoryExport(exported.slice(1), KEYS, head),
    ).resolves.toMatchObject({
      intact: true,
      count: 3,
      anchorMismatch: expect.stringContaining('the export has no event 4'),
    });
    const rewritten = [{ ...exported[0], hash: 'f'.repeat(64) }];
    await expect(
      verifyHistoryExport(rewritten, KEYS, head),
    ).resolves.toMatchObject({
      intact: false,
      breakKind: 'changed',
      firstBrokenSeq: 4,
    });
  });
});
