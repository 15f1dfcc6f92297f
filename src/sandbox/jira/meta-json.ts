import type { JiraIssueType } from './catalog.js';
import type { FieldDef } from './field-defs.js';
import { allowedValues } from './field-values.js';
import type { JiraState } from './state.js';
import { priorityJson } from './value-json.js';

// Field metadata as Jira describes it: FieldDetails (GET /rest/api/3/field), FieldMetadata (transition screens,
// `expand=transitions.fields`) and FieldCreateMetadata (GET /rest/api/3/issue/createmeta/{project}/issuetypes/{id}).

export function fieldDetailsJson(f: FieldDef): Record<string, unknown> {
  return {
    id: f.id,
    key: f.id,
    name: f.name,
    custom: f.custom,
    orderable: !f.readOnly,
    navigable: true,
    searchable: true,
    clauseNames: f.clauseNames,
    schema: f.schema,
  };
}

export function issueTypeRefJson(baseUrl: string, t: JiraIssueType): Record<string, unknown> {
  return {
    self: `${baseUrl}/rest/api/3/issuetype/${t.id}`,
    id: t.id,
    description: t.description,
    iconUrl: `${baseUrl}/images/icons/issuetypes/${t.name.toLowerCase().replace(/\s+/g, '-')}.svg`,
    name: t.name,
    subtask: t.subtask,
    hierarchyLevel: t.hierarchyLevel,
  };
}

/** FieldMetadata of `f` on a screen of `type`. */
export function fieldMetaJson(
  state: JiraState,
  baseUrl: string,
  f: FieldDef,
  required: boolean,
  type: JiraIssueType,
): Record<string, unknown> {
  const out: Record<string, unknown> = { required, schema: f.schema, name: f.name, key: f.id, operations: f.operations };
  const p = state.project;
  let allowed = allowedValues(f, state, baseUrl, p.id);
  if (f.id === 'project')
    allowed = [
      { self: `${baseUrl}/rest/api/3/project/${p.id}`, id: p.id, key: p.key, name: p.name, projectTypeKey: 'software', simplified: false },
    ];
  if (f.id === 'issuetype') allowed = [issueTypeRefJson(baseUrl, type)];
  if (allowed) out['allowedValues'] = allowed;
  if (f.id === 'labels' || f.schema.custom?.endsWith(':labels')) out['autoCompleteUrl'] = `${baseUrl}/rest/api/1.0/labels/suggest?query=`;
  if (f.value?.kind === 'user') out['autoCompleteUrl'] = `${baseUrl}/rest/api/3/user/search?query=`;
  const dflt = f.id === 'priority' ? state.site.priorities.find((x) => x.id === state.site.defaultPriorityId) : undefined;
  out['hasDefaultValue'] = dflt !== undefined;
  if (dflt) out['defaultValue'] = priorityJson(baseUrl, dflt);
  return out;
}

/** FieldCreateMetadata: FieldMetadata plus `fieldId`. */
export const createMetaFieldJson = (...args: Parameters<typeof fieldMetaJson>): Record<string, unknown> => ({
  ...fieldMetaJson(...args),
  fieldId: args[2].id,
});
