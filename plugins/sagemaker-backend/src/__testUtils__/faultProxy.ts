import { createServer, IncomingMessage, Server } from 'node:http';

/** A proxy in front of the emulator that answers some SageMaker calls with a fault. */
export interface FaultProxy {
  endpoint: string;
  /**
   * SageMaker calls seen, how many of them were answered with a fault, and
   * every operation name in order (e.g. `CreateModel`).
   */
  stats: { calls: number; faults: number; operations: string[] };
  /** Decides per SageMaker call whether to throttle it. */
  setThrottle(decide: (call: number, operation: string) => boolean): void;
  /** SageMaker operations seen since `since` (an index into operations) that change something. */
  writes(since?: number): string[];
  stop(): Promise<void>;
}

/** SageMaker's read-only operations; everything else writes. */
const READ = /^(Describe|List|Search|BatchDescribe|Get)/;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Starts a wire-level proxy: throttled calls get the 400 ThrottlingException
 * SageMaker sends, so the SDK's own retry logic runs exactly as against AWS.
 */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const stats = { calls: 0, faults: 0, operations: [] as string[] };
  let throttle: (call: number, operation: string) => boolean = () => false;
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.startsWith('SageMaker.')) {
      const operation = target.slice('SageMaker.'.length);
      stats.calls += 1;
      stats.operations.push(operation);
      if (throttle(stats.calls, operation)) {
        stats.faults += 1;
        res.writeHead(400, {
          'Content-Type': 'application/x-amz-json-1.1',
          'x-amzn-RequestId': `throttled-${stats.calls}`,
        });
        res.end(
          JSON.stringify({
            __type: 'ThrottlingException',
            message: 'Rate exceeded',
          }),
        );
        return;
      }
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        ([name]) => !['host', 'connection', 'content-length'].includes(name),
      ),
    ) as Record<string, string>;
    let response: Response;
    try {
      response = await fetch(`${upstream}${req.url}`, {
        method: req.method,
        headers,
        body: ['GET', 'HEAD'].includes(req.method ?? '') ? undefined : body,
      });
    } catch {
      // The upstream is gone: the client sees its connection reset.
      res.destroy();
      return;
    }
    const payload = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, {
      'Content-Type':
        response.headers.get('content-type') ?? 'application/json',
      'x-amzn-RequestId': response.headers.get('x-amzn-requestid') ?? '',
    });
    res.end(payload);
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    setThrottle(decide) {
      throttle = decide;
    },
    writes(since = 0) {
      return stats.operations.slice(since).filter(op => !READ.test(op));
    },
    stop: () => new Promise(done => server.close(() => done())),
  };
}
