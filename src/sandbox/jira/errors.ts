import type { ContractProblem } from '../kit/contract/service-contract.js';
import type { FaultResponses } from '../kit/faults.js';
import { json, type SimResponse } from '../kit/http.js';

// Jira error answers. Every Jira error body is an ErrorCollection `{ errorMessages: string[], errors: { field: message } }`
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/#status-codes).

export function jiraError(status: number, messages: string[], errors: Record<string, string> = {}): SimResponse {
  return json(status, { errorMessages: messages, errors });
}

export type RateLimitReason = 'jira-burst-based' | 'jira-per-issue-on-write' | 'jira-quota-tenant-based';

/** A 429 with the headers Jira documents (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/). */
export function tooManyRequests(reason: RateLimitReason, limit: number, resetAt: number): SimResponse {
  return {
    status: 429,
    headers: {
      'Retry-After': '1',
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': new Date(resetAt).toISOString(),
      'RateLimit-Reason': reason,
    },
    json: { errorMessages: ['Rate limit exceeded.'], errors: {} },
  };
}

// The injected 429s cycle through the documented RateLimit-Reason values, so the engine sees each of them, including
// the quota one that must pause every call.
const REASONS: readonly RateLimitReason[] = ['jira-burst-based', 'jira-per-issue-on-write', 'jira-quota-tenant-based'];

export const JIRA_FAULT_RESPONSES: FaultResponses = {
  tooManyRequests: (now, nth) => {
    const response = tooManyRequests(REASONS[nth % REASONS.length] ?? 'jira-burst-based', 100, now + 1000);
    if (nth % 3 !== 2) return response;
    // A Jira 429 body may be an HTML error page rather than JSON (seen in https://github.com/apache/devlake/issues/2932).
    const headers = { ...response.headers, 'Content-Type': 'text/html;charset=UTF-8' };
    return { status: 429, headers, text: '<html><body>Oops - an error has occurred</body></html>' };
  },
  unavailable: (headers) => ({ status: 503, headers, json: { errorMessages: ['Service Unavailable'], errors: {} } }),
  // A proxy or gateway in front of Jira that quotes the refused header back as text.
  credentialsRefused: (authorization) => ({
    status: 401,
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    text: `Unauthorized: header Authorization: ${authorization} was refused`,
  }),
};

/** A request the platform specification refuses: 400 with an ErrorCollection naming each problem. */
export function contractRejection(problems: readonly ContractProblem[]): SimResponse {
  const parameters = problems.filter((p) => p.parameter !== undefined);
  const errors = Object.fromEntries(parameters.map((p) => [p.parameter, p.message]));
  const messages = problems
    .filter((p) => !parameters.includes(p))
    .map((p) => (p.pointer === '' ? p.message : `${p.pointer}: ${p.message}`));
  return jiraError(
    400,
    messages.length > 0 ? ['Invalid request payload. Refer to the REST API documentation and try again.', ...messages] : [],
    errors,
  );
}
