import { decodeCursor, encodeCursor, requestFingerprint } from '../kit/cursor.js';
import { isRecord, json, SimError, type Call, type SimResponse } from '../kit/http.js';
import { jiraError } from './errors.js';
import { isBounded, JqlError, type JqlQuery } from './jql/ast.js';
import { compareSortKeys, compileJql } from './jql/evaluate.js';
import { parseJql } from './jql/parse.js';
import { isIdOnly, parseFieldSet, renderIssue, toList } from './render.js';
import { jiraBody } from './request.js';
import type { IssueRec, JiraState } from './state.js';

// Enhanced JQL search, GET/POST /rest/api/3/search/jql, answering SearchAndReconcileResults
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/):
// bounded JQL only, `fields` defaults to id only, token paging with no `total`, the last page has no
// `nextPageToken`, and recently written issues are invisible (eventual consistency) unless listed in
// `reconcileIssues`.

const UNBOUNDED = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';
const POST_KEYS = new Set(['jql', 'nextPageToken', 'maxResults', 'fields', 'expand', 'properties', 'fieldsByKeys', 'reconcileIssues']);

export interface SearchOptions {
  searchLagMs: number;
}

interface SearchParams {
  jql: string;
  nextPageToken?: string;
  maxResults?: number;
  fields: unknown;
  properties: string[];
  reconcile: Set<string>;
}

function fromQuery(call: Call): SearchParams {
  const q = call.query;
  const p: SearchParams = {
    jql: q.get('jql') ?? '',
    fields: q.getAll('fields').join(',') || undefined,
    properties: toList(q.getAll('properties').join(',')),
    reconcile: reconcileSet(toList(q.getAll('reconcileIssues').join(','))),
  };
  const token = q.get('nextPageToken');
  if (token) p.nextPageToken = token;
  const max = q.get('maxResults');
  if (max !== null) p.maxResults = intParam(max);
  return p;
}

function fromBody(call: Call): SearchParams {
  const body = jiraBody(call);
  if (!isRecord(body)) throw new SimError(jiraError(400, ['The request body must be a JSON object.']));
  for (const k of Object.keys(body)) {
    // SearchAndReconcileRequestBean has additionalProperties: false.
    if (!POST_KEYS.has(k)) throw new SimError(jiraError(400, [`Unrecognized field "${k}" in the request body.`]));
  }
  const p: SearchParams = {
    jql: typeof body['jql'] === 'string' ? body['jql'] : '',
    fields: body['fields'],
    properties: toList(body['properties']),
    reconcile: reconcileSet(toList(body['reconcileIssues'])),
  };
  if (typeof body['nextPageToken'] === 'string' && body['nextPageToken'] !== '') p.nextPageToken = body['nextPageToken'];
  if (body['maxResults'] !== undefined && body['maxResults'] !== null) p.maxResults = intParam(body['maxResults']);
  return p;
}

function intParam(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(String(v));
  if (!Number.isInteger(n)) throw new SimError(jiraError(400, [`Invalid maxResults value '${String(v)}'.`]));
  return n;
}

function reconcileSet(ids: string[]): Set<string> {
  if (ids.length > 50) throw new SimError(jiraError(400, [`reconcileIssues accepts at most 50 issue ids, got ${ids.length}.`]));
  for (const id of ids) {
    if (!/^\d+$/.test(id)) throw new SimError(jiraError(400, [`reconcileIssues takes numeric issue ids; '${id}' is not one.`]));
  }
  return new Set(ids);
}

/** A JQL error is the client's: Jira answers 400 with the message. */
function refusingBadJql<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof JqlError) throw new SimError(jiraError(400, [e.message]));
    throw e;
  }
}

function parseBounded(jql: string): JqlQuery {
  const q = refusingBadJql(() => parseJql(jql));
  if (!isBounded(q)) throw new SimError(jiraError(400, [UNBOUNDED]));
  return q;
}

interface Hit {
  issue: IssueRec;
  /** Where the issue stands in the result order; the page token stores the last one shown (keyset paging), so issues
   * created or deleted between pages neither shift nor duplicate results. */
  key: number[];
}

function matching(state: JiraState, q: JqlQuery, now: number, visible: (r: IssueRec) => boolean): Hit[] {
  const { match, sortKey } = refusingBadJql(() => compileJql(q, state, now));
  return state
    .sorted()
    .filter((r) => visible(r) && match(r))
    .map((issue) => ({ issue, key: sortKey(issue) }))
    .sort((a, b) => compareSortKeys(a.key, b.key));
}

export function searchJql(state: JiraState, call: Call, opts: SearchOptions): SimResponse {
  const p = call.method === 'POST' ? fromBody(call) : fromQuery(call);
  const q = parseBounded(p.jql);
  if (p.properties.length > 5) return jiraError(400, [`You can request at most 5 issue properties, got ${p.properties.length}.`]);
  const fields = parseFieldSet(p.fields, 'none', state);
  // Fewer issues per page when fields or properties are requested; up to 5000 for id/key only.
  const cap = isIdOnly(fields) && p.properties.length === 0 ? 5000 : 100;
  const pageSize = Math.max(1, Math.min(cap, p.maxResults ?? 50));
  const fp = requestFingerprint(p.jql);

  const hits = matching(state, q, call.now, (r) => indexed(r, call.now, opts) || p.reconcile.has(r.id));

  let start = 0;
  if (p.nextPageToken) {
    const c = decodeCursor(p.nextPageToken);
    const after = typeof c?.['k'] === 'string' ? c['k'].split('_').map(Number) : undefined;
    if (!c || c['f'] !== fp || !after || after.some((n) => Number.isNaN(n))) {
      return jiraError(400, ['The nextPageToken is invalid, has expired, or belongs to a different query.']);
    }
    start = hits.findIndex((h) => compareSortKeys(h.key, after) > 0);
    if (start < 0) start = hits.length;
  }
  // Hostile: the first page again and again, each time with the same token (issue: a client that never checks for a
  // repeated cursor pages forever).
  const looping = state.behaviour.repeatNextPageToken;
  if (looping) start = 0;
  const page = hits.slice(start, start + pageSize);
  const more = looping || start + pageSize < hits.length;
  const body: Record<string, unknown> = {
    issues: page.map((h) => renderIssue(state, call.baseUrl, h.issue, fields, p.properties.length > 0 ? p.properties : undefined)),
  };
  const last = page[page.length - 1];
  if (more) body['nextPageToken'] = encodeCursor({ k: last ? last.key.join('_') : '0', f: fp });
  body['isLast'] = !more;
  return json(200, body);
}

/** POST /search/approximate-count: an estimate that, like the index, lags recent writes. */
export function approximateCount(state: JiraState, call: Call, opts: SearchOptions): SimResponse {
  const body = jiraBody(call);
  const jql = isRecord(body) && typeof body['jql'] === 'string' ? body['jql'] : '';
  const q = parseBounded(jql);
  return json(200, { count: matching(state, q, call.now, (r) => indexed(r, call.now, opts)).length });
}

/** Search sees an issue once its last write is `searchLagMs` old (the index is eventually consistent). */
function indexed(r: IssueRec, now: number, opts: SearchOptions): boolean {
  return opts.searchLagMs <= 0 || now - r.indexedAt >= opts.searchLagMs;
}
