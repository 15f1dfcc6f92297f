import { json, type Call, type SimResponse } from '../kit/http.js';
import type { UserRec } from './directory.js';
import { jiraError } from './errors.js';
import { offsetOf } from './paging.js';
import type { JiraState } from './state.js';
import { userJson } from './value-json.js';

// GET /rest/api/3/user/search (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-user-search/):
// active users whose display name or email address starts with `query` (any case; a word of the display name counts),
// or the one user with `accountId`. An email the person hides is neither shown nor matched
// (https://developer.atlassian.com/cloud/jira/platform/profile-visibility/).

function matches(u: UserRec, query: string): boolean {
  const q = query.toLowerCase();
  const name = u.displayName.toLowerCase();
  return name.startsWith(q) || name.split(/\s+/).some((w) => w.startsWith(q)) || (u.emailVisible && u.email.toLowerCase().startsWith(q));
}

export function searchUsers(state: JiraState, call: Call): SimResponse {
  const query = call.query.get('query');
  const accountId = call.query.get('accountId');
  const property = call.query.get('property');
  if (!query && !accountId && !property) return jiraError(400, ["One of 'query', 'accountId' or 'property' must be provided."]);
  if (query && accountId) return jiraError(400, ["The 'query' and 'accountId' parameters cannot be used together."]);
  // User properties are not modelled: a property search finds nobody.
  if (property && !query && !accountId) return json(200, []);
  const o = offsetOf(call);
  const found = state.directory.listUsers().filter((u) => u.active && (accountId ? u.accountId === accountId : matches(u, query ?? '')));
  return json(
    200,
    found.slice(o.startAt, o.startAt + o.maxResults).map((u) => userJson(call.baseUrl, u)),
  );
}
