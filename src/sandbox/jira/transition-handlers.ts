import { isRecord, json, SimError, type Call, type SimResponse } from '../kit/http.js';
import { TRANSITIONS } from './catalog.js';
import { jiraError } from './errors.js';
import { transitionsJson } from './render.js';
import { jiraBody, mustIssue } from './request.js';
import type { JiraState } from './state.js';

// Issue transitions: GET and POST /rest/api/3/issue/{issueIdOrKey}/transitions
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/).

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
