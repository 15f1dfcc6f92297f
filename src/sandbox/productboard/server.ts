import { pbError, type FaultInjector } from '../kit/faults.js';
import { compileRoutes, json, type Call } from '../kit/http.js';
import { getEntity, listEntities, listRelationships, searchEntities } from './entity-handlers.js';
import { getNote, listNoteRelationships, listNotes } from './note-handlers.js';
import type { PbState } from './state.js';
import { SlidingWindow } from '../kit/rate-limit.js';
import { startService, type GuardResult, type HostedService } from '../kit/service-host.js';
import type { RequestLogEntry } from '../kit/request-log.js';

// Productboard API v2 simulator (productboard-api.md §3–§5). Read-only: the engine only reads Productboard.

export interface PbServerOptions {
  state: PbState;
  token: string;
  log: RequestLogEntry[];
  latencyMs: number;
  enforceRateLimits: boolean;
  faults: FaultInjector;
}

// 50 requests per second per access token (productboard-api.md §5).
const PB_RATE_LIMIT = 50;

export async function startPbServer(o: PbServerOptions): Promise<HostedService> {
  const windows = new Map<string, SlidingWindow>();
  const windowFor = (token: string): SlidingWindow => {
    let w = windows.get(token);
    if (!w) {
      w = new SlidingWindow(PB_RATE_LIMIT, 1000);
      windows.set(token, w);
    }
    return w;
  };

  const guard = (call: Call): GuardResult | undefined => {
    if (call.path !== '/v2' && !call.path.startsWith('/v2/')) {
      // The engine targets v2 only; v1 was deprecated 2026-04-09 and switched off 2026-07-08 (productboard-api.md §1.1).
      return {
        response: json(
          410,
          pbError('api.versionRetired', 'API version retired', 'Productboard API v1 has been retired. Use the /v2 endpoints (see the v1→v2 migration guide).'),
        ),
      };
    }
    const auth = call.headers.authorization;
    if (auth !== `Bearer ${o.token}`) {
      return {
        response: json(
          401,
          pbError('authentication.failed', 'Unauthorized', auth ? 'The provided access token is invalid or has expired.' : 'Authentication credentials are missing.'),
        ),
      };
    }
    if (o.enforceRateLimits) {
      const w = windowFor(o.token);
      if (!w.tryHit(call.now)) {
        const retry = Math.max(1, Math.ceil(w.msUntilFree(call.now) / 1000));
        return {
          fault: 'rateLimit',
          response: json(
            429,
            pbError('rate.limitExceeded', 'Rate limit exceeded', `More than ${PB_RATE_LIMIT} requests per second for this token.`),
            { 'Retry-After': String(retry), 'X-RateLimit-Limit': String(PB_RATE_LIMIT), 'X-RateLimit-Remaining': '0' },
          ),
        };
      }
    }
    return undefined;
  };

  const routes = compileRoutes([
    { method: 'POST', template: '/v2/entities/search', handler: (c) => searchEntities(o.state, c) },
    { method: 'GET', template: '/v2/entities', handler: (c) => listEntities(o.state, c) },
    { method: 'GET', template: '/v2/entities/{id}', handler: (c) => getEntity(o.state, c) },
    { method: 'GET', template: '/v2/entities/{id}/relationships', handler: (c) => listRelationships(o.state, c) },
    { method: 'GET', template: '/v2/notes', handler: (c) => listNotes(o.state, c) },
    { method: 'GET', template: '/v2/notes/{id}', handler: (c) => getNote(o.state, c) },
    { method: 'GET', template: '/v2/notes/{id}/relationships', handler: (c) => listNoteRelationships(o.state, c) },
  ]);

  return startService({
    service: 'productboard',
    match: routes,
    log: o.log,
    latencyMs: o.latencyMs,
    faults: o.faults,
    guard,
    notFound: () =>
      json(404, pbError('route.notFound', 'Route not found', 'The requested URL path does not match any defined API route.')),
    methodNotAllowed: (c) => json(405, pbError('method.notAllowed', 'Method not allowed', `${c.method} is not supported on ${c.path} by the sandbox.`)),
    internalError: (err) => json(500, pbError('internal.error', 'Internal server error', err instanceof Error ? err.message : String(err))),
    decorate: (call, res) => {
      if (o.enforceRateLimits && res.status !== 429) {
        res.headers = { ...(res.headers ?? {}), 'X-RateLimit-Limit': String(PB_RATE_LIMIT), 'X-RateLimit-Remaining': String(windowFor(o.token).remaining(call.now)) };
      }
    },
  });
}
