import type { SandboxClock } from '../kit/clock.js';
import type { ContractGate } from '../kit/contract/sandbox-contract.js';
import type { FaultInjector } from '../kit/faults.js';
import type { Call } from '../kit/http.js';
import { getOrCreate } from '../kit/maps.js';
import { SlidingWindow } from '../kit/rate-limit.js';
import type { RequestLogEntry } from '../kit/request-log.js';
import { compileRoutes, type Handler } from '../kit/router.js';
import { startService, type GuardResult, type HostedService } from '../kit/service-host.js';
import type { PbScope } from './behaviour.js';
import { getConfiguration, listConfigurations, listFieldValues } from './configuration-handlers.js';
import { getEntity, listEntities, listRelationships, searchEntities } from './entity-handlers.js';
import { updateEntity } from './entity-update.js';
import { insufficientScope, PB_RATE_LIMIT, pbErrorResponse, tooManyRequests } from './errors.js';
import { getJiraConnection, getJiraIntegration, listJiraConnections, listJiraIntegrations } from './jira-integration-handlers.js';
import { getNote, listNoteRelationships, listNotes } from './note-handlers.js';
import { peopleRoutes } from './people-api.js';
import * as plugins from './plugin-handlers.js';
import type { PbState } from './state.js';

// Productboard API v2 simulator (https://developer.productboard.com/v2.0.0/reference): reads of entities and notes,
// the workspace configuration, entity updates, plugin integrations and the native Jira integration's connections.
// Each route carries the scope its operation's `security` names; a token without it gets a 403.

export interface PbServerOptions {
  state: PbState;
  token: string;
  log: RequestLogEntry[];
  clock: SandboxClock;
  latencyMs: number;
  enforceRateLimits: boolean;
  faults: FaultInjector;
  contract?: ContractGate;
}

interface ApiRoute {
  method: string;
  template: string;
  scope: PbScope;
  handler: Handler;
}

function apiRoutes(s: PbState): ApiRoute[] {
  const route = (
    method: string,
    template: string,
    scope: PbScope,
    handler: (state: PbState, call: Call) => ReturnType<Handler>,
  ): ApiRoute => ({
    method,
    template,
    scope,
    handler: (call) => handler(s, call),
  });
  return [
    route('GET', '/v2/entities/configurations', 'entities:read', listConfigurations),
    route('GET', '/v2/entities/configurations/{type}', 'entities:read', getConfiguration),
    route('GET', '/v2/entities/fields/{id}/values', 'entities:read', listFieldValues),
    route('POST', '/v2/entities/search', 'entities:read', searchEntities),
    route('GET', '/v2/entities', 'entities:read', listEntities),
    route('GET', '/v2/entities/{id}', 'entities:read', getEntity),
    route('PATCH', '/v2/entities/{id}', 'entities:write', updateEntity),
    route('GET', '/v2/entities/{id}/relationships', 'entities:read', listRelationships),
    route('GET', '/v2/notes', 'notes:read', listNotes),
    route('GET', '/v2/notes/{id}', 'notes:read', getNote),
    route('GET', '/v2/notes/{id}/relationships', 'notes:read', listNoteRelationships),
    route('POST', '/v2/plugin-integrations', 'plugin-integrations:write', plugins.createIntegration),
    route('GET', '/v2/plugin-integrations', 'plugin-integrations:read', plugins.listIntegrations),
    route('GET', '/v2/plugin-integrations/{integrationId}', 'plugin-integrations:read', plugins.getIntegration),
    route('PATCH', '/v2/plugin-integrations/{integrationId}', 'plugin-integrations:write', plugins.updateIntegration),
    route('DELETE', '/v2/plugin-integrations/{integrationId}', 'plugin-integrations:delete', plugins.deleteIntegration),
    route('GET', '/v2/plugin-integrations/{integrationId}/connections', 'plugin-integrations:read', plugins.listConnections),
    route('POST', '/v2/plugin-integrations/{integrationId}/connections/search', 'plugin-integrations:read', plugins.searchConnections),
    route('GET', '/v2/plugin-integrations/{integrationId}/connections/{entityId}', 'plugin-integrations:read', plugins.getConnection),
    route('PUT', '/v2/plugin-integrations/{integrationId}/connections/{entityId}', 'plugin-integrations:write', plugins.putConnection),
    route(
      'DELETE',
      '/v2/plugin-integrations/{integrationId}/connections/{entityId}',
      'plugin-integrations:write',
      plugins.deleteConnection,
    ),
    route('GET', '/v2/jira-integrations', 'jira-integrations:read', listJiraIntegrations),
    route('GET', '/v2/jira-integrations/{integrationId}', 'jira-integrations:read', getJiraIntegration),
    route('GET', '/v2/jira-integrations/{integrationId}/connections', 'jira-integrations:read', listJiraConnections),
    route('GET', '/v2/jira-integrations/{integrationId}/connections/{entityId}', 'jira-integrations:read', getJiraConnection),
  ];
}

/** Where a request goes: Productboard's API, or the people's write API under /_sandbox/ (people-api.ts). */
const isApiPath = (path: string): boolean => path === '/v2' || path.startsWith('/v2/');
const isPeoplePath = (path: string): boolean => path.startsWith('/_sandbox/');

export async function startPbServer(o: PbServerOptions): Promise<HostedService> {
  // One sliding 1 s window per access token.
  const windows = new Map<string, SlidingWindow>();
  const windowFor = (token: string): SlidingWindow => getOrCreate(windows, token, () => new SlidingWindow(PB_RATE_LIMIT, 1000));
  const api = apiRoutes(o.state);
  const scopes = new Map(api.map((r) => [`${r.method} ${r.template}`, r.scope]));

  const guard = (call: Call): GuardResult | undefined => {
    if (!isApiPath(call.path) && !isPeoplePath(call.path)) {
      // The engine targets v2 only; v1 was deprecated on 2026-04-09 and switched off on 2026-07-08.
      const detail = 'Productboard API v1 has been retired. Use the /v2 endpoints (see the v1→v2 migration guide).';
      return { response: pbErrorResponse(410, 'api.versionRetired', 'API version retired', detail) };
    }
    const auth = call.headers.authorization;
    if (auth !== `Bearer ${o.token}`) {
      const detail = auth ? 'The provided access token is invalid or has expired.' : 'Authentication credentials are missing.';
      return { response: pbErrorResponse(401, 'authentication.failed', 'Unauthorized', detail) };
    }
    const scope = scopes.get(call.route);
    if (scope !== undefined && !o.state.behaviour.tokenScopes.includes(scope)) return { response: insufficientScope(scope) };
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

  const routes = compileRoutes([...api.map(({ method, template, handler }) => ({ method, template, handler })), ...peopleRoutes(o.state)]);

  return startService({
    service: 'productboard',
    match: routes,
    log: o.log,
    clock: o.clock,
    latencyMs: o.latencyMs,
    faults: o.faults,
    contract: o.contract,
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
