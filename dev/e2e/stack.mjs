// Starts what the end-to-end suite, the reliability suite and the bench need,
// as a user would run it: the local SageMaker emulator (fresh seed), then the
// Backstage backend (alone, or with the app) on its embedded defaults, with a
// throwaway SQLite directory. Each start returns a stop function.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const APP_URL = 'http://localhost:3000';
/** The demo on Backstage's new frontend system (packages/app-next). */
export const NEXT_APP_URL = 'http://localhost:3001';
export const BACKEND_URL = 'http://localhost:7007';
const PYTHON = join(ROOT, 'dev/sagemaker-local/.venv/bin/python');

export async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function portInUse(port) {
  return new Promise(done => {
    const server = createServer();
    server.once('error', () => done(true));
    server.listen(port, '127.0.0.1', () => server.close(() => done(false)));
  });
}

async function requireFreePort(port, what) {
  if (await portInUse(port)) {
    throw new Error(
      `port ${port} (${what}) is already in use; stop whatever holds it`,
    );
  }
}

export async function waitFor(url, what, seconds, child) {
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
    await new Promise(r => setTimeout(r, 250));
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

/** Sends a signal to a detached child's whole process group. */
function signal(child, name) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, name);
  } catch {
    child.kill(name);
  }
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(done => child.once('exit', done));
  signal(child, 'SIGTERM');
  const timer = setTimeout(() => signal(child, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** The environment that points the AWS SDK at the emulator, with dummy keys. */
/**
 * The keys of the backend's own identity per emulator: a user in the
 * registry account, which owns the SageMaker events queue (as
 * scripts/start.sh makes them, with scripts/demo-backend-keys.py).
 */
const backendKeys = new Map();

export function emulatorEnv(endpoint, extra = {}) {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    ...backendKeys.get(endpoint),
    ...extra,
  };
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_PROFILE;
  return env;
}

/**
 * Starts the emulator on a free port and seeds the three demo accounts.
 * `delaySeconds` is how long endpoints stay Creating/Updating.
 */
export async function startEmulator({ logDir, delaySeconds = 2 }) {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(
    PYTHON,
    [join(ROOT, 'dev/sagemaker-local/server.py'), '--port', String(port)],
    {
      detached: true,
      env: {
        ...process.env,
        SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS: String(delaySeconds),
      },
      stdio: [
        'ignore',
        openSync(join(logDir, 'emulator.log'), 'w'),
        openSync(join(logDir, 'emulator.err.log'), 'w'),
      ],
    },
  );
  const stop = () => stopChild(child);
  try {
    await waitFor(`${endpoint}/moto-api/data.json`, 'the emulator', 30, child);
    await run(
      PYTHON,
      [join(ROOT, 'dev/sagemaker-local/seed.py'), '--endpoint', endpoint],
      { env: emulatorEnv(endpoint), stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const exported = execFileSync(
      PYTHON,
      [join(ROOT, 'scripts/demo-backend-keys.py'), endpoint],
      { encoding: 'utf8' },
    );
    backendKeys.set(
      endpoint,
      Object.fromEntries(
        [...exported.matchAll(/(AWS_[A-Z_]+)=(\S+)/g)].map(m => [m[1], m[2]]),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}

/**
 * Starts the backend alone (`yarn workspace backend start`) against the
 * emulator. `env` adds APP_CONFIG_* overrides; `sqliteDir` keeps its database
 * across a restart. `kill()` ends it abruptly, as a crash would.
 */
export async function startBackend({
  logDir,
  endpoint,
  port = 7007,
  sqliteDir,
  env = {},
  logName = 'backend',
}) {
  await requireFreePort(port, 'backend');
  const url = `http://localhost:${port}`;
  const child = spawn('yarn', ['workspace', 'backend', 'start'], {
    cwd: ROOT,
    detached: true,
    env: emulatorEnv(endpoint, {
      BACKSTAGE_SQLITE_DIR: sqliteDir,
      APP_CONFIG_backend_listen_port: String(port),
      APP_CONFIG_backend_baseUrl: url,
      ...env,
    }),
    stdio: [
      'ignore',
      openSync(join(logDir, `${logName}.log`), 'a'),
      openSync(join(logDir, `${logName}.err.log`), 'a'),
    ],
  });
  const backend = {
    url,
    child,
    stop: () => stopChild(child),
    async kill() {
      const exited = new Promise(done => child.once('exit', done));
      signal(child, 'SIGKILL');
      await exited;
      // The backend is a grandchild; it is gone once its port is free.
      const deadline = Date.now() + 10_000;
      while ((await portInUse(port)) && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 100));
      }
    },
  };
  try {
    await waitFor(
      `${url}/.backstage/health/v1/readiness`,
      'the backend',
      180,
      child,
    );
    await waitForCatalog(url);
  } catch (error) {
    await backend.stop();
    throw error;
  }
  return backend;
}

/** The catalog reads the demo entities shortly after start. */
async function waitForCatalog(backendUrl) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const token = await guestToken(backendUrl);
    const res = await fetch(
      `${backendUrl}/api/catalog/entities/by-name/component/default/fraud-detection`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (res.ok) return;
    if (Date.now() > deadline) {
      throw new Error('the demo catalog was not ingested within 90s');
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

/** Starts the emulator and the app (`yarn start`: frontend and backend). */
export async function startStack({ logDir }) {
  await requireFreePort(3000, 'frontend');
  await requireFreePort(7007, 'backend');
  const emulator = await startEmulator({ logDir });
  const sqliteDir = mkdtempSync(join(tmpdir(), 'sagemaker-e2e-sqlite-'));
  const app = spawn('yarn', ['start'], {
    cwd: ROOT,
    detached: true,
    env: emulatorEnv(emulator.endpoint, {
      BACKSTAGE_SQLITE_DIR: sqliteDir,
      BROWSER: 'none',
      // Deployments are followed every second, so the suite sees them settle.
      APP_CONFIG_sagemaker_deployments_pollInterval: '{"seconds":1}',
    }),
    stdio: [
      'ignore',
      openSync(join(logDir, 'app.log'), 'w'),
      openSync(join(logDir, 'app.err.log'), 'w'),
    ],
  });
  const stop = async () => {
    await stopChild(app);
    await emulator.stop();
    rmSync(sqliteDir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `${BACKEND_URL}/.backstage/health/v1/readiness`,
      'the backend',
      180,
      app,
    );
    await waitFor(APP_URL, 'the frontend', 180, app);
    await waitForCatalog(BACKEND_URL);
    return { stop, endpoint: emulator.endpoint };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Starts the second frontend, on the new frontend system, against the
 * backend of a running stack. Returns a stop function.
 */
export async function startNextApp({ logDir }) {
  await requireFreePort(3001, 'the new-frontend-system app');
  const app = spawn('yarn', ['workspace', 'app-next', 'start'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, BROWSER: 'none' },
    stdio: [
      'ignore',
      openSync(join(logDir, 'app-next.log'), 'w'),
      openSync(join(logDir, 'app-next.err.log'), 'w'),
    ],
  });
  try {
    await waitFor(NEXT_APP_URL, 'the new-frontend-system app', 240, app);
  } catch (error) {
    await stopChild(app);
    throw error;
  }
  return () => stopChild(app);
}

/** A backend token for the guest, as the sign-in page gets it. */
export async function guestToken(backendUrl = BACKEND_URL) {
  const res = await fetch(`${backendUrl}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  const body = await res.json();
  return body.backstageIdentity.token;
}
