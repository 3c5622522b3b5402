/**
 * @jest-environment node
 */
// Web Crypto: jsdom has no crypto.subtle, Node and browsers do.
import { GENESIS_HASH, sealHistoryRecord } from './historyChain';
import {
  csvCell,
  HISTORY_CSV_HEADER,
  historyCsvRow,
  parseHistoryCsv,
} from './historyCsv';
import { HistoryRecord } from './types';

describe('csv', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "yes"')).toBe('"say ""yes"""');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('cr\r\nlf')).toBe('"cr\r\nlf"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(
      `"'=HYPERLINK(""http://x"")"`,
    );
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-1)).toBe('-1');
  });

  it('writes a row per event under a header, in column order', () => {
    expect(HISTORY_CSV_HEADER.startsWith('seq,at,actor,action,outcome')).toBe(
      true,
    );
    const row = historyCsvRow({
      seq: 3,
      at: '2026-11-21T10:00:00.000Z',
      actor: 'user:default/ana',
      action: 'reject',
      outcome: 'succeeded',
      source: 'backstage',
      entityRef: 'component:default/fraud',
      comment: 'bad, "very" bad\nsee ticket',
      prevHash: 'p',
      hash: 'h',
    });
    expect(row).toBe(
      '3,2026-11-21T10:00:00.000Z,user:default/ana,reject,succeeded,backstage,component:default/fraud,,,,,,,,,"bad, ""very"" bad\nsee ticket",,,,,p,,,h\r\n',
    );
  });

  it('reads back exactly what it wrote, so a CSV export can be verified', async () => {
    const texts = ['=1+1', "'quoted", '-', '', 'a,"b"\r\nc', '+@x'];
    const records: HistoryRecord[] = [];
    for (const [i, comment] of texts.entries()) {
      records.push(
        await sealHistoryRecord(
          {
            seq: i + 1,
            at: '2026-11-21T10:00:00.000Z',
            actor: 'user:default/ana',
            action: 'deploy',
            outcome: 'failed',
            source: 'backstage',
            entityRef: 'component:default/fraud',
            version: i - 1,
            comment,
            dedupeKey: i % 2 ? `sync:${i}` : undefined,
            prevHash: records[i - 1]?.hash ?? GENESIS_HASH,
          },
          i < 2 ? [] : [{ id: 'k1', secret: 'x'.repeat(32) }],
        ),
      );
    }
    const csv = HISTORY_CSV_HEADER + records.map(historyCsvRow).join('');
    expect(parseHistoryCsv(csv)).toEqual(
      records.map(r => JSON.parse(JSON.stringify(r))),
    );
  });

  it('names the columns a CSV lacks', () => {
    expect(() => parseHistoryCsv('seq,at\r\n1,x\r\n')).toThrow(
      /the CSV has no actor, action/,
    );
  });
});
