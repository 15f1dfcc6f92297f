import type { FaultInjector } from '../kit/faults.js';
import type { Call } from '../kit/http.js';
import { getOrCreate } from '../kit/maps.js';
import { SlidingWindow } from '../kit/rate-limit.js';
import type { RequestLogEntry } from '../kit/request-log.js';
import { compileRoutes } from '../kit/router.js';
import { startService, type GuardResult, type HostedService } from '../kit/service-host.js';
import { getEntity, listEntities, listRelationships, searchEntities } from './entity-handlers.js';
import { PB_RATE_LIMIT, pbErrorResponse, tooManyRequests } from './errors.js';
import { getNote, listNoteRelationships, listNotes } from './note-handlers.js';
import type { PbState } from './state.js';

// Productboard API v2 simulator (https://developer.productboard.com/v2.0.0/reference). Read-only: the engine only
// reads Productboard.

export interface PbServerOptions {
  state: PbState;
  token: string;
  log: RequestLogEntry[];
  latencyMs: number;
  enforceRateLimits: boolean;
  faults: FaultInjector;
}

export async function startPbServer(o: PbServerOptions): Promise<HostedService> {
  // One sliding 1 s window per access token.
  const windows = new Map<string, SlidingWindow>();
  const windowFor = (token: string): SlidingWindow => getOrCreate(windows, token, () => new SlidingWindow(PB_RATE_LIMIT, 1000));

  const guard = (call: Call): GuardResult | undefined => {
    if (call.path !== '/v2' && !call.path.startsWith('/v2/')) {
      // The engine targets v2 only; v1 was deprecated on 2026-04-09 and switched off on 2026-07-08.
      const detail = 'Productboard API v1 has been retired. Use the /v2 endpoints (see the v1→v2 migration guide).';
      return { response: pbErrorResponse(410, 'api.versionRetired', 'API version retired', detail) };
    }
    const auth = call.headers.authorization;
    if (auth !== `Bearer ${o.token}`) {
      const detail = auth ? 'The provided access token is invalid or has expired.' : 'Authentication credentials are missing.';
      return { response: pbErrorResponse(401, 'authentication.failed', 'Unauthorized', detail) };
    }
    if (o.enforceRateLimits) {
      const w = windowFor(o.token);
      if (!w.tryHit(call.now)) {
        const retryAfter = Math.max(1, Math.ceil(w.msUntilFree(call.now) / 1000));
        return {
          fault: 'rateLimit',
          response: tooManyRequests(retryAfter, `More than ${PB_RATE_LIMIT} requests per second for this token.`),
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
      pbErrorResponse(404, 'route.notFound', 'Route not found', 'The requested URL path does not match any defined API route.'),
    methodNotAllowed: (c) =>
      pbErrorResponse(405, 'method.notAllowed', 'Method not allowed', `${c.method} is not supported on ${c.path} by the sandbox.`),
    internalError: (err) =>
      pbErrorResponse(500, 'internal.error', 'Internal server error', err instanceof Error ? err.message : String(err)),
    decorate: (call, res) => {
      if (o.enforceRateLimits && res.status !== 429) {
        const remaining = String(windowFor(o.token).remaining(call.now));
        res.headers = { ...(res.headers ?? {}), 'X-RateLimit-Limit': String(PB_RATE_LIMIT), 'X-RateLimit-Remaining': remaining };
      }
    },
  });
}
