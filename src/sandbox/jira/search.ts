import { decodeCursor, encodeCursor, requestFingerprint } from '../kit/cursor.js';
import { isRecord, json, SimError, type Call, type SimResponse } from '../kit/http.js';
import { jiraError } from './errors.js';
import { jiraBody } from './request.js';
import { compileJql } from './jql-eval.js';
import { isBounded, JqlError, parseJql, type JqlQuery } from './jql-parse.js';
import { isIdOnly, parseFieldSet, renderIssue, toList } from './render.js';
import type { IssueRec, JiraState } from './state.js';

// Enhanced JQL search, GET/POST /rest/api/3/search/jql (SearchAndReconcileResults; jira-api.md §4):
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

function parseBounded(jql: string): JqlQuery {
  let q: JqlQuery;
  try {
    q = parseJql(jql);
  } catch (e) {
    if (e instanceof JqlError) throw new SimError(jiraError(400, [e.message]));
    throw e;
  }
  if (!isBounded(q)) throw new SimError(jiraError(400, [UNBOUNDED]));
  return q;
}

function matching(state: JiraState, q: JqlQuery, now: number, visible: (r: IssueRec) => boolean): { list: IssueRec[]; key: (r: IssueRec) => number[] } {
  let compiled: ReturnType<typeof compileJql>;
  try {
    compiled = compileJql(q, state, now);
  } catch (e) {
    if (e instanceof JqlError) throw new SimError(jiraError(400, [e.message]));
    throw e;
  }
  const list = state.sorted().filter((r) => visible(r) && compiled.match(r));
  list.sort(compiled.compare);
  // Sort key as a vector that increases along the result order; the page token stores the last one (keyset
  // paging), so issues created or deleted between pages neither shift nor duplicate results.
  const key = (r: IssueRec): number[] => [
    ...q.orderBy.map((t) => {
      const v = t.field === 'key' ? r.num : t.field === 'id' ? Number(r.id) : t.field === 'created' ? r.created : r.updated;
      return t.dir === 'asc' ? v : -v;
    }),
    Number(r.id),
  ];
  return { list, key };
}

function greater(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return false;
}

export function searchJql(state: JiraState, call: Call, opts: SearchOptions): SimResponse {
  const p = call.method === 'POST' ? fromBody(call) : fromQuery(call);
  const q = parseBounded(p.jql);
  if (p.properties.length > 5) return jiraError(400, [`You can request at most 5 issue properties, got ${p.properties.length}.`]);
  const fields = parseFieldSet(p.fields, 'none');
  // Fewer issues per page when fields or properties are requested; up to 5000 for id/key only (jira-api.md §4).
  const cap = isIdOnly(fields) && p.properties.length === 0 ? 5000 : 100;
  const pageSize = Math.max(1, Math.min(cap, p.maxResults ?? 50));
  const fp = requestFingerprint(p.jql);

  const visible = (r: IssueRec): boolean => opts.searchLagMs <= 0 || call.now - r.indexedAt >= opts.searchLagMs || p.reconcile.has(r.id);
  const { list, key } = matching(state, q, call.now, visible);

  let start = 0;
  if (p.nextPageToken) {
    const c = decodeCursor(p.nextPageToken);
    const after = typeof c?.['k'] === 'string' ? c['k'].split('_').map(Number) : undefined;
    if (!c || c['f'] !== fp || !after || after.some((n) => Number.isNaN(n))) {
      return jiraError(400, ['The nextPageToken is invalid, has expired, or belongs to a different query.']);
    }
    start = list.findIndex((r) => greater(key(r), after));
    if (start < 0) start = list.length;
  }
  const page = list.slice(start, start + pageSize);
  const more = start + pageSize < list.length;
  const body: Record<string, unknown> = {
    issues: page.map((r) => renderIssue(state, call.baseUrl, r, fields, p.properties.length > 0 ? p.properties : undefined)),
  };
  const last = page[page.length - 1];
  if (more && last) body['nextPageToken'] = encodeCursor({ k: key(last).join('_'), f: fp });
  body['isLast'] = !more;
  return json(200, body);
}

/** POST /search/approximate-count: an estimate that, like the index, lags recent writes (jira-api.md §4). */
export function approximateCount(state: JiraState, call: Call, opts: SearchOptions): SimResponse {
  const body = jiraBody(call);
  const jql = isRecord(body) && typeof body['jql'] === 'string' ? body['jql'] : '';
  const q = parseBounded(jql);
  const { list } = matching(state, q, call.now, (r) => opts.searchLagMs <= 0 || call.now - r.indexedAt >= opts.searchLagMs);
  return json(200, { count: list.length });
}
