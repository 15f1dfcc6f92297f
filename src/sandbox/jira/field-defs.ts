import type { CustomFieldSpec, CustomFieldType } from './options.js';

// The fields of the sandbox's Jira site, as GET /rest/api/3/field lists them (FieldDetails): the system fields the
// sandbox models and the site's custom fields. `schema` is Jira's JsonTypeBean; custom type URIs are the ones Jira
// reports (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/, and the custom field
// examples of POST /rest/api/3/issue/bulk in the REST reference).

export interface SelectOption {
  id: string;
  value: string;
}

/** How a field's value is written and kept on an issue (fields the issue model holds itself have none). */
export type ValueType =
  | { kind: 'number' }
  | { kind: 'string' }
  | { kind: 'adf' }
  | { kind: 'date' }
  | { kind: 'option'; many: boolean; options: SelectOption[] }
  | { kind: 'labels' }
  | { kind: 'user' }
  | { kind: 'priority' }
  | { kind: 'components' }
  | { kind: 'versions' }
  | { kind: 'resolution' };

/** JsonTypeBean. */
export interface JsonType {
  type: string;
  items?: string;
  system?: string;
  custom?: string;
  customId?: number;
}

export interface FieldDef {
  id: string;
  name: string;
  custom: boolean;
  schema: JsonType;
  clauseNames: string[];
  /** Operations an `update` may use (FieldCreateMetadata.operations). */
  operations: string[];
  /** Absent for fields the issue model holds itself: summary, description, labels, duedate, parent, status, … */
  value?: ValueType;
  /** Computed by Jira; never on a screen. */
  readOnly?: boolean;
}

const SET = ['set'];
const MULTI = ['add', 'set', 'remove'];

function system(
  id: string,
  name: string,
  schema: Omit<JsonType, 'system'>,
  operations: string[],
  clauseNames: string[],
  extra: Partial<FieldDef> = {},
): FieldDef {
  return { id, name, custom: false, schema: { ...schema, system: id }, clauseNames, operations, ...extra };
}

/** The system fields the sandbox models. Summary, description, labels, due date and parent are the historical core. */
export const SYSTEM_FIELDS: readonly FieldDef[] = [
  system('summary', 'Summary', { type: 'string' }, SET, ['summary']),
  system('description', 'Description', { type: 'string' }, SET, ['description']),
  system('issuetype', 'Issue Type', { type: 'issuetype' }, SET, ['issuetype', 'type']),
  system('project', 'Project', { type: 'project' }, SET, ['project']),
  system('parent', 'Parent', { type: 'issuelink' }, SET, ['parent']),
  system('labels', 'Labels', { type: 'array', items: 'string' }, MULTI, ['labels']),
  system('duedate', 'Due date', { type: 'date' }, SET, ['due', 'duedate']),
  system('priority', 'Priority', { type: 'priority' }, SET, ['priority'], { value: { kind: 'priority' } }),
  system('components', 'Components', { type: 'array', items: 'component' }, MULTI, ['component'], { value: { kind: 'components' } }),
  system('fixVersions', 'Fix versions', { type: 'array', items: 'version' }, MULTI, ['fixVersion'], { value: { kind: 'versions' } }),
  system('assignee', 'Assignee', { type: 'user' }, SET, ['assignee'], { value: { kind: 'user' } }),
  system('resolution', 'Resolution', { type: 'resolution' }, SET, ['resolution'], { value: { kind: 'resolution' } }),
  system('status', 'Status', { type: 'status' }, [], ['status'], { readOnly: true }),
  system('created', 'Created', { type: 'datetime' }, [], ['created', 'createdDate'], { readOnly: true }),
  system('updated', 'Updated', { type: 'datetime' }, [], ['updated', 'updatedDate'], { readOnly: true }),
  system('issuelinks', 'Linked Issues', { type: 'array', items: 'issuelinks' }, [], ['issueLink'], { readOnly: true }),
];

const PLUGIN = 'com.atlassian.jira.plugin.system.customfieldtypes';

const CUSTOM_TYPES: Record<
  CustomFieldType,
  { custom: string; schema: Omit<JsonType, 'custom' | 'customId'>; value: (options: SelectOption[]) => ValueType }
> = {
  number: { custom: `${PLUGIN}:float`, schema: { type: 'number' }, value: () => ({ kind: 'number' }) },
  text: { custom: `${PLUGIN}:textfield`, schema: { type: 'string' }, value: () => ({ kind: 'string' }) },
  textarea: { custom: `${PLUGIN}:textarea`, schema: { type: 'string' }, value: () => ({ kind: 'adf' }) },
  select: { custom: `${PLUGIN}:select`, schema: { type: 'option' }, value: (options) => ({ kind: 'option', many: false, options }) },
  multiselect: {
    custom: `${PLUGIN}:multiselect`,
    schema: { type: 'array', items: 'option' },
    value: (options) => ({ kind: 'option', many: true, options }),
  },
  checkboxes: {
    custom: `${PLUGIN}:multicheckboxes`,
    schema: { type: 'array', items: 'option' },
    value: (options) => ({ kind: 'option', many: true, options }),
  },
  labels: { custom: `${PLUGIN}:labels`, schema: { type: 'array', items: 'string' }, value: () => ({ kind: 'labels' }) },
  date: { custom: `${PLUGIN}:datepicker`, schema: { type: 'date' }, value: () => ({ kind: 'date' }) },
  user: { custom: `${PLUGIN}:userpicker`, schema: { type: 'user' }, value: () => ({ kind: 'user' }) },
  // Company-managed projects' Epic Name (https://support.atlassian.com/jira-software-cloud/docs/what-is-an-epic/).
  'epic-name': { custom: 'com.pyxis.greenhopper.jira:gh-epic-label', schema: { type: 'string' }, value: () => ({ kind: 'string' }) },
};

const OPTION_TYPES: ReadonlySet<CustomFieldType> = new Set(['select', 'multiselect', 'checkboxes']);

/** Jira Software's "Flagged" field: checkboxes with the single option "Impediment", set by a board's "Add flag". */
export const FLAGGED: CustomFieldSpec & { id: string } = {
  id: 'customfield_10021',
  name: 'Flagged',
  type: 'checkboxes',
  options: ['Impediment'],
};
const FLAGGED_OPTION_ID = '10019';

/** Builds the site's fields; custom field ids and option ids are allocated like Jira's when a spec leaves them out. */
export function buildFields(customSpecs: readonly CustomFieldSpec[]): FieldDef[] {
  const fields: FieldDef[] = [...SYSTEM_FIELDS];
  let nextField = 10100;
  let nextOption = 10100;
  for (const spec of [FLAGGED, ...customSpecs]) {
    const id = spec.id ?? `customfield_${nextField++}`;
    const m = /^customfield_(\d+)$/.exec(id);
    if (!m) throw new Error(`Custom field id '${id}' must look like customfield_10050.`);
    if (fields.some((f) => f.id === id)) throw new Error(`Custom field id '${id}' is used twice.`);
    if (fields.some((f) => f.name.toLowerCase() === spec.name.toLowerCase()))
      throw new Error(`A field named '${spec.name}' already exists.`);
    const type = CUSTOM_TYPES[spec.type];
    if (OPTION_TYPES.has(spec.type) !== (spec.options !== undefined)) {
      throw new Error(`Custom field '${spec.name}': options go with select, multiselect and checkboxes fields, and those need them.`);
    }
    const options = (spec.options ?? []).map((value) => ({ id: spec === FLAGGED ? FLAGGED_OPTION_ID : String(nextOption++), value }));
    const customId = Number(m[1]);
    fields.push({
      id,
      name: spec.name,
      custom: true,
      schema: { ...type.schema, custom: type.custom, customId },
      clauseNames: [`cf[${customId}]`, spec.name],
      operations: type.schema.type === 'array' ? MULTI : SET,
      value: type.value(options),
    });
  }
  return fields;
}
