import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

const EMULATOR_DIR = resolvePackagePath(
  '@internal/backstage-plugin-sagemaker-backend',
  '../../dev/sagemaker-local',
);

/** A running local SageMaker emulator (moto plus our extension). */
export interface LocalEmulator {
  endpoint: string;
  /** Wipes all state, in every emulated account. */
  reset(): Promise<void>;
  /** Suspends the process (SIGSTOP): connections are accepted, never answered. */
  freeze(): void;
  /** Resumes a frozen emulator (SIGCONT). */
  thaw(): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? done(address.port)
          : fail(new Error('no port')),
      );
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the emulator exited with code ${child.exitCode}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`the emulator did not answer on ${endpoint} within 30 s`);
}

/**
 * Starts a private emulator on a free port, one per test file, so that test
 * files running in parallel never share state.
 */
export async function startLocalEmulator(
  env: Record<string, string> = {},
): Promise<LocalEmulator> {
  const python = resolve(EMULATOR_DIR, '.venv/bin/python');
  if (!existsSync(python)) {
    throw new Error(
      `The local emulator is not set up: run dev/sagemaker-local/setup.sh (missing ${python})`,
    );
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child = spawn(
    python,
    [resolve(EMULATOR_DIR, 'server.py'), '--port', String(port)],
    {
      env: {
        ...process.env,
        SAGEMAKER_LOCAL_ENDPOINT_DELAY_SECONDS: '0.5',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', d => output.push(String(d)));
  child.stderr?.on('data', d => output.push(String(d)));
  try {
    await waitUntilUp(endpoint, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output.join('')}`);
  }
  return {
    endpoint,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    freeze() {
      child.kill('SIGSTOP');
    },
    thaw() {
      child.kill('SIGCONT');
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      await new Promise<void>(done => {
        child.once('exit', () => done());
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    },
  };
}
