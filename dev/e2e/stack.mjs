// Starts what the end-to-end suite needs, as a user would run it: the local
// SageMaker emulator (fresh seed), then the Backstage app and backend on
// their embedded defaults, with a throwaway SQLite directory. Stops them after.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const APP_URL = 'http://localhost:3000';
export const BACKEND_URL = 'http://localhost:7007';

async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function portInUse(port) {
  return new Promise(done => {
    const server = createServer();
    server.once('error', () => done(true));
    server.listen(port, '127.0.0.1', () => server.close(() => done(false)));
  });
}

async function waitFor(url, what, seconds, child) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`${what} exited with code ${child.exitCode}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`${what} did not answer on ${url} within ${seconds}s`);
}

function run(command, args, options) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('exit', code =>
      code === 0 ? done() : fail(new Error(`${command} exited with ${code}`)),
    );
  });
}

/** Starts the emulator and the app; returns a stop function and the logs' folder. */
export async function startStack({ logDir }) {
  for (const port of [3000, 7007]) {
    if (await portInUse(port)) {
      throw new Error(`port ${port} is already in use; stop whatever holds it`);
    }
  }
  const emulatorPort = await freePort();
  const endpoint = `http://127.0.0.1:${emulatorPort}`;
  const python = join(ROOT, 'dev/sagemaker-local/.venv/bin/python');
  const emulator = spawn(
    python,
    [
      join(ROOT, 'dev/sagemaker-local/server.py'),
      '--port',
      String(emulatorPort),
    ],
    {
      env: { ...process.env, SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS: '2' },
      stdio: ['ignore', openSync(join(logDir, 'emulator.log'), 'w'), 'inherit'],
    },
  );
  const children = [emulator];
  const sqliteDir = mkdtempSync(join(tmpdir(), 'sagemaker-e2e-sqlite-'));
  const stop = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          child.kill('SIGTERM');
        }
      }
    }
    await new Promise(r => setTimeout(r, 1000));
    for (const child of children) {
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
    }
    rmSync(sqliteDir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `${endpoint}/moto-api/data.json`,
      'the emulator',
      30,
      emulator,
    );
    const awsEnv = {
      ...process.env,
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    };
    delete awsEnv.AWS_SESSION_TOKEN;
    delete awsEnv.AWS_PROFILE;
    await run(
      python,
      [join(ROOT, 'dev/sagemaker-local/seed.py'), '--endpoint', endpoint],
      {
        env: awsEnv,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const app = spawn('yarn', ['start'], {
      cwd: ROOT,
      detached: true,
      env: {
        ...awsEnv,
        BACKSTAGE_SQLITE_DIR: sqliteDir,
        BROWSER: 'none',
        // Deployments are followed every second, so the suite sees them settle.
        APP_CONFIG_sagemaker_deployments_pollInterval: '{"seconds":1}',
      },
      stdio: [
        'ignore',
        openSync(join(logDir, 'app.log'), 'w'),
        openSync(join(logDir, 'app.err.log'), 'w'),
      ],
    });
    children.push(app);
    await waitFor(
      `${BACKEND_URL}/.backstage/health/v1/readiness`,
      'the backend',
      180,
      app,
    );
    await waitFor(APP_URL, 'the frontend', 180, app);
    // The catalog reads the demo entities shortly after start.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const token = await guestToken();
      const res = await fetch(
        `${BACKEND_URL}/api/catalog/entities/by-name/component/default/fraud-detection`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      if (res.ok) break;
      if (Date.now() > deadline) {
        throw new Error('the demo catalog was not ingested within 90s');
      }
      await new Promise(r => setTimeout(r, 1000));
    }
    return { stop, endpoint };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A backend token for the guest, as the sign-in page gets it. */
export async function guestToken() {
  const res = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  const body = await res.json();
  return body.backstageIdentity.token;
}
