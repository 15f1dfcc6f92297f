import { isRecord, json, type Call, type SimResponse } from '../kit/http.js';
import { jiraError } from './errors.js';
import { remoteLinkJson, remoteLinkSelf } from './render.js';
import { jiraBody, mustIssue } from './request.js';
import type { IssueRec, JiraState, RemoteLinkRec } from './state.js';

// Remote issue links (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-remote-links/).

const noLinkWithGlobalId = (r: IssueRec, globalId: string): SimResponse =>
  jiraError(404, [`No remote link with global id '${globalId}' exists on issue ${r.key}.`]);
const noLinkWithId = (): SimResponse => jiraError(404, ['No remote link with that id exists on this issue.']);

/** Upsert by globalId: an existing link with that globalId is replaced, and omitted fields become null. */
export function upsertRemoteLink(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const body = jiraBody(call);
  if (!isRecord(body)) return jiraError(400, ['The request body must be a JSON object.']);
  const parsed = parseRemoteLink(body);
  if ('errors' in parsed) return jiraError(400, [], parsed.errors);
  const next = parsed.link;
  const existing = next.globalId === null ? undefined : r.remoteLinks.find((l) => l.globalId === next.globalId);
  const link = existing ? Object.assign(existing, next) : { id: state.allocateLinkId(), ...next };
  if (!existing) r.remoteLinks.push(link);
  return json(existing ? 200 : 201, { id: link.id, self: remoteLinkSelf(call.baseUrl, r.id, link.id) });
}

function parseRemoteLink(body: Record<string, unknown>): { link: Omit<RemoteLinkRec, 'id'> } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const obj = body['object'];
  if (!isRecord(obj)) errors['object'] = "'object' is required.";
  else {
    if (typeof obj['url'] !== 'string' || obj['url'] === '') errors['url'] = "'url' is required.";
    if (typeof obj['title'] !== 'string' || obj['title'] === '') errors['title'] = "'title' is required.";
  }
  const globalId = body['globalId'];
  if (globalId !== undefined && globalId !== null && (typeof globalId !== 'string' || globalId.length > 255)) {
    errors['globalId'] = 'globalId must be a string of at most 255 characters.';
  }
  const application = body['application'];
  if (application !== undefined && application !== null && !isRecord(application)) errors['application'] = 'data was not an object';
  const relationship = body['relationship'];
  if (relationship !== undefined && relationship !== null && typeof relationship !== 'string')
    errors['relationship'] = 'data was not a string';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    link: {
      globalId: typeof globalId === 'string' ? globalId : null,
      application: isRecord(application) ? structuredClone(application) : null,
      relationship: typeof relationship === 'string' ? relationship : null,
      object: structuredClone(obj as Record<string, unknown>),
    },
  };
}

export function getRemoteLinks(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const globalId = call.query.get('globalId');
  if (globalId !== null) {
    const l = r.remoteLinks.find((x) => x.globalId === globalId);
    return l ? json(200, remoteLinkJson(call.baseUrl, r.id, l)) : noLinkWithGlobalId(r, globalId);
  }
  return json(
    200,
    r.remoteLinks.map((l) => remoteLinkJson(call.baseUrl, r.id, l)),
  );
}

export function getRemoteLink(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const l = r.remoteLinks.find((x) => String(x.id) === call.params['linkId']);
  return l ? json(200, remoteLinkJson(call.baseUrl, r.id, l)) : noLinkWithId();
}

export function deleteRemoteLinks(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const globalId = call.query.get('globalId');
  if (globalId === null) return jiraError(400, ['The globalId parameter is required.']);
  return removeLinks(r, (l) => l.globalId === globalId) ? { status: 204 } : noLinkWithGlobalId(r, globalId);
}

export function deleteRemoteLink(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  return removeLinks(r, (l) => String(l.id) === call.params['linkId']) ? { status: 204 } : noLinkWithId();
}

/** Removes the matching links; false when there was none. */
function removeLinks(r: IssueRec, doomed: (l: RemoteLinkRec) => boolean): boolean {
  const before = r.remoteLinks.length;
  r.remoteLinks = r.remoteLinks.filter((l) => !doomed(l));
  return r.remoteLinks.length !== before;
}
