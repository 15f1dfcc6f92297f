import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultInjector } from './faults.js';
import { listen, readBody, SimError, type Call, type SimResponse } from './http.js';
import type { FaultKind, RequestLogEntry, ServiceName } from './request-log.js';
import type { RouteMatch } from './router.js';

// The request pipeline every simulator shares, in this order:
//   log entry (arrival order) → latency → injected pre-faults → guard (auth, retired API, rate limits)
//   → handler → `loseResponse` check → write.

export interface GuardResult {
  response: SimResponse;
  fault?: FaultKind;
}

export interface HostOptions {
  service: ServiceName;
  match: (method: string, path: string) => RouteMatch;
  log: RequestLogEntry[];
  latencyMs: number;
  faults?: FaultInjector;
  guard?: (call: Call) => GuardResult | undefined;
  notFound: (call: Call) => SimResponse;
  methodNotAllowed: (call: Call, allowed: string[]) => SimResponse;
  internalError: (err: unknown) => SimResponse;
  /** Adds headers every answer of this service carries. */
  decorate?: (call: Call, res: SimResponse) => void;
}

export interface HostedService {
  server: Server;
  url: string;
}

export async function startService(opts: HostOptions): Promise<HostedService> {
  const box = { baseUrl: '' };
  const server = createServer((req, res) => {
    handle(opts, box.baseUrl, req, res).catch(() => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      }
    });
  });
  // Engines use keep-alive agents; don't let an idle socket time out under them mid-benchmark.
  server.keepAliveTimeout = 30_000;
  box.baseUrl = await listen(server);
  return { server, url: box.baseUrl };
}

async function handle(opts: HostOptions, baseUrl: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = Date.now();
  const method = (req.method ?? 'GET').toUpperCase();
  const rawUrl = req.url ?? '/';
  const qi = rawUrl.indexOf('?');
  const path = qi >= 0 ? rawUrl.slice(0, qi) : rawUrl;
  const rawQuery = qi >= 0 ? rawUrl.slice(qi + 1) : '';
  const match = opts.match(method, path);
  const entry: RequestLogEntry = { service: opts.service, method, path, route: match.route, status: 0, at, query: rawQuery };
  opts.log.push(entry);

  const body = await readBody(req);
  if (opts.latencyMs > 0) await sleep(opts.latencyMs);

  const call: Call = {
    method,
    path,
    query: new URLSearchParams(rawQuery),
    rawQuery,
    headers: req.headers,
    body,
    params: match.kind === 'found' ? match.params : {},
    route: match.route,
    now: Date.now(),
    baseUrl,
  };

  const pre = opts.faults?.pre(opts.service, match.route, call.now);
  if (pre?.kind === 'reset') {
    entry.fault = 'resetConnection';
    req.socket.destroy();
    return;
  }

  let response: SimResponse;
  let fault: FaultKind | undefined;
  if (pre?.kind === 'respond') {
    response = pre.response;
    fault = pre.fault;
  } else {
    const guarded = opts.guard?.(call);
    if (guarded) {
      response = guarded.response;
      fault = guarded.fault;
    } else {
      response = await run(opts, match, call);
    }
  }

  if (fault === undefined && opts.faults?.loseResponse(opts.service, match.route)) {
    entry.fault = 'loseResponse';
    req.socket.destroy();
    return;
  }

  opts.decorate?.(call, response);
  entry.status = response.status;
  if (fault) entry.fault = fault;
  write(res, response);
}

async function run(opts: HostOptions, match: RouteMatch, call: Call): Promise<SimResponse> {
  try {
    if (match.kind === 'found') return await match.handler(call);
    if (match.kind === 'method-not-allowed') return opts.methodNotAllowed(call, match.allowed);
    return opts.notFound(call);
  } catch (err) {
    if (err instanceof SimError) return err.response;
    return opts.internalError(err);
  }
}

function write(res: ServerResponse, r: SimResponse): void {
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  let payload: string | undefined;
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  if (r.json !== undefined && r.status !== 204) {
    payload = JSON.stringify(r.json);
    if (!hasType) headers['Content-Type'] = 'application/json;charset=UTF-8';
  } else if (r.text !== undefined && r.status !== 204) {
    payload = r.text;
    if (!hasType) headers['Content-Type'] = 'text/plain; charset=utf-8';
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(r.status, headers);
  res.end(payload);
}
