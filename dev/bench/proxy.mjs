// A counting HTTP proxy in front of the emulator: it forwards every request
// unchanged (streamed, keep-alive upstream) and counts, per operation, the
// requests `classify` names: by default those whose `x-amz-target` header
// starts with `SageMaker.`, i.e. the SageMaker API calls as they appear on
// the wire; with `s3Operation` every request (S3 has no target header), by
// HTTP method.
import { Agent, createServer, request } from 'node:http';

const PREFIX = 'SageMaker.';

function sageMakerOperation(req) {
  const operation = String(req.headers['x-amz-target'] ?? '');
  return operation.startsWith(PREFIX)
    ? operation.slice(PREFIX.length)
    : undefined;
}

/** Names an S3 request by its method: GetObject for GET, and so on. */
export function s3Operation(req) {
  const names = { GET: 'GetObject', HEAD: 'HeadObject', PUT: 'PutObject' };
  return names[req.method] ?? req.method;
}

export async function startCountingProxy(
  upstream,
  classify = sageMakerOperation,
) {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  let counts = {};
  let lastCallAt = 0;

  const server = createServer((req, res) => {
    const name = classify(req);
    if (name) {
      counts[name] = (counts[name] ?? 0) + 1;
      lastCallAt = Date.now();
    }
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      upstreamRes => {
        res.writeHead(upstreamRes.statusCode, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forwarded.on('error', error => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
    req.pipe(forwarded);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise(done => server.listen(0, '127.0.0.1', done));

  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** SageMaker calls per operation since the last `reset()`. */
    counts: () => ({ ...counts }),
    reset() {
      counts = {};
    },
    /** Milliseconds since the last SageMaker call (Infinity if none yet). */
    idleMs: () => (lastCallAt ? Date.now() - lastCallAt : Infinity),
    stop() {
      agent.destroy();
      server.closeAllConnections();
      return new Promise(done => server.close(() => done()));
    },
  };
}

/** Total of a counts object. */
export function totalCalls(counts) {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
