import { isRecord, json, SimError, type Call, type SimResponse } from '../kit/http.js';
import { TRANSITIONS } from './catalog.js';
import { jiraError } from './errors.js';
import { jiraBody, mustIssue } from './request.js';
import { issueSelf, parseFieldSet, remoteLinkJson, renderIssue, toList, transitionsJson } from './render.js';
import type { IssueDraft, JiraState, RemoteLinkRec } from './state.js';
import { propertyValueProblem, validateCreate, validateEdit, type ErrorCollection } from './validate.js';

// Issue endpoints of Jira Cloud REST v3 (jira-api.md §2, §5, §6).

const MAX_BULK_CREATE = 50;
const MAX_BULK_FETCH = 100;
const MAX_PROPERTIES = 5;

export function createIssue(state: JiraState, call: Call): SimResponse {
  const body = jiraBody(call);
  const v = validateCreate(body, state);
  if (!v.ok) return json(400, v.errors);
  const rec = state.insert(v.value, call.now);
  const out: Record<string, unknown> = { id: rec.id, key: rec.key, self: issueSelf(call.baseUrl, rec.id) };
  if (isRecord(body) && isRecord(body['transition'])) out['transition'] = { status: 200, errorCollection: { errorMessages: [], errors: {} } };
  return json(201, out);
}

/**
 * Partial success is normal: 201 when any item was created, 400 (same body shape) only when all failed
 * (jira-api.md §2). Items are validated against the state *before* the batch, so a child cannot reference a
 * parent created in the same call.
 */
export function createIssues(state: JiraState, call: Call): SimResponse {
  const body = jiraBody(call);
  const updates = isRecord(body) ? body['issueUpdates'] : undefined;
  if (!Array.isArray(updates)) return jiraError(400, ['Field issueUpdates is required and must be an array.']);
  if (updates.length === 0) return jiraError(400, ['Nothing to create: issueUpdates is empty.']);
  if (updates.length > MAX_BULK_CREATE) {
    return jiraError(400, [`The number of issues to create (${updates.length}) exceeds the limit of ${MAX_BULK_CREATE}.`]);
  }
  const results = updates.map((u) => validateCreate(u, state));
  const issues: Array<Record<string, unknown>> = [];
  const errors: Array<{ status: number; elementErrors: ErrorCollection; failedElementNumber: number }> = [];
  results.forEach((r, i) => {
    if (!r.ok) errors.push({ status: 400, elementErrors: r.errors, failedElementNumber: i });
  });
  for (const r of results) {
    if (!r.ok) continue;
    const draft: IssueDraft = r.value;
    const rec = state.insert(draft, call.now);
    issues.push({ id: rec.id, key: rec.key, self: issueSelf(call.baseUrl, rec.id) });
  }
  return json(issues.length > 0 ? 201 : 400, { issues, errors });
}

function propertiesParam(raw: unknown): string[] | undefined {
  const list = toList(raw);
  if (list.length === 0) return undefined;
  if (list.length > MAX_PROPERTIES && !list.includes('*all')) {
    throw new SimError(jiraError(400, [`You can request at most ${MAX_PROPERTIES} issue properties, got ${list.length}.`]));
  }
  return list;
}

export function getIssue(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const fields = parseFieldSet(call.query.get('fields') ?? undefined, 'all');
  return json(200, renderIssue(state, call.baseUrl, r, fields, propertiesParam(call.query.get('properties') ?? undefined)));
}

export function editIssue(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const v = validateEdit(jiraBody(call), r, state);
  if (!v.ok) return json(400, v.errors);
  state.apply(r, v.value, call.now);
  if (call.query.get('returnIssue') === 'true') return json(200, renderIssue(state, call.baseUrl, r, parseFieldSet(undefined, 'all'), undefined));
  return { status: 204 };
}

export function deleteIssue(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const hasSubtasks = state.childrenOf(r.id).some((c) => state.typeOf(c).hierarchyLevel === -1);
  // 400 when the issue has sub-tasks and deleteSubtasks=true wasn't sent (jira-api.md §2 deleteIssue).
  if (hasSubtasks && call.query.get('deleteSubtasks') !== 'true') {
    return jiraError(400, [`The issue ${r.key} has subtasks. Set deleteSubtasks=true to delete it together with its subtasks.`]);
  }
  state.remove(r, call.now);
  return { status: 204 };
}

/** Missing or invisible issues are silently absent; results sorted by ascending id (jira-api.md §2 bulkfetch). */
export function bulkFetch(state: JiraState, call: Call): SimResponse {
  const body = jiraBody(call);
  if (!isRecord(body)) return jiraError(400, ['The request body must be a JSON object.']);
  const refs = body['issueIdsOrKeys'];
  if (!Array.isArray(refs) || refs.length === 0) return jiraError(400, ['No issue IDs or keys were provided.']);
  if (refs.length > MAX_BULK_FETCH) return jiraError(400, [`At most ${MAX_BULK_FETCH} issue IDs or keys can be requested, got ${refs.length}.`]);
  const fields = parseFieldSet(body['fields'], 'all');
  const props = propertiesParam(body['properties']);
  const found = new Map<string, ReturnType<JiraState['find']>>();
  for (const ref of refs) {
    const r = state.find(String(ref));
    if (r) found.set(r.id, r);
  }
  const issues = [...found.values()]
    .filter((r): r is NonNullable<typeof r> => r !== undefined)
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((r) => renderIssue(state, call.baseUrl, r, fields, props));
  return json(200, { issues, issueErrors: [] });
}

// ---- properties (jira-api.md §5a) ----

export function listProperties(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const keys = [...r.properties.keys()].map((key) => ({ key, self: `${issueSelf(call.baseUrl, r.id)}/properties/${encodeURIComponent(key)}` }));
  return json(200, { keys });
}

export function getProperty(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const key = call.params['key'] ?? '';
  if (!r.properties.has(key)) return jiraError(404, [`The property with key '${key}' does not exist.`]);
  return json(200, { key, value: structuredClone(r.properties.get(key)) });
}

/** 201 when created, 200 when updated; body ≤ 32,768 bytes; key ≤ 255 characters. */
export function setProperty(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const key = call.params['key'] ?? '';
  if (key === '' || key.length > 255) return jiraError(400, ['The property key must be between 1 and 255 characters.']);
  if (call.body.length > 32768) return jiraError(400, ['The property value exceeds the maximum size of 32768 bytes.']);
  const value = jiraBody(call);
  const problem = propertyValueProblem(value);
  if (problem) return jiraError(400, [problem]);
  const existed = r.properties.has(key);
  r.properties.set(key, value);
  return { status: existed ? 200 : 201 };
}

export function deleteProperty(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const key = call.params['key'] ?? '';
  if (!r.properties.delete(key)) return jiraError(404, [`The property with key '${key}' does not exist.`]);
  return { status: 204 };
}

// ---- remote links (jira-api.md §5c) ----

/** Upsert by globalId: an existing link with that globalId is replaced, and omitted fields become null. */
export function upsertRemoteLink(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const body = jiraBody(call);
  if (!isRecord(body)) return jiraError(400, ['The request body must be a JSON object.']);
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
  if (relationship !== undefined && relationship !== null && typeof relationship !== 'string') errors['relationship'] = 'data was not a string';
  if (Object.keys(errors).length > 0) return jiraError(400, [], errors);

  const next: Omit<RemoteLinkRec, 'id'> = {
    globalId: typeof globalId === 'string' ? globalId : null,
    application: isRecord(application) ? structuredClone(application) : null,
    relationship: typeof relationship === 'string' ? relationship : null,
    object: structuredClone(obj as Record<string, unknown>),
  };
  const existing = next.globalId === null ? undefined : r.remoteLinks.find((l) => l.globalId === next.globalId);
  if (existing) {
    Object.assign(existing, next);
    return json(200, { id: existing.id, self: `${issueSelf(call.baseUrl, r.id)}/remotelink/${existing.id}` });
  }
  const link: RemoteLinkRec = { id: state.allocateLinkId(), ...next };
  r.remoteLinks.push(link);
  return json(201, { id: link.id, self: `${issueSelf(call.baseUrl, r.id)}/remotelink/${link.id}` });
}

export function getRemoteLinks(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const globalId = call.query.get('globalId');
  if (globalId !== null) {
    const l = r.remoteLinks.find((x) => x.globalId === globalId);
    if (!l) return jiraError(404, [`No remote link with global id '${globalId}' exists on issue ${r.key}.`]);
    return json(200, remoteLinkJson(call.baseUrl, r.id, l));
  }
  return json(200, r.remoteLinks.map((l) => remoteLinkJson(call.baseUrl, r.id, l)));
}

export function getRemoteLink(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const l = r.remoteLinks.find((x) => String(x.id) === call.params['linkId']);
  if (!l) return jiraError(404, ['No remote link with that id exists on this issue.']);
  return json(200, remoteLinkJson(call.baseUrl, r.id, l));
}

export function deleteRemoteLinks(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const globalId = call.query.get('globalId');
  if (globalId === null) return jiraError(400, ['The globalId parameter is required.']);
  const before = r.remoteLinks.length;
  r.remoteLinks = r.remoteLinks.filter((l) => l.globalId !== globalId);
  if (r.remoteLinks.length === before) return jiraError(404, [`No remote link with global id '${globalId}' exists on issue ${r.key}.`]);
  return { status: 204 };
}

export function deleteRemoteLink(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const before = r.remoteLinks.length;
  r.remoteLinks = r.remoteLinks.filter((l) => String(l.id) !== call.params['linkId']);
  if (r.remoteLinks.length === before) return jiraError(404, ['No remote link with that id exists on this issue.']);
  return { status: 204 };
}

// ---- transitions (jira-api.md §6) ----

export function getTransitions(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const only = call.query.get('transitionId');
  const transitions = transitionsJson(call.baseUrl, r).filter((t) => only === null || t['id'] === only);
  return json(200, { expand: 'transitions', transitions });
}

export function doTransition(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const body = jiraBody(call);
  const tr = isRecord(body) ? body['transition'] : undefined;
  const id = isRecord(tr) && (typeof tr['id'] === 'string' || typeof tr['id'] === 'number') ? String(tr['id']) : undefined;
  if (id === undefined) return jiraError(400, ["The 'transition' object with an 'id' is required."]);
  // Only transitions available from the current status are valid (the one to the current status is not offered).
  const def = TRANSITIONS.find((t) => t.id === id && t.toStatusId !== r.statusId);
  if (!def) throw new SimError(jiraError(400, [`Transition id '${id}' is not valid for this issue.`]));
  state.transition(r, def.toStatusId, call.now);
  return { status: 204 };
}
