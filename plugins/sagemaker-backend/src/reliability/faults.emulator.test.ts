import { createServer, Server, Socket } from 'node:net';
import request from 'supertest';
import { REGISTRY } from '../__testUtils__/fixtures';
import {
  AUTH,
  deployBody,
  entityPath,
  ReliabilityStack,
  startReliabilityStack,
} from '../__testUtils__/reliabilityStack';
import { scoreScenario } from '../__testUtils__/scoreboard';

jest.setTimeout(120_000);

const FRAUD = entityPath('fraud');
const READS = [
  `${FRAUD}/versions`,
  `${FRAUD}/versions/3`,
  `${FRAUD}/groups`,
  `${FRAUD}/endpoints`,
];

/** A small seeded PRNG (mulberry32), so that a run can be replayed. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A TCP listener that either resets every connection or never answers. */
async function brokenServer(mode: 'reset' | 'silent') {
  const sockets = new Set<Socket>();
  const server: Server = createServer(socket => {
    if (mode === 'reset') {
      socket.destroy();
    } else {
      sockets.add(socket);
    }
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>(done => {
        sockets.forEach(socket => socket.destroy());
        server.close(() => done());
      }),
  };
}

/** Sends each request; returns a problem for each answer that is not as expected. */
async function expectAll(
  server: any,
  requests: Array<{ method: 'get' | 'post'; path: string; body?: object }>,
  expected: { status: number; names: string[]; withinMs: number },
) {
  const problems: string[] = [];
  let slowest = 0;
  for (const { method, path, body } of requests) {
    const started = Date.now();
    let req = request(server)[method](path).set(AUTH);
    if (body) {
      req = req.send(body);
    }
    const res = await req;
    const took = Date.now() - started;
    slowest = Math.max(slowest, took);
    const message: string = res.body.error?.message ?? '';
    if (res.status !== expected.status) {
      problems.push(
        `${method.toUpperCase()} ${path}: ${res.status} ${message}`,
      );
    } else if (!expected.names.every(word => message.includes(word))) {
      problems.push(`${path}: "${message}" does not name ${expected.names}`);
    }
    if (took > expected.withinMs) {
      problems.push(`${path}: answered after ${took} ms`);
    }
  }
  return { problems, slowest };
}

describe('faults', () => {
  describe('SageMaker throttling 30% of calls', () => {
    let stack: ReliabilityStack;
    beforeAll(async () => {
      stack = await startReliabilityStack();
    });
    afterAll(async () => {
      await stack?.stop();
    });

    it('still answers every read', async () => {
      const random = seeded(8);
      stack.proxy.setThrottle(() => random() < 0.3);
      const { calls, faults } = { ...stack.proxy.stats };
      const problems: string[] = [];
      const tries = 40;
      for (let i = 0; i < tries; i++) {
        const path = READS[i % READS.length];
        const res = await request(stack.server).get(path).set(AUTH);
        if (res.status !== 200) {
          problems.push(`${path}: ${res.status} ${res.body.error?.message}`);
        }
      }
      const seen = stack.proxy.stats.calls - calls;
      const throttled = stack.proxy.stats.faults - faults;
      stack.proxy.setThrottle(() => false);
      expect(throttled / seen).toBeGreaterThan(0.2);
      scoreScenario({
        area: 'Faults',
        scenario: '30% of SageMaker calls throttled → reads still succeed',
        requests: tries,
        problems,
        note: `${throttled} of ${seen} SageMaker calls throttled (${Math.round(
          (100 * throttled) / seen,
        )}%)`,
      });
    });

    it('answers 503 naming the account once every attempt is throttled', async () => {
      stack.proxy.setThrottle(() => true);
      const before = stack.proxy.stats.calls;
      const { problems } = await expectAll(
        stack.server,
        [{ method: 'get', path: `${FRAUD}/versions` }],
        {
          status: 503,
          names: [`account ${REGISTRY}`, 'throttling'],
          withinMs: 30_000,
        },
      );
      const attempts = stack.proxy.stats.calls - before;
      stack.proxy.setThrottle(() => false);
      scoreScenario({
        area: 'Faults',
        scenario: 'every attempt throttled → 503 naming the account',
        requests: 1,
        problems,
        note: `${attempts} attempts before giving up`,
      });
    });
  });

  describe.each(['reset', 'silent'] as const)('STS %s', mode => {
    let stack: ReliabilityStack;
    let sts: Awaited<ReturnType<typeof brokenServer>>;
    beforeAll(async () => {
      sts = await brokenServer(mode);
      stack = await startReliabilityStack({
        stsEndpoint: sts.endpoint,
        sagemaker: {
          aws: { requestTimeout: { seconds: 1 }, maxAttempts: 3 },
        },
      });
    });
    afterAll(async () => {
      await stack?.stop();
      await sts?.stop();
    });

    it('answers 502 naming the account, without hanging or writing', async () => {
      const since = stack.proxy.stats.operations.length;
      const { problems, slowest } = await expectAll(
        stack.server,
        [
          ...READS.slice(0, 3).map(path => ({ method: 'get' as const, path })),
          {
            method: 'post',
            path: `${FRAUD}/versions/1/approval`,
            body: { status: 'Approved' },
          },
          { method: 'post', path: `${FRAUD}/deployments`, body: deployBody() },
        ],
        {
          status: 502,
          names: [`AWS account ${REGISTRY}`, 'STS AssumeRole failed'],
          withinMs: 8_000,
        },
      );
      const writes = stack.proxy.writes(since);
      scoreScenario({
        area: 'Faults',
        scenario: `STS ${
          mode === 'reset' ? 'refusing connections' : 'never answering'
        } → 502 naming the account`,
        requests: 5,
        problems: [...problems, ...writes.map(op => `AWS write ${op}`)],
        note: `slowest answer ${slowest} ms`,
      });
    });
  });

  describe('the emulator down', () => {
    let stack: ReliabilityStack;
    const timeoutMs = 1000;
    const attempts = 3;
    beforeAll(async () => {
      stack = await startReliabilityStack({
        direct: true,
        sagemaker: {
          aws: {
            requestTimeout: { milliseconds: timeoutMs },
            maxAttempts: attempts,
          },
        },
      });
      // Credentials for every account are fetched (and cached) while it is up.
      for (const path of READS) {
        const res = await request(stack.server).get(path).set(AUTH);
        if (res.status !== 200) {
          throw new Error(
            `${path} answered ${res.status} with the emulator up`,
          );
        }
      }
    });
    afterAll(async () => {
      stack?.emulator.thaw();
      await stack?.stop();
    });

    // The configured bound: every attempt times out, plus the SDK's backoff.
    const bound = attempts * timeoutMs + 2500;

    // In this order: the frozen emulator is thawed, then stopped.
    it.each([
      {
        state: 'hanging',
        breakIt: async () => stack.emulator.freeze(),
        restore: () => stack.emulator.thaw(),
      },
      {
        state: 'stopped',
        breakIt: () => stack.emulator.stop(),
        restore: () => {},
      },
    ])(
      'answers 503 naming the account when it is $state, within the configured timeout',
      async ({ state, breakIt, restore }) => {
        await breakIt();
        const { problems, slowest } = await expectAll(
          stack.server,
          READS.map(path => ({ method: 'get' as const, path })),
          {
            status: 503,
            names: ['did not answer', 'SageMaker in account'],
            withinMs: bound,
          },
        );
        restore();
        scoreScenario({
          area: 'Faults',
          scenario: `the emulator ${state} → 503 within ${attempts} × ${timeoutMs} ms + backoff`,
          requests: READS.length,
          problems,
          note: `slowest answer ${slowest} ms, bound ${bound} ms`,
        });
      },
    );
  });
});
