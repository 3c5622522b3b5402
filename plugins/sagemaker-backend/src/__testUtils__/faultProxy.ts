import { createServer, IncomingMessage, Server } from 'node:http';

/** A proxy in front of the emulator that answers some SageMaker calls with a fault. */
export interface FaultProxy {
  endpoint: string;
  /** SageMaker calls seen, and how many of them were answered with a fault. */
  stats: { calls: number; faults: number };
  /** Decides per SageMaker call whether to throttle it. */
  setThrottle(decide: (call: number) => boolean): void;
  stop(): Promise<void>;
}

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
  const stats = { calls: 0, faults: 0 };
  let throttle: (call: number) => boolean = () => false;
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.startsWith('SageMaker.')) {
      stats.calls += 1;
      if (throttle(stats.calls)) {
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
    const response = await fetch(`${upstream}${req.url}`, {
      method: req.method,
      headers,
      body: ['GET', 'HEAD'].includes(req.method ?? '') ? undefined : body,
    });
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
    stop: () => new Promise(done => server.close(() => done())),
  };
}
