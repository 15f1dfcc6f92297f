import { json, parseJsonBody, SimError, type Call, type SimResponse } from '../kit/http.js';
import type { IssueRec, JiraState } from './state.js';

// Helpers shared by the Jira handlers. Every Jira error body is an ErrorCollection
// `{ errorMessages: string[], errors: { field: message } }` (jira-api.md §9).

export function jiraError(status: number, messages: string[], errors: Record<string, string> = {}): SimResponse {
  return json(status, { errorMessages: messages, errors });
}

export function jiraBody(call: Call): unknown {
  const parsed = parseJsonBody(call.body);
  if (!parsed.ok) throw new SimError(jiraError(400, [`Unexpected content in the request body: ${parsed.message}`]));
  return parsed.value;
}

export function mustIssue(state: JiraState, call: Call): IssueRec {
  const ref = call.params['id'] ?? '';
  const r = state.find(ref);
  // 404 also means "exists but you can't see it" (jira-api.md §9).
  if (!r) throw new SimError(jiraError(404, ['Issue does not exist or you do not have permission to see it.']));
  return r;
}
