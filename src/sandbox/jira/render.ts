import { categoryOf, ISSUE_TYPES, jiraTimestamp, statusById, TRANSITIONS, type JiraIssueType, type JiraStatus } from './catalog.js';
import type { IssueRec, JiraState, RemoteLinkRec } from './state.js';

// JSON shapes of Jira Cloud REST v3 (IssueBean, IssueTypeDetails, StatusDetails, IssueTransition, RemoteIssueLink).
// Field selection follows the `fields` parameter rules: `*all` / `*navigable`, explicit names, `-name` exclusions,
// and `id` meaning "no fields" (the search/jql default).

export const ISSUE_FIELDS = [
  'summary',
  'description',
  'labels',
  'duedate',
  'issuetype',
  'parent',
  'status',
  'project',
  'created',
  'updated',
] as const;
type IssueField = (typeof ISSUE_FIELDS)[number];

export interface FieldSet {
  names: Set<IssueField>;
}

/** Parses a `fields` list (array or comma string). `fallback` is what an absent parameter means. */
export function parseFieldSet(raw: unknown, fallback: 'all' | 'none'): FieldSet {
  const items = toList(raw);
  if (items.length === 0) return { names: new Set(fallback === 'all' ? ISSUE_FIELDS : []) };
  const names = new Set<IssueField>();
  const excluded = new Set<string>();
  let all = false;
  for (const item of items) {
    if (item === '*all' || item === '*navigable') all = true;
    else if (item.startsWith('-')) excluded.add(item.slice(1));
    else if ((ISSUE_FIELDS as readonly string[]).includes(item)) names.add(item as IssueField);
    // `id`, `key` and unknown field ids add nothing: the bean always carries id/key/self.
  }
  if (all || (names.size === 0 && excluded.size > 0 && !items.some((i) => i === 'id' || i === 'key')))
    for (const f of ISSUE_FIELDS) names.add(f);
  for (const e of excluded) names.delete(e as IssueField);
  return { names };
}

export function toList(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  const parts = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  return parts.map((s) => s.trim()).filter((s) => s !== '');
}

/** True when only id/key were asked for — the cheap case Jira pages up to 5000 (the search/jql `maxResults` documentation). */
export function isIdOnly(fields: FieldSet): boolean {
  return fields.names.size === 0;
}

export function issueSelf(baseUrl: string, id: string): string {
  return `${baseUrl}/rest/api/3/issue/${id}`;
}

export function issueTypeJson(baseUrl: string, t: JiraIssueType): Record<string, unknown> {
  return {
    self: `${baseUrl}/rest/api/3/issuetype/${t.id}`,
    id: t.id,
    description: t.description,
    iconUrl: `${baseUrl}/images/icons/issuetypes/${t.name.toLowerCase()}.svg`,
    name: t.name,
    subtask: t.subtask,
    hierarchyLevel: t.hierarchyLevel,
  };
}

export function statusCategoryJson(baseUrl: string, key: JiraStatus['category']): Record<string, unknown> {
  const c = categoryOf(key);
  return { self: `${baseUrl}/rest/api/3/statuscategory/${c.id}`, id: c.id, key: c.key, colorName: c.colorName, name: c.name };
}

export function statusJson(baseUrl: string, s: JiraStatus): Record<string, unknown> {
  return {
    self: `${baseUrl}/rest/api/3/status/${s.id}`,
    description: '',
    name: s.name,
    id: s.id,
    statusCategory: statusCategoryJson(baseUrl, s.category),
  };
}

export function projectJson(baseUrl: string, state: JiraState): Record<string, unknown> {
  const p = state.project;
  return {
    self: `${baseUrl}/rest/api/3/project/${p.id}`,
    id: p.id,
    key: p.key,
    name: p.name,
    projectTypeKey: 'software',
    simplified: false,
  };
}

export function renderIssue(
  state: JiraState,
  baseUrl: string,
  r: IssueRec,
  fields: FieldSet,
  properties: string[] | undefined,
): Record<string, unknown> {
  const t = state.typeOf(r);
  const out: Record<string, unknown> = { id: r.id, key: r.key, self: issueSelf(baseUrl, r.id) };
  const f: Record<string, unknown> = {};
  const want = fields.names;
  if (want.has('summary')) f['summary'] = r.summary;
  if (want.has('description')) f['description'] = r.description;
  if (want.has('labels')) f['labels'] = [...r.labels];
  if (want.has('duedate')) f['duedate'] = r.duedate;
  if (want.has('issuetype')) f['issuetype'] = issueTypeJson(baseUrl, t);
  if (want.has('parent') && r.parentId) {
    const p = state.find(r.parentId);
    if (p) {
      f['parent'] = {
        id: p.id,
        key: p.key,
        self: issueSelf(baseUrl, p.id),
        fields: {
          summary: p.summary,
          status: statusJson(baseUrl, statusById(p.statusId)),
          issuetype: issueTypeJson(baseUrl, state.typeOf(p)),
        },
      };
    }
  }
  if (want.has('status')) f['status'] = statusJson(baseUrl, statusById(r.statusId));
  if (want.has('project')) f['project'] = projectJson(baseUrl, state);
  if (want.has('created')) f['created'] = jiraTimestamp(r.created);
  if (want.has('updated')) f['updated'] = jiraTimestamp(r.updated);
  out['fields'] = f;
  if (properties) {
    const props: Record<string, unknown> = {};
    const keys = properties.includes('*all') ? [...r.properties.keys()] : properties;
    for (const k of keys) if (r.properties.has(k)) props[k] = structuredClone(r.properties.get(k));
    out['properties'] = props;
  }
  return out;
}

export function issueTypesJson(baseUrl: string): Array<Record<string, unknown>> {
  return ISSUE_TYPES.map((t) => issueTypeJson(baseUrl, t));
}

export function transitionsJson(baseUrl: string, r: IssueRec): Array<Record<string, unknown>> {
  return TRANSITIONS.filter((tr) => tr.toStatusId !== r.statusId).map((tr) => ({
    id: tr.id,
    name: tr.name,
    to: statusJson(baseUrl, statusById(tr.toStatusId)),
    hasScreen: false,
    isGlobal: true,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
  }));
}

export function remoteLinkSelf(baseUrl: string, issueId: string, linkId: number): string {
  return `${issueSelf(baseUrl, issueId)}/remotelink/${linkId}`;
}

/**
 * RemoteIssueLink. Fields cleared by an upsert are stored as null (see upsertRemoteLink) and rendered the
 * way the spec types them: absent `globalId`/`relationship`, and an empty `application` object.
 */
export function remoteLinkJson(baseUrl: string, issueId: string, l: RemoteLinkRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: l.id, self: remoteLinkSelf(baseUrl, issueId, l.id) };
  if (l.globalId !== null) out['globalId'] = l.globalId;
  out['application'] = l.application ?? {};
  if (l.relationship !== null) out['relationship'] = l.relationship;
  out['object'] = l.object;
  return out;
}
