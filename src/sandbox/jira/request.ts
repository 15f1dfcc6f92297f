import { parseJsonBody, SimError, type Call } from '../kit/http.js';
import { jiraError } from './errors.js';
import type { IssueRec, JiraState } from './state.js';

// Request helpers shared by the Jira handlers.

export function jiraBody(call: Call): unknown {
  const parsed = parseJsonBody(call.body);
  if (!parsed.ok) throw new SimError(jiraError(400, [`Unexpected content in the request body: ${parsed.message}`]));
  return parsed.value;
}

export function mustIssue(state: JiraState, call: Call): IssueRec {
  const ref = call.params['id'] ?? '';
  const r = state.find(ref);
  // 404 also means "exists but you can't see it".
  if (!r) throw new SimError(jiraError(404, ['Issue does not exist or you do not have permission to see it.']));
  return r;
}
