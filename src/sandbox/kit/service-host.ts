import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxClock } from './clock.js';
import type { ContractGate } from './contract/sandbox-contract.js';
import type { FaultInjector, HostileFault } from './faults.js';
import { listen, readBody, SimError, type Call, type SimResponse } from './http.js';
import type { FaultKind, RequestLogEntry, ServiceName } from './request-log.js';
import type { RouteMatch, RouteMatcher } from './router.js';
import { writeOversized, writeTrickled, writeWhole } from './wire.js';

// The request pipeline every simulator shares, in this order:
//   log entry (arrival order) → latency → contract check of the request (when given the vendor's contract)
//   → injected pre-faults or hostile mode → guard (auth, retired API, rate limits) → the vendor's refusal of a request
//   its contract refuses, or the handler → `loseResponse` check → contract check of the answer → write (whole,
//   trickled or oversized).

export interface GuardResult {
  response: SimResponse;
  fault?: FaultKind;
}

export interface HostOptions {
  service: ServiceName;
  match: RouteMatcher;
  log: RequestLogEntry[];
  /** The time each request is judged at (clock.ts). */
  clock: SandboxClock;
  latencyMs: number;
  faults?: FaultInjector;
  guard?: (call: Call) => GuardResult | undefined;
  notFound: (call: Call) => SimResponse;
  methodNotAllowed: (call: Call, allowed: string[]) => SimResponse;
  internalError: (err: unknown) => SimResponse;
  /** Adds headers every answer of this service carries. */
  decorate?: (call: Call, res: SimResponse) => void;
  /** The vendor's published contract, when the sandbox was given it. */
  contract?: ContractGate;
}

export interface HostedService {
  server: Server;
  url: string;
}

export async function startService(opts: HostOptions): Promise<HostedService> {
  if (opts.match.routes) opts.contract?.auditRoutes(opts.match.routes);
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
  const at = opts.clock.now();
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
  const params = match.kind === 'found' ? match.params : {};
  const call: Call = {
    method,
    path,
    query: new URLSearchParams(rawQuery),
    rawQuery,
    headers: req.headers,
    body,
    params,
    route: match.route,
    now: opts.clock.now(),
    baseUrl,
  };

  if (match.kind === 'found' && match.control === true) {
    // The sandbox's own route: no contract, no faults; the guard still asks for the token where there is one.
    const response = opts.guard?.(call)?.response ?? (await run(opts, match, call));
    entry.status = response.status;
    writeWhole(res, response);
    return;
  }

  const checked = opts.contract?.request(call);
  if (checked?.operation) entry.operation = `${checked.operation.method} ${checked.operation.template}`;
  const hostile = opts.faults?.hostile(opts.service, match.route);
  const outcome = await decide(opts, match, call, checked?.rejection, hostile);
  if (outcome.kind !== 'answer') {
    entry.fault = outcome.kind;
    // A hang keeps the socket open until the client leaves or the sandbox closes; the others drop it.
    if (outcome.kind !== 'hang') req.socket.destroy();
    return;
  }
  const { response, fault, rejected } = outcome;
  opts.decorate?.(call, response);
  entry.status = response.status;
  if (fault) entry.fault = fault;
  if (rejected) entry.contract = 'rejected';
  // Made-up answers (faults, enforced rate limits) are the vendor's generic error pages, not the operation's answers.
  if (fault === undefined && checked?.operation) opts.contract?.response(checked.operation, match.route, response);
  await deliver(res, response, hostile, entry);
}

type Outcome =
  /** `rejected`: the vendor's refusal of a request its contract refuses. */
  { kind: 'answer'; response: SimResponse; fault?: FaultKind; rejected?: true } | { kind: 'resetConnection' | 'loseResponse' | 'hang' };

/** What the request gets: a fault, the guard's answer, the vendor's refusal of what its contract refuses, or the handler's. */
async function decide(
  opts: HostOptions,
  match: RouteMatch,
  call: Call,
  rejection: SimResponse | undefined,
  hostile: HostileFault | undefined,
): Promise<Outcome> {
  const faults = opts.faults;
  const pre = hostile
    ? faults?.hostileAnswer(hostile, call.now, call.headers.authorization)
    : faults?.pre(opts.service, match.route, call.now);
  if (pre?.kind === 'reset') return { kind: 'resetConnection' };
  if (pre?.kind === 'hang') return { kind: 'hang' };
  if (pre?.kind === 'respond') return { kind: 'answer', response: pre.response, fault: pre.fault };
  const guarded = opts.guard?.(call);
  if (guarded?.fault) return { kind: 'answer', response: guarded.response, fault: guarded.fault };
  // `loseResponse` lets the request run, then drops the socket: "did my create happen?".
  const lost = (): boolean => faults?.loseResponse(opts.service, match.route) ?? false;
  if (guarded) return lost() ? { kind: 'loseResponse' } : { kind: 'answer', response: guarded.response };
  if (rejection) return lost() ? { kind: 'loseResponse' } : { kind: 'answer', response: rejection, rejected: true };
  const response = await run(opts, match, call);
  return lost() ? { kind: 'loseResponse' } : { kind: 'answer', response };
}

async function deliver(
  res: ServerResponse,
  response: SimResponse,
  hostile: HostileFault | undefined,
  entry: RequestLogEntry,
): Promise<void> {
  if (hostile?.kind === 'trickle') {
    entry.fault = 'trickle';
    writeTrickled(res, response, hostile.byteEveryMs);
  } else if (hostile?.kind === 'oversized') {
    entry.fault = 'oversized';
    await writeOversized(res, response, hostile.bytes);
  } else {
    writeWhole(res, response);
  }
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
