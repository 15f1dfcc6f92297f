import { isRecord, json, SimError, type Call, type SimResponse } from '../kit/http.js';
import { jiraError } from './errors.js';
import type { IssueLinkRec } from './links.js';
import { linkedIssueJson, linkTypeJson } from './render.js';
import { jiraBody } from './request.js';
import type { IssueRec, JiraState } from './state.js';

// Issue links (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-links/). In a request and in
// an IssueLink, `inwardIssue` is the issue the link starts from and `outwardIssue` the one it points to: linking
// inwardIssue A and outwardIssue B with "Blocks" reads "A blocks B", and B's `fields.issuelinks` shows A as its
// `inwardIssue` ("is blocked by A") (https://developer.atlassian.com/cloud/jira/platform/issue-linking-model/; the
// direction is observed in https://github.com/atlassian/atlassian-mcp-server/issues/112).

const BODY_KEYS = new Set(['type', 'inwardIssue', 'outwardIssue', 'comment']);
const noIssue = (): SimResponse => jiraError(404, ['Issue does not exist or you do not have permission to see it.']);

function issueRef(state: JiraState, v: unknown, field: string): IssueRec {
  const ref = isRecord(v) ? (v['id'] ?? v['key']) : undefined;
  if (typeof ref !== 'string' && typeof ref !== 'number')
    throw new SimError(jiraError(400, [], { [field]: 'Specify the issue by "id" or "key".' }));
  const r = state.find(String(ref));
  if (!r) throw new SimError(noIssue());
  return r;
}

/** POST /issueLink → 201 with no body; the same link again is answered 201 and not duplicated. */
export function linkIssues(state: JiraState, call: Call): SimResponse {
  const body = jiraBody(call);
  if (!isRecord(body)) return jiraError(400, ['The request body must be a JSON object.']);
  for (const k of Object.keys(body)) if (!BODY_KEYS.has(k)) return jiraError(400, [`Unrecognized field "${k}"`]);
  const t = body['type'];
  if (!isRecord(t) || (t['id'] === undefined && typeof t['name'] !== 'string'))
    return jiraError(400, [], { type: 'Specify the issue link type by "id" or "name".' });
  const type = state.site.linkTypes.find((x) =>
    t['id'] !== undefined ? x.id === String(t['id']) : x.name.toLowerCase() === String(t['name']).toLowerCase(),
  );
  if (!type)
    return jiraError(404, [
      t['id'] !== undefined
        ? `No issue link type with id '${String(t['id'])}' found.`
        : `No issue link type with name '${String(t['name'])}' found.`,
    ]);
  const source = issueRef(state, body['inwardIssue'], 'inwardIssue');
  const destination = issueRef(state, body['outwardIssue'], 'outwardIssue');
  if (source.id === destination.id) return jiraError(400, ['You cannot link an issue to itself.']);
  state.links.add(type.id, source.id, destination.id);
  return { status: 201 };
}

function mustLink(state: JiraState, call: Call): IssueLinkRec {
  const id = call.params['linkId'] ?? '';
  if (!/^\d+$/.test(id)) throw new SimError(jiraError(400, [`The issue link id '${id}' is invalid.`]));
  const link = state.links.get(id);
  if (!link) throw new SimError(jiraError(404, [`No issue link with id '${id}' exists.`]));
  return link;
}

/** GET /issueLink/{linkId}: IssueLink with both ends. */
export function getIssueLink(state: JiraState, call: Call): SimResponse {
  const l = mustLink(state, call);
  const type = state.site.linkTypes.find((t) => t.id === l.typeId);
  const source = state.find(l.sourceId);
  const destination = state.find(l.destinationId);
  if (!type || !source || !destination) return noIssue();
  return json(200, {
    id: l.id,
    self: `${call.baseUrl}/rest/api/3/issueLink/${l.id}`,
    type: linkTypeJson(call.baseUrl, type),
    inwardIssue: linkedIssueJson(state, call.baseUrl, source),
    outwardIssue: linkedIssueJson(state, call.baseUrl, destination),
  });
}

export function deleteIssueLink(state: JiraState, call: Call): SimResponse {
  state.links.remove(mustLink(state, call).id);
  return { status: 204 };
}
