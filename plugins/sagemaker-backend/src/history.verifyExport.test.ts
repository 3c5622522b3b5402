import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { computeHistoryHash } from '@internal/backstage-plugin-sagemaker-common';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startHistoryBackend } from './__testUtils__/historyBackend';
import { DatabaseSageMakerStore } from './database/DatabaseSageMakerStore';

jest.setTimeout(60_000);

const KEYS = [
  { id: 'key-2026-11', secret: 'the-current-key-of-32-characters' },
  { id: 'key-2026-05', secret: 'the-previous-key-of-32-characters' },
];
const SCRIPT = join(
  resolvePackagePath('@internal/backstage-plugin-sagemaker-backend'),
  '../../scripts/sagemaker-verify-export.mjs',
);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** Runs `yarn sagemaker:verify-export` as a user would, minus yarn. */
function verifyExport(
  file: string,
  options: { keys?: unknown; args?: string[] } = {},
): Promise<{ code: number; output: string }> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [SCRIPT, file, ...(options.args ?? [])],
      {
        env: {
          PATH: process.env.PATH,
          SAGEMAKER_HISTORY_SIGNING_KEYS:
            options.keys === undefined ? '' : JSON.stringify(options.keys),
        },
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code) : 0,
          output: stdout + stderr,
        }),
    );
  });
}

describe('yarn sagemaker:verify-export', () => {
  let dir: string;
  let server: Parameters<typeof request>[0];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sagemaker-verify-export-'));
    const knex = await databases.init('SQLITE_3');
    const database = { getClient: async () => knex };
    // Two events from before signing keys, then signed ones across a rotation.
    const stores = [
      await DatabaseSageMakerStore.create({ database }),
      await DatabaseSageMakerStore.create({
        database,
        signingKeys: [KEYS[1]],
      }),
      await DatabaseSageMakerStore.create({ database, signingKeys: KEYS }),
    ];
    for (let i = 0; i < 6; i++) {
      await stores[Math.min(2, Math.floor(i / 2))].appendEvent({
        actor: 'user:default/ana',
        action: i % 2 ? 'reject' : 'approve',
        outcome: 'succeeded',
        source: i === 3 ? 'sagemaker' : 'backstage',
        entityRef: 'component:default/fraud',
        version: i + 1,
        comment: i === 4 ? '=HYPERLINK("x"), "quoted"\nand more' : undefined,
        dedupeKey: i === 3 ? 'sync:fraud/4:Rejected' : undefined,
      });
    }
    server = await startHistoryBackend(knex, KEYS);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function download(format: string, query: object = {}) {
    const res = await request(server)
      .get('/api/sagemaker/history/export')
      .query({ format, ...query })
      .set('Authorization', mockCredentials.user.header())
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => (text += chunk));
        r.on('end', () => done(null, text));
      });
    expect(res.status).toBe(200);
    const file = join(dir, `export-${format}-${Object.keys(query).length}`);
    await writeFile(file, res.body as string);
    return { file, text: res.body as string };
  }

  it.each(['json', 'ndjson', 'csv'])(
    'verifies an untouched %s export, and names the event a tampered one breaks',
    async format => {
      const { file, text } = await download(format);
      const intact = await verifyExport(file, { keys: KEYS });
      expect(intact).toEqual({
        code: 0,
        output: expect.stringContaining('INTACT'),
      });
      expect(intact.output).toContain('6 of 6 events checked');
      expect(intact.output).toContain('2 events are unsigned');

      // Event 3 was an approval of version 3: make it an approval of 30.
      const tampered = text.replace(
        format === 'csv' ? /,3,,,,,,/ : /"version":3,/,
        format === 'csv' ? ',30,,,,,,' : '"version":30,',
      );
      expect(tampered).not.toBe(text);
      await writeFile(file, tampered);
      await expect(verifyExport(file, { keys: KEYS })).resolves.toEqual({
        code: 1,
        output: expect.stringContaining(
          'BROKEN at event 3: event 3 was changed after it was recorded',
        ),
      });
    },
  );

  it('reports the newest event rewritten and re-hashed without the key', async () => {
    const { file, text } = await download('ndjson');
    const lines = text.trim().split('\n');
    const newest = JSON.parse(lines[0]);
    expect(newest).toMatchObject({ seq: 6, hashVersion: 2 });
    const forged = {
      ...newest,
      outcome: 'failed',
      hashVersion: 1,
      keyId: undefined,
    };
    forged.hash = await computeHistoryHash(forged);
    await writeFile(
      file,
      [JSON.stringify(forged), ...lines.slice(1)].join('\n'),
    );
    await expect(verifyExport(file, { keys: KEYS })).resolves.toEqual({
      code: 1,
      output: expect.stringContaining(
        'BROKEN at event 6: event 6 is unsigned, but event 3 before it was signed',
      ),
    });
  });

  it('checks an anchor from the auditor log, and a filtered export event by event', async () => {
    const { file, text } = await download('json');
    const head = JSON.parse(text)[0];
    const anchored = await verifyExport(file, {
      keys: KEYS,
      args: ['--anchor', `${head.seq}:${head.hash}`],
    });
    expect(anchored.code).toBe(0);
    expect(anchored.output).toContain('event 6 matches the auditor log');

    const truncated = await download('json', { action: 'approve' });
    const result = await verifyExport(truncated.file, {
      keys: KEYS,
      args: ['--anchor', `${head.seq}:${head.hash}`],
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('3 of 3 events checked');
    expect(result.output).toContain(
      'BROKEN: the export has no event 6, which the auditor log holds',
    );
  });

  it('says which key it lacks, and exits 2 rather than calling the export broken', async () => {
    const { file } = await download('json');
    const result = await verifyExport(file, { keys: [KEYS[0]] });
    expect(result.code).toBe(2);
    expect(result.output).toContain(
      "NOT VERIFIED at event 3: event 3 is signed with key 'key-2026-05', which is not among the keys given",
    );
  });
});
