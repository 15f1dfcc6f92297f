import type { SandboxClock } from '../kit/clock.js';
import type { ContractGate } from '../kit/contract/sandbox-contract.js';
import type { FaultInjector } from '../kit/faults.js';
import type { Call, SimResponse } from '../kit/http.js';
import type { RequestLogEntry } from '../kit/request-log.js';
import { compileRoutes } from '../kit/router.js';
import { startService, type GuardResult, type HostedService } from '../kit/service-host.js';
import { jiraError } from './errors.js';
import { JiraLimiter } from './limits.js';
import { jiraRoutes } from './routes.js';
import type { JiraState } from './state.js';

// Jira Cloud REST v3 simulator (https://developer.atlassian.com/cloud/jira/platform/rest/v3/): basic auth, rate limits
// and the operations of routes.ts (those jira.js 5 `Version3Client` calls for the sync, and those that read or extend
// the site's configuration: create metadata, fields, priorities, components, versions, users, project properties,
// issue links).

export interface JiraServerOptions {
  state: JiraState;
  email: string;
  apiToken: string;
  accountId: string;
  log: RequestLogEntry[];
  clock: SandboxClock;
  latencyMs: number;
  enforceRateLimits: boolean;
  searchLagMs: number;
  faults: FaultInjector;
  contract?: ContractGate;
}

export async function startJiraServer(o: JiraServerOptions): Promise<HostedService> {
  const state = o.state;
  const limiter = new JiraLimiter(state);
  const expectedAuth = `Basic ${Buffer.from(`${o.email}:${o.apiToken}`).toString('base64')}`;

  const guard = (call: Call): GuardResult | undefined => {
    if (call.headers.authorization !== expectedAuth) {
      return { response: jiraError(401, ['Client must be authenticated to access this resource.']) };
    }
    if (o.enforceRateLimits) {
      const limited = limiter.check(call);
      if (limited) return { response: limited, fault: 'rateLimit' };
    }
    return undefined;
  };

  const routes = compileRoutes(jiraRoutes({ state, accountId: o.accountId, email: o.email, search: { searchLagMs: o.searchLagMs } }));

  return startService({
    service: 'jira',
    match: routes,
    log: o.log,
    clock: o.clock,
    latencyMs: o.latencyMs,
    faults: o.faults,
    contract: o.contract,
    guard,
    notFound: (c) => jiraError(404, [`null for uri: ${c.baseUrl}${c.path}`]),
    methodNotAllowed: (c, allowed): SimResponse => ({
      ...jiraError(405, [`Method ${c.method} is not allowed here (allowed: ${allowed.join(', ')}).`]),
      headers: { Allow: allowed.join(', ') },
    }),
    internalError: (err) => jiraError(500, [`Internal server error: ${err instanceof Error ? err.message : String(err)}`]),
    // Jira returns the caller's account id on every authenticated response (header X-AAccountId).
    decorate: (_call, res) => {
      if (res.status !== 401) res.headers = { ...(res.headers ?? {}), 'X-AAccountId': o.accountId };
    },
  });
}
