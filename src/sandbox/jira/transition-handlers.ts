import { isRecord, json, type Call, type SimResponse } from '../kit/http.js';
import { jiraError } from './errors.js';
import { restrictTo, splitBody, type ErrorCollection } from './field-checks.js';
import { transitionsJson } from './render.js';
import { jiraBody, mustIssue } from './request.js';
import type { IssueRec, JiraState } from './state.js';
import { requiredError, screenValues } from './validate.js';
import { availableTransitions } from './workflows.js';

// Issue transitions: GET and POST /rest/api/3/issue/{issueIdOrKey}/transitions
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/). A transition is offered only from
// the statuses its workflow allows; a transition screen's fields may be set in the same request, and its required
// fields must be.

export function getTransitions(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const only = call.query.get('transitionId');
  const withFields = (call.query.get('expand') ?? '').split(',').includes('transitions.fields');
  const transitions = transitionsJson(state, call.baseUrl, r, withFields).filter((t) => only === null || t['id'] === only);
  return json(200, { expand: 'transitions', transitions });
}

export type TransitionOutcome = { ok: true } | { ok: false; errors: ErrorCollection };

/** Validates and performs a transition request (`{transition: {id}, fields?, update?}`) on `r`. */
export function runTransition(state: JiraState, r: IssueRec, body: unknown, now: number): TransitionOutcome {
  const errs: ErrorCollection = { errorMessages: [], errors: {} };
  const tr = isRecord(body) ? body['transition'] : undefined;
  const id = isRecord(tr) && (typeof tr['id'] === 'string' || typeof tr['id'] === 'number') ? String(tr['id']) : undefined;
  if (id === undefined) return { ok: false, errors: { errorMessages: ["The 'transition' object with an 'id' is required."], errors: {} } };
  // Only transitions available from the current status are valid (the one to the current status is not offered).
  const def = availableTransitions(state.site.workflowOf(r.issueTypeId), r.statusId).find((t) => t.id === id);
  if (!def) return { ok: false, errors: { errorMessages: [`Transition id '${id}' is not valid for this issue.`], errors: {} } };
  const split = splitBody(body, errs);
  if (!split) return { ok: false, errors: errs };
  const screen = def.screen ?? [];
  const o = restrictTo(split, (f) => screen.some((s) => s.fieldId === f), errs);
  const values = screenValues(
    o,
    screen.map((s) => s.fieldId),
    r.values,
    state,
    errs,
  );
  for (const s of screen) {
    const v = values.get(s.fieldId);
    if (s.required && !errs.errors[s.fieldId] && (v === undefined || v === null))
      errs.errors[s.fieldId] = requiredError(state.site.field(s.fieldId)?.name ?? s.fieldId);
  }
  if (errs.errorMessages.length > 0 || Object.keys(errs.errors).length > 0) return { ok: false, errors: errs };
  state.transition(r, def.toStatusId, now);
  state.apply(r, { values, properties: [] }, now);
  return { ok: true };
}

export function doTransition(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const outcome = runTransition(state, r, jiraBody(call), call.now);
  if (!outcome.ok) return jiraError(400, outcome.errors.errorMessages, outcome.errors.errors);
  return { status: 204 };
}
