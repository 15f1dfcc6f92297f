import type { FaultInjector } from '../kit/faults.js';
import { json, type Call, type SimResponse } from '../kit/http.js';
import type { RequestLogEntry } from '../kit/request-log.js';
import { compileRoutes } from '../kit/router.js';
import { startService, type GuardResult, type HostedService } from '../kit/service-host.js';
import { ISSUE_TYPES, STATUS_CATEGORIES } from './catalog.js';
import { jiraError } from './errors.js';
import * as issues from './issue-handlers.js';
import { JiraLimiter } from './limits.js';
import * as properties from './property-handlers.js';
import * as remoteLinks from './remote-link-handlers.js';
import { issueTypesJson, projectJson, statusCategoryJson } from './render.js';
import { approximateCount, searchJql } from './search.js';
import type { JiraState } from './state.js';
import * as transitions from './transition-handlers.js';

// Jira Cloud REST v3 simulator (https://developer.atlassian.com/cloud/jira/platform/rest/v3/): the endpoints
// jira.js 5 `Version3Client` calls for the sync.

export interface JiraServerOptions {
  state: JiraState;
  email: string;
  apiToken: string;
  accountId: string;
  log: RequestLogEntry[];
  latencyMs: number;
  enforceRateLimits: boolean;
  searchLagMs: number;
  faults: FaultInjector;
}

// The old search endpoints were shut down and now answer 410 (https://developer.atlassian.com/changelog/#CHANGE-2046).
const SEARCH_REMOVED =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

export async function startJiraServer(o: JiraServerOptions): Promise<HostedService> {
  const state = o.state;
  const limiter = new JiraLimiter(state);
  const expectedAuth = `Basic ${Buffer.from(`${o.email}:${o.apiToken}`).toString('base64')}`;
  const search = { searchLagMs: o.searchLagMs };

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

  const routes = compileRoutes([
    {
      method: 'GET',
      template: '/rest/api/3/myself',
      handler: (c) =>
        json(200, {
          self: `${c.baseUrl}/rest/api/3/user?accountId=${o.accountId}`,
          accountId: o.accountId,
          accountType: 'atlassian',
          emailAddress: o.email,
          displayName: 'PB Sync Bot (sandbox)',
          active: true,
          timeZone: 'UTC',
          locale: 'en_US',
        }),
    },
    {
      method: 'GET',
      template: '/rest/api/3/project/{projectIdOrKey}',
      handler: (c) => {
        const ref = c.params['projectIdOrKey'] ?? '';
        if (!state.isProject(ref)) return jiraError(404, [`No project could be found with key '${ref}'.`]);
        return json(200, { ...projectJson(c.baseUrl, state), style: 'classic', isPrivate: false, issueTypes: issueTypesJson(c.baseUrl) });
      },
    },
    {
      method: 'GET',
      template: '/rest/api/3/issuetype/project',
      handler: (c) => {
        const pid = c.query.get('projectId');
        if (pid === null || pid === '') return jiraError(400, ["The 'projectId' parameter is required."]);
        if (pid !== state.project.id) return jiraError(404, [`No project could be found with id '${pid}'.`]);
        const level = c.query.get('level');
        const types = issueTypesJson(c.baseUrl).filter((_, i) => level === null || String(ISSUE_TYPES[i]?.hierarchyLevel) === level);
        return json(200, types);
      },
    },
    {
      method: 'GET',
      template: '/rest/api/3/statuscategory',
      handler: (c) =>
        json(
          200,
          STATUS_CATEGORIES.map((s) => statusCategoryJson(c.baseUrl, s.key)),
        ),
    },
    { method: 'POST', template: '/rest/api/3/issue', handler: (c) => issues.createIssue(state, c) },
    { method: 'POST', template: '/rest/api/3/issue/bulk', handler: (c) => issues.createIssues(state, c) },
    { method: 'POST', template: '/rest/api/3/issue/bulkfetch', handler: (c) => issues.bulkFetch(state, c) },
    { method: 'GET', template: '/rest/api/3/issue/{id}', handler: (c) => issues.getIssue(state, c) },
    { method: 'PUT', template: '/rest/api/3/issue/{id}', handler: (c) => issues.editIssue(state, c) },
    { method: 'DELETE', template: '/rest/api/3/issue/{id}', handler: (c) => issues.deleteIssue(state, c) },
    { method: 'GET', template: '/rest/api/3/issue/{id}/properties', handler: (c) => properties.listProperties(state, c) },
    { method: 'GET', template: '/rest/api/3/issue/{id}/properties/{key}', handler: (c) => properties.getProperty(state, c) },
    { method: 'PUT', template: '/rest/api/3/issue/{id}/properties/{key}', handler: (c) => properties.setProperty(state, c) },
    { method: 'DELETE', template: '/rest/api/3/issue/{id}/properties/{key}', handler: (c) => properties.deleteProperty(state, c) },
    { method: 'GET', template: '/rest/api/3/issue/{id}/remotelink', handler: (c) => remoteLinks.getRemoteLinks(state, c) },
    { method: 'POST', template: '/rest/api/3/issue/{id}/remotelink', handler: (c) => remoteLinks.upsertRemoteLink(state, c) },
    { method: 'DELETE', template: '/rest/api/3/issue/{id}/remotelink', handler: (c) => remoteLinks.deleteRemoteLinks(state, c) },
    { method: 'GET', template: '/rest/api/3/issue/{id}/remotelink/{linkId}', handler: (c) => remoteLinks.getRemoteLink(state, c) },
    { method: 'DELETE', template: '/rest/api/3/issue/{id}/remotelink/{linkId}', handler: (c) => remoteLinks.deleteRemoteLink(state, c) },
    { method: 'GET', template: '/rest/api/3/issue/{id}/transitions', handler: (c) => transitions.getTransitions(state, c) },
    { method: 'POST', template: '/rest/api/3/issue/{id}/transitions', handler: (c) => transitions.doTransition(state, c) },
    { method: 'GET', template: '/rest/api/3/search/jql', handler: (c) => searchJql(state, c, search) },
    { method: 'POST', template: '/rest/api/3/search/jql', handler: (c) => searchJql(state, c, search) },
    { method: 'POST', template: '/rest/api/3/search/approximate-count', handler: (c) => approximateCount(state, c, search) },
    { method: 'GET', template: '/rest/api/3/search', handler: () => jiraError(410, [SEARCH_REMOVED]) },
    { method: 'POST', template: '/rest/api/3/search', handler: () => jiraError(410, [SEARCH_REMOVED]) },
  ]);

  return startService({
    service: 'jira',
    match: routes,
    log: o.log,
    latencyMs: o.latencyMs,
    faults: o.faults,
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
