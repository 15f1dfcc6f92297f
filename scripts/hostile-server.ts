import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A misbehaving HTTP server for `npm run chaos` and the tests of issue 10: it answers the requests
// a rule matches the way a broken or hostile vendor might (a body trickled one byte at a time, an
// absurd Retry-After, an echo of the Authorization header, a page of hundreds of megabytes) and
// forwards the rest to an upstream (the sandbox), recording every request it sees.

export type HostileAnswer =
  /** Headers at once, then one byte of (valid JSON) whitespace every `everyMs`, never the end. */
  | { kind: 'trickle'; everyMs: number }
  | { kind: 'reply'; status: number; headers?: Record<string, string>; body: string | ((request: SeenRequest) => string) }
  /** A 200 JSON body of about `bytes` bytes, streamed. */
  | { kind: 'huge'; bytes: number }
  | { kind: 'forward' };

export interface HostileRule {
  /** Method and path (with query) of the request, e.g. `POST /v2/entities/search`. */
  match: RegExp;
  answer: HostileAnswer;
}

export interface SeenRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

export interface HostileServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** Starts the server on a loopback port; requests no rule matches go to `upstream` (or get a 404). */
export async function startHostileServer(rules: readonly HostileRule[], upstream?: string): Promise<HostileServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const seen = { method: req.method ?? 'GET', url: req.url ?? '/', authorization: req.headers.authorization };
    requests.push(seen);
    const rule = rules.find((r) => r.match.test(`${seen.method} ${seen.url}`));
    answer(rule?.answer ?? { kind: 'forward' }, seen, req, res, upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(how: HostileAnswer, seen: SeenRequest, req: IncomingMessage, res: ServerResponse, upstream: string | undefined): void {
  switch (how.kind) {
    case 'trickle': {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), how.everyMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case 'reply': {
      const body = typeof how.body === 'function' ? how.body(seen) : how.body;
      res.writeHead(how.status, { 'content-type': 'text/plain', ...how.headers });
      res.end(body);
      return;
    }
    case 'huge':
      streamHugePage(res, how.bytes);
      return;
    case 'forward':
      forward(req, res, upstream);
  }
}

/** `{"data":[{"id":"x…"},…],"links":{}}` of about `bytes` bytes, written as the socket drains. */
function streamHugePage(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const item = `{"id":"${'x'.repeat(1000)}"},`;
  let left = Math.ceil(bytes / item.length);
  res.write('{"data":[');
  const pump = () => {
    while (left > 0) {
      left -= 1;
      if (!res.write(item)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end('{"id":"end"}],"links":{}}');
  };
  res.on('error', () => undefined);
  pump();
}

function forward(req: IncomingMessage, res: ServerResponse, upstream: string | undefined): void {
  if (!upstream) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('no rule for this request');
    return;
  }
  const target = new URL(req.url ?? '/', upstream);
  const proxied = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  proxied.on('error', () => res.destroy());
  req.pipe(proxied);
}
