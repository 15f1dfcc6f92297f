import { SimError, type Call } from '../kit/http.js';
import { jiraError } from './errors.js';
import type { JiraState } from './state.js';

// Offset paging (`startAt`, `maxResults`) of Jira's older list endpoints, answering PageBean* bodies
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/#pagination).

export interface Offset {
  startAt: number;
  maxResults: number;
}

function intParam(call: Call, name: string, fallback: number): number {
  const raw = call.query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new SimError(jiraError(400, [`The '${name}' parameter must be a non-negative integer, got '${raw}'.`]));
  return n;
}

/** `startAt` and `maxResults` of a request; `limit` is the documented maximum of `maxResults`, if any. */
export function offsetOf(call: Call, limit?: number): Offset {
  const startAt = intParam(call, 'startAt', 0);
  const maxResults = intParam(call, 'maxResults', 50);
  // The createmeta operations document this answer for maxResults above 200.
  if (limit !== undefined && maxResults > limit)
    throw new SimError(jiraError(400, [`Parameter 'maxResults' must not exceed the limit '${limit}'`]));
  return { startAt, maxResults };
}

/** A PageBean: `values` of one page, `total`, `isLast`, and `nextPage` when there is one. */
export function pageBean<T>(call: Call, items: readonly T[], o: Offset): Record<string, unknown> {
  const url = (startAt: number): string => {
    const q = new URLSearchParams(call.rawQuery);
    q.set('startAt', String(startAt));
    q.set('maxResults', String(o.maxResults));
    return `${call.baseUrl}${call.path}?${q.toString()}`;
  };
  const values = items.slice(o.startAt, o.startAt + o.maxResults);
  const isLast = o.startAt + values.length >= items.length;
  const out: Record<string, unknown> = {
    self: url(o.startAt),
    maxResults: o.maxResults,
    startAt: o.startAt,
    total: items.length,
    isLast,
    values,
  };
  if (!isLast) out['nextPage'] = url(o.startAt + o.maxResults);
  return out;
}

/** The project a path names, or a 404 like Jira's. */
export function mustProject(state: JiraState, call: Call, status = 404): void {
  const ref = call.params['projectIdOrKey'] ?? '';
  if (!state.isProject(ref)) throw new SimError(jiraError(status, [`No project could be found with key '${ref}'.`]));
}
