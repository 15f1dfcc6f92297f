import { isRecord, json, SimError, type Call, type SimResponse } from '../kit/http.js';
import { mulberry32 } from '../kit/prng.js';
import { jiraError } from './errors.js';
import type { ErrorCollection } from './field-checks.js';
import { issueSelf, parseFieldSet, renderIssue, toList } from './render.js';
import { jiraBody, mustIssue } from './request.js';
import type { IssueRec, JiraState } from './state.js';
import { runTransition } from './transition-handlers.js';
import { validateCreate, validateEdit } from './validate.js';

// Issue endpoints of Jira Cloud REST v3 (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/):
// create, bulk create, get, edit, delete and bulk fetch.

const MAX_BULK_CREATE = 50;
const MAX_BULK_FETCH = 100;
const MAX_PROPERTIES = 5;

export function createIssue(state: JiraState, call: Call): SimResponse {
  const body = jiraBody(call);
  const v = validateCreate(body, state);
  if (!v.ok) return json(400, v.errors);
  return json(201, created(state, call, state.insert(v.value, call.now), body));
}

/**
 * CreatedIssue: where the new issue lives and, when the create asked for a `transition`, its outcome as a
 * NestedResponse (`#/components/schemas/CreatedIssue`): the issue exists either way, and a refused transition (unknown,
 * not available from the initial status, or with required screen fields) leaves it in the initial status.
 */
function created(state: JiraState, call: Call, rec: IssueRec, body: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { id: rec.id, key: rec.key, self: issueSelf(call.baseUrl, rec.id) };
  if (isRecord(body) && body['transition'] !== undefined) {
    const outcome = runTransition(state, rec, { transition: body['transition'] }, call.now);
    out['transition'] = outcome.ok
      ? { status: 200, errorCollection: { errorMessages: [], errors: {} } }
      : { status: 400, errorCollection: outcome.errors };
  }
  return out;
}

/** Indexes 0..n-1 in the order the bulk create processes (and reports) its items. */
function processingOrder(state: JiraState, n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  if (state.behaviour.bulkCreateOrder === 'reverse') return order.reverse();
  if (state.behaviour.bulkCreateOrder === 'shuffle') {
    const rng = mulberry32(n * 7919);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
  }
  return order;
}

/**
 * Partial success is normal: 201 when any item was created, 400 (same body shape) only when all failed.
 * Items are validated against the state *before* the batch, so a child cannot reference a
 * parent created in the same call.
 */
export function createIssues(state: JiraState, call: Call): SimResponse {
  const body = jiraBody(call);
  const updates = isRecord(body) ? body['issueUpdates'] : undefined;
  if (!Array.isArray(updates)) return jiraError(400, ['Field issueUpdates is required and must be an array.']);
  if (updates.length === 0) return jiraError(400, ['Nothing to create: issueUpdates is empty.']);
  if (updates.length > MAX_BULK_CREATE) {
    // The documented 400 of this operation is CreatedIssues: every item failed, each with the reason.
    const reason = `The number of issues to create (${updates.length}) exceeds the limit of ${MAX_BULK_CREATE}.`;
    return json(400, {
      issues: [],
      errors: updates.map((_, i) => ({ status: 400, elementErrors: { errorMessages: [reason], errors: {} }, failedElementNumber: i })),
    });
  }
  const results = updates.map((u) => validateCreate(u, state));
  const issues: Array<Record<string, unknown>> = [];
  const errors: Array<{ status: number; elementErrors: ErrorCollection; failedElementNumber: number }> = [];
  results.forEach((r, i) => {
    if (!r.ok) errors.push({ status: 400, elementErrors: r.errors, failedElementNumber: i });
  });
  for (const i of processingOrder(state, results.length)) {
    const r = results[i];
    if (r?.ok) issues.push(created(state, call, state.insert(r.value, call.now), updates[i]));
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
  const fields = parseFieldSet(call.query.get('fields') ?? undefined, 'all', state);
  return json(200, renderIssue(state, call.baseUrl, r, fields, propertiesParam(call.query.get('properties') ?? undefined)));
}

export function editIssue(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const v = validateEdit(jiraBody(call), r, state);
  if (!v.ok) return json(400, v.errors);
  state.apply(r, v.value, call.now);
  if (call.query.get('returnIssue') === 'true')
    return json(200, renderIssue(state, call.baseUrl, r, parseFieldSet(undefined, 'all', state), undefined));
  return { status: 204 };
}

export function deleteIssue(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const hasSubtasks = state.childrenOf(r.id).some((c) => state.typeOf(c).hierarchyLevel === -1);
  // 400 when the issue has sub-tasks and deleteSubtasks=true wasn't sent.
  if (hasSubtasks && call.query.get('deleteSubtasks') !== 'true') {
    return jiraError(400, [`The issue ${r.key} has subtasks. Set deleteSubtasks=true to delete it together with its subtasks.`]);
  }
  state.remove(r, call.now);
  return { status: 204 };
}

/** Missing or invisible issues are silently absent; results sorted by ascending id. */
export function bulkFetch(state: JiraState, call: Call): SimResponse {
  const body = jiraBody(call);
  if (!isRecord(body)) return jiraError(400, ['The request body must be a JSON object.']);
  const refs = body['issueIdsOrKeys'];
  if (!Array.isArray(refs) || refs.length === 0) return jiraError(400, ['No issue IDs or keys were provided.']);
  if (refs.length > MAX_BULK_FETCH)
    return jiraError(400, [`At most ${MAX_BULK_FETCH} issue IDs or keys can be requested, got ${refs.length}.`]);
  const fields = parseFieldSet(body['fields'], 'all', state);
  const props = propertiesParam(body['properties']);
  const found = new Map<string, IssueRec>();
  for (const ref of refs) {
    const r = state.find(String(ref));
    if (r) found.set(r.id, r);
  }
  const issues = [...found.values()]
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((r) => renderIssue(state, call.baseUrl, r, fields, props));
  return json(200, { issues, issueErrors: [] });
}
