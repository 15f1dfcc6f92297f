import { categoryOf, jiraTimestamp, type JiraStatus } from './catalog.js';
import { renderValue, type ValueField } from './field-values.js';
import { fieldMetaJson, issueTypeRefJson } from './meta-json.js';
import type { IssueRec, JiraState, RemoteLinkRec } from './state.js';
import type { LinkTypeDef } from './site.js';
import { availableTransitions } from './workflows.js';

// JSON shapes of Jira Cloud REST v3 (IssueBean, IssueTypeDetails, StatusDetails, IssueTransition, IssueLink,
// RemoteIssueLink). Field selection follows the `fields` parameter rules: `*all` / `*navigable`, explicit ids,
// `-id` exclusions, and `id` meaning "no fields" (the search/jql default).

export interface FieldSet {
  names: Set<string>;
}

/** Parses a `fields` list (array or comma string) against the site's fields. `fallback` is what an absent parameter means. */
export function parseFieldSet(raw: unknown, fallback: 'all' | 'none', state: JiraState): FieldSet {
  const every = state.site.fields.map((f) => f.id);
  const items = toList(raw);
  if (items.length === 0) return { names: new Set(fallback === 'all' ? every : []) };
  const names = new Set<string>();
  const excluded = new Set<string>();
  let all = false;
  for (const item of items) {
    if (item === '*all' || item === '*navigable') all = true;
    else if (item.startsWith('-')) excluded.add(item.slice(1));
    else if (every.includes(item)) names.add(item);
    // `id`, `key` and unknown field ids add nothing: the bean always carries id/key/self.
  }
  if (all || (names.size === 0 && excluded.size > 0 && !items.some((i) => i === 'id' || i === 'key'))) for (const f of every) names.add(f);
  for (const e of excluded) names.delete(e);
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

export function issueTypesJson(baseUrl: string, state: JiraState): Array<Record<string, unknown>> {
  return state.site.issueTypes.map((t) => issueTypeRefJson(baseUrl, t));
}

export function linkTypeJson(baseUrl: string, t: LinkTypeDef): Record<string, unknown> {
  return { id: t.id, name: t.name, inward: t.inward, outward: t.outward, self: `${baseUrl}/rest/api/3/issueLinkType/${t.id}` };
}

/** Another issue as issue JSON refers to it: a link's other end (IssueLink's LinkedIssue), or the `parent`. */
export function linkedIssueJson(state: JiraState, baseUrl: string, r: IssueRec): Record<string, unknown> {
  return {
    id: r.id,
    key: r.key,
    self: issueSelf(baseUrl, r.id),
    fields: {
      summary: r.summary,
      status: statusJson(baseUrl, state.site.statusById(r.statusId)),
      issuetype: issueTypeRefJson(baseUrl, state.typeOf(r)),
    },
  };
}

/**
 * `fields.issuelinks`: each link carries only the other end, as `outwardIssue` when this issue is the source ("this
 * blocks that") and as `inwardIssue` when it is the destination (the getIssue example of the REST reference, and
 * https://developer.atlassian.com/cloud/jira/platform/issue-linking-model/).
 */
function issueLinksJson(state: JiraState, baseUrl: string, r: IssueRec): Array<Record<string, unknown>> {
  return state.links.of(r.id).flatMap((l) => {
    const type = state.site.linkTypes.find((t) => t.id === l.typeId);
    const outward = l.sourceId === r.id;
    const other = state.find(outward ? l.destinationId : l.sourceId);
    if (!type || !other) return [];
    return [
      {
        id: l.id,
        self: `${baseUrl}/rest/api/3/issueLink/${l.id}`,
        type: linkTypeJson(baseUrl, type),
        [outward ? 'outwardIssue' : 'inwardIssue']: linkedIssueJson(state, baseUrl, other),
      },
    ];
  });
}

export function renderIssue(
  state: JiraState,
  baseUrl: string,
  r: IssueRec,
  fields: FieldSet,
  properties: string[] | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: r.id, key: r.key, self: issueSelf(baseUrl, r.id) };
  const f: Record<string, unknown> = {};
  for (const id of fields.names) {
    const def = state.site.field(id);
    if (def?.value) {
      f[id] = renderValue(def as ValueField, r.values.get(id), state, baseUrl, state.project.id);
      continue;
    }
    const v = coreFieldJson(state, baseUrl, r, id);
    if (v !== undefined) f[id] = v;
  }
  out['fields'] = f;
  if (properties) {
    const props: Record<string, unknown> = {};
    const keys = properties.includes('*all') ? [...r.properties.keys()] : properties;
    for (const k of keys) if (r.properties.has(k)) props[k] = structuredClone(r.properties.get(k));
    out['properties'] = props;
  }
  return out;
}

/** A core field's JSON; undefined leaves it out (an issue without a parent has no `parent` key). */
function coreFieldJson(state: JiraState, baseUrl: string, r: IssueRec, id: string): unknown {
  switch (id) {
    case 'summary':
      return r.summary;
    case 'description':
      return r.description;
    case 'labels':
      return [...r.labels];
    case 'duedate':
      return r.duedate;
    case 'issuetype':
      return issueTypeRefJson(baseUrl, state.typeOf(r));
    case 'parent': {
      const p = r.parentId ? state.find(r.parentId) : undefined;
      return p ? linkedIssueJson(state, baseUrl, p) : undefined;
    }
    case 'status':
      return statusJson(baseUrl, state.site.statusById(r.statusId));
    case 'project':
      return projectJson(baseUrl, state);
    case 'created':
      return jiraTimestamp(r.created);
    case 'updated':
      return jiraTimestamp(r.updated);
    case 'issuelinks':
      return issueLinksJson(state, baseUrl, r);
    default:
      return undefined;
  }
}

/** IssueTransition list of an issue; `withFields` adds each transition screen's fields (`expand=transitions.fields`). */
export function transitionsJson(state: JiraState, baseUrl: string, r: IssueRec, withFields: boolean): Array<Record<string, unknown>> {
  const type = state.typeOf(r);
  return availableTransitions(state.site.workflowOf(type.id), r.statusId).map((tr) => {
    const out: Record<string, unknown> = {
      id: tr.id,
      name: tr.name,
      to: statusJson(baseUrl, state.site.statusById(tr.toStatusId)),
      hasScreen: tr.screen !== null,
      isGlobal: tr.from === null,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
    };
    if (withFields) {
      const fields: Record<string, unknown> = {};
      for (const s of tr.screen ?? []) {
        const def = state.site.field(s.fieldId);
        if (def) fields[def.id] = fieldMetaJson(state, baseUrl, def, s.required, type);
      }
      out['fields'] = fields;
    }
    return out;
  });
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
