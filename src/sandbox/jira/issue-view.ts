import { jiraTimestamp, type JiraIssueType } from './catalog.js';
import { FLAGGED } from './field-defs.js';
import { friendlyValue, type ValueContext, type ValueField } from './field-values.js';
import type { IssueLinks } from './links.js';
import type { IssueRec, JiraIssueView } from './records.js';

// How tests and people read an issue: names rather than ids (priority, components, options), links as sentences
// ("is blocked by PBJ-1"), custom fields by name.

/** What a view reads of the project (the JiraState). */
export interface IssueViewSource extends ValueContext {
  links: IssueLinks;
  find(idOrKey: string): IssueRec | undefined;
  typeOf(r: IssueRec): JiraIssueType;
}

export function viewOf(state: IssueViewSource, r: IssueRec): JiraIssueView {
  const t = state.typeOf(r);
  const s = state.site.statusById(r.statusId);
  const parent = r.parentId ? state.find(r.parentId) : undefined;
  const friendly = (id: string): unknown => {
    const f = state.site.field(id);
    return f?.value ? friendlyValue(f as ValueField, r.values.get(id), state) : null;
  };
  const customFields: Record<string, unknown> = {};
  for (const f of state.site.fields)
    if (f.custom && f.value) customFields[f.name] = friendlyValue(f as ValueField, r.values.get(f.id), state);
  return {
    id: r.id,
    key: r.key,
    issueType: { id: t.id, name: t.name, hierarchyLevel: t.hierarchyLevel, subtask: t.subtask },
    summary: r.summary,
    description: r.description ? structuredClone(r.description) : null,
    labels: [...r.labels],
    duedate: r.duedate,
    parentId: r.parentId,
    parentKey: parent?.key ?? null,
    status: { id: s.id, name: s.name, categoryKey: s.category },
    priority: friendly('priority') as string | null,
    assignee: (r.values.get('assignee') as string | undefined) ?? null,
    components: friendly('components') as string[],
    fixVersions: friendly('fixVersions') as string[],
    resolution: friendly('resolution') as string | null,
    flagged: r.values.has(FLAGGED.id),
    customFields,
    links: state.links.of(r.id).map((l) => {
      const type = state.site.linkTypes.find((x) => x.id === l.typeId);
      const outward = l.sourceId === r.id;
      const other = state.find(outward ? l.destinationId : l.sourceId);
      return {
        id: l.id,
        type: type?.name ?? '',
        direction: outward ? 'outward' : 'inward',
        description: (outward ? type?.outward : type?.inward) ?? '',
        otherKey: other?.key ?? '',
      };
    }),
    properties: Object.fromEntries([...r.properties].map(([k, v]) => [k, structuredClone(v)])),
    remoteLinks: r.remoteLinks.map((l) => structuredClone(l)),
    created: jiraTimestamp(r.created),
    updated: jiraTimestamp(r.updated),
  };
}
