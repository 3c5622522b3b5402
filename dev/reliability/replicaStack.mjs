// Several replicas of packages/backend, as production runs them: one
// PostgreSQL and one Redis shared by every replica, each replica on its own
// port. Used by the replica scenarios of the reliability suite and by the
// bench. PostgreSQL and Redis are throwaway servers from Debian's packages
// (scripts/postgres.sh, scripts/redis.sh) on free ports, so the scenarios can
// restart or stop them without touching anything else.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, freePort, startBackend, startEmulator } from '../e2e/stack.mjs';

const run = promisify(execFile);

/** A script of scripts/ with its state directory; returns its stdout line. */
function serverScript(script, dirVariable, dir) {
  return async (...args) => {
    const { stdout } = await run(join(ROOT, 'scripts', script), args, {
      env: { ...process.env, [dirVariable]: dir },
    });
    return stdout.trim();
  };
}

/**
 * Starts PostgreSQL, Redis, the emulator (seeded) and `replicas` backends
 * sharing them. `env` adds APP_CONFIG_* overrides for every replica.
 * Returns the replicas (url, child, stop, kill), `startReplica(i)` to start
 * one again, the database and cache controls, and `stop()`.
 */
export async function startReplicaStack({
  logDir,
  replicas = 2,
  delaySeconds = 2,
  env = {},
}) {
  const stateDir = mkdtempSync(join(tmpdir(), 'sagemaker-replicas-'));
  // PostgreSQL runs as the postgres user when started as root.
  chmodSync(stateDir, 0o755);
  const postgres = serverScript(
    'postgres.sh',
    'SAGEMAKER_TEST_PG_DIR',
    join(stateDir, 'pg'),
  );
  const redis = serverScript(
    'redis.sh',
    'SAGEMAKER_TEST_REDIS_DIR',
    join(stateDir, 'redis'),
  );
  const stops = [];
  const stack = {
    replicas: [],
    async stop() {
      await Promise.all(stack.replicas.map(r => r?.stop()));
      while (stops.length) await stops.pop()();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  try {
    const started = await Promise.allSettled([
      postgres('start'),
      redis('start'),
      startEmulator({ logDir, delaySeconds }),
    ]);
    const [pg, cache, aws] = started;
    if (pg.status === 'fulfilled') stops.push(() => postgres('stop'));
    if (cache.status === 'fulfilled') stops.push(() => redis('stop'));
    if (aws.status === 'fulfilled') stops.push(() => aws.value.stop());
    const failed = started.find(s => s.status === 'rejected');
    if (failed) throw failed.reason;
    const [pgUrl, redisUrl, emulator] = started.map(s => s.value);
    const ports = [];
    for (let i = 0; i < replicas; i++) ports.push(await freePort());
    const replicaEnv = {
      APP_CONFIG_backend_database_client: 'pg',
      APP_CONFIG_backend_database_connection: pgUrl,
      // Each run gets databases of its own on the server.
      APP_CONFIG_backend_database_prefix: `bs${randomBytes(4).toString(
        'hex',
      )}_`,
      // The valkey store (iovalkey) on a Redis server: @keyv/redis 4, behind
      // the `redis` store, does not reconnect once Redis restarts
      // (jaredwray/keyv#1272).
      APP_CONFIG_backend_cache_store: 'valkey',
      APP_CONFIG_backend_cache_connection: redisUrl,
      ...env,
    };
    Object.assign(stack, {
      emulator,
      pgUrl,
      redisUrl,
      /** Restarts PostgreSQL on the same port and data (fast shutdown). */
      restartPostgres: () => postgres('restart'),
      /** Stops Redis, keeping its port for `startRedis`. */
      stopRedis: () => redis('stop', '--keep-port'),
      /** Starts Redis again, empty, on the port it had. */
      startRedis: () => redis('start'),
      async startReplica(i) {
        const logName = `replica-${String.fromCharCode(97 + i)}`;
        const replica = await startBackend({
          logDir,
          endpoint: emulator.endpoint,
          port: ports[i],
          env: replicaEnv,
          logName,
        });
        stack.replicas[i] = Object.assign(replica, {
          /** Where the replica writes its logs (stdout, stderr). */
          logFiles: [`${logName}.log`, `${logName}.err.log`].map(f =>
            join(logDir, f),
          ),
        });
        return replica;
      },
    });
    // One after the other: the first creates the databases and runs the
    // migrations, which the others then find done.
    for (let i = 0; i < replicas; i++) await stack.startReplica(i);
    return stack;
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
