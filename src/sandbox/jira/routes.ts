import { routeMatches } from '../kit/faults.js';
import { json, type Call, type SimResponse } from '../kit/http.js';
import type { RouteDef } from '../kit/router.js';
import * as componentsVersions from './component-version-handlers.js';
import { JIRA_FAULT_RESPONSES, jiraError } from './errors.js';
import * as issues from './issue-handlers.js';
import * as links from './link-handlers.js';
import * as meta from './meta-handlers.js';
import { deleteProperty, getProperty, issueOwner, listProperties, projectOwner, setProperty } from './property-handlers.js';
import * as remoteLinks from './remote-link-handlers.js';
import { approximateCount, searchJql, type SearchOptions } from './search.js';
import type { JiraState } from './state.js';
import * as transitions from './transition-handlers.js';
import { searchUsers } from './user-handlers.js';

// The operations the Jira simulator serves, one per line, each named as the platform REST v3 reference names its path
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/).

/** What every handler may need: the project and site, who the token belongs to, and the search index's lag. */
export interface JiraContext {
  state: JiraState;
  accountId: string;
  email: string;
  search: SearchOptions;
}

type JiraHandler = (x: JiraContext, call: Call) => SimResponse;

// The old search endpoints were shut down and now answer 410 (https://developer.atlassian.com/changelog/#CHANGE-2046).
const SEARCH_REMOVED =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

const myself: JiraHandler = (x, c) =>
  json(200, {
    self: `${c.baseUrl}/rest/api/3/user?accountId=${x.accountId}`,
    accountId: x.accountId,
    accountType: 'atlassian',
    emailAddress: x.email,
    displayName: 'PB Sync Bot (sandbox)',
    active: true,
    timeZone: 'UTC',
    locale: 'en_US',
  });

const P = '/rest/api/3';
const ROUTES: ReadonlyArray<readonly [string, string, JiraHandler]> = [
  ['GET', `${P}/myself`, myself],
  ['GET', `${P}/project/{projectIdOrKey}`, (x, c) => meta.getProject(x.state, c)],
  ['GET', `${P}/issuetype/project`, (x, c) => meta.projectIssueTypes(x.state, c)],
  ['GET', `${P}/statuscategory`, (_, c) => meta.listStatusCategories(c)],
  ['POST', `${P}/issue`, (x, c) => issues.createIssue(x.state, c)],
  ['POST', `${P}/issue/bulk`, (x, c) => issues.createIssues(x.state, c)],
  ['POST', `${P}/issue/bulkfetch`, (x, c) => issues.bulkFetch(x.state, c)],
  ['GET', `${P}/issue/{id}`, (x, c) => issues.getIssue(x.state, c)],
  ['PUT', `${P}/issue/{id}`, (x, c) => issues.editIssue(x.state, c)],
  ['DELETE', `${P}/issue/{id}`, (x, c) => issues.deleteIssue(x.state, c)],
  ['GET', `${P}/issue/{id}/properties`, (x, c) => listProperties(issueOwner, x.state, c)],
  ['GET', `${P}/issue/{id}/properties/{key}`, (x, c) => getProperty(issueOwner, x.state, c)],
  ['PUT', `${P}/issue/{id}/properties/{key}`, (x, c) => setProperty(issueOwner, x.state, c)],
  ['DELETE', `${P}/issue/{id}/properties/{key}`, (x, c) => deleteProperty(issueOwner, x.state, c)],
  ['GET', `${P}/issue/{id}/remotelink`, (x, c) => remoteLinks.getRemoteLinks(x.state, c)],
  ['POST', `${P}/issue/{id}/remotelink`, (x, c) => remoteLinks.upsertRemoteLink(x.state, c)],
  ['DELETE', `${P}/issue/{id}/remotelink`, (x, c) => remoteLinks.deleteRemoteLinks(x.state, c)],
  ['GET', `${P}/issue/{id}/remotelink/{linkId}`, (x, c) => remoteLinks.getRemoteLink(x.state, c)],
  ['DELETE', `${P}/issue/{id}/remotelink/{linkId}`, (x, c) => remoteLinks.deleteRemoteLink(x.state, c)],
  ['GET', `${P}/issue/{id}/transitions`, (x, c) => transitions.getTransitions(x.state, c)],
  ['POST', `${P}/issue/{id}/transitions`, (x, c) => transitions.doTransition(x.state, c)],
  ['GET', `${P}/search/jql`, (x, c) => searchJql(x.state, c, x.search)],
  ['POST', `${P}/search/jql`, (x, c) => searchJql(x.state, c, x.search)],
  ['POST', `${P}/search/approximate-count`, (x, c) => approximateCount(x.state, c, x.search)],
  ['GET', `${P}/search`, () => jiraError(410, [SEARCH_REMOVED])],
  ['POST', `${P}/search`, () => jiraError(410, [SEARCH_REMOVED])],
  // The site's configuration.
  ['GET', `${P}/issue/createmeta/{projectIdOrKey}/issuetypes`, (x, c) => meta.createMetaIssueTypes(x.state, c)],
  ['GET', `${P}/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}`, (x, c) => meta.createMetaFields(x.state, c)],
  ['GET', `${P}/field`, (x) => meta.listFields(x.state)],
  ['GET', `${P}/priority`, (x, c) => meta.listPriorities(x.state, c)],
  ['GET', `${P}/priority/search`, (x, c) => meta.searchPriorities(x.state, c)],
  ['GET', `${P}/status`, (x, c) => meta.listStatuses(x.state, c)],
  ['GET', `${P}/project/{projectIdOrKey}/statuses`, (x, c) => meta.projectStatuses(x.state, c)],
  ['GET', `${P}/issueLinkType`, (x, c) => meta.listLinkTypes(x.state, c)],
  // Project data.
  ['GET', `${P}/project/{projectIdOrKey}/components`, (x, c) => componentsVersions.listComponents(x.state, c)],
  ['GET', `${P}/project/{projectIdOrKey}/component`, (x, c) => componentsVersions.pageComponents(x.state, c)],
  ['POST', `${P}/component`, (x, c) => componentsVersions.createComponent(x.state, c)],
  ['GET', `${P}/project/{projectIdOrKey}/versions`, (x, c) => componentsVersions.listVersions(x.state, c)],
  ['GET', `${P}/project/{projectIdOrKey}/version`, (x, c) => componentsVersions.pageVersions(x.state, c)],
  ['POST', `${P}/version`, (x, c) => componentsVersions.createVersion(x.state, c)],
  ['GET', `${P}/project/{projectIdOrKey}/properties`, (x, c) => listProperties(projectOwner, x.state, c)],
  ['GET', `${P}/project/{projectIdOrKey}/properties/{key}`, (x, c) => getProperty(projectOwner, x.state, c)],
  ['PUT', `${P}/project/{projectIdOrKey}/properties/{key}`, (x, c) => setProperty(projectOwner, x.state, c)],
  ['DELETE', `${P}/project/{projectIdOrKey}/properties/{key}`, (x, c) => deleteProperty(projectOwner, x.state, c)],
  ['GET', `${P}/user/search`, (x, c) => searchUsers(x.state, c)],
  ['POST', `${P}/issueLink`, (x, c) => links.linkIssues(x.state, c)],
  ['GET', `${P}/issueLink/{linkId}`, (x, c) => links.getIssueLink(x.state, c)],
  ['DELETE', `${P}/issueLink/{linkId}`, (x, c) => links.deleteIssueLink(x.state, c)],
];

/** The routes bound to one sandbox's context. */
export function jiraRoutes(x: JiraContext): RouteDef[] {
  return ROUTES.map(([method, template, handle]) => ({
    method,
    template,
    handler: (call) => answering503AfterWrite(x.state, call, handle(x, call)),
  }));
}

/**
 * Behaviour `answer503AfterWrite`: a successful answer on the named route is replaced by a 503 after the request was
 * processed, so the write happened but the client cannot know (a gateway timing out after the write).
 */
function answering503AfterWrite(state: JiraState, call: Call, res: SimResponse): SimResponse {
  const after = state.behaviour.answer503AfterWrite;
  if (!after || after.count <= 0 || res.status >= 300 || !routeMatches(after.route, call.route)) return res;
  after.count -= 1;
  return JIRA_FAULT_RESPONSES.unavailable({});
}
