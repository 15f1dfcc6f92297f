import { ISSUE_TYPES, type JiraIssueType, type JiraStatus } from './catalog.js';
import { buildFields, type FieldDef, type SelectOption } from './field-defs.js';
import type { IssueTypeSpec, JiraSandboxOptions, ScreenSpec } from './options.js';
import { buildWorkflows, type ScreenField, type WorkflowDef } from './workflows.js';

// The configuration of the sandbox's Jira site, what an admin sets up once: issue types and levels, fields, screens
// (which fields a create or edit may set, which are required), workflows, priorities, resolutions and link types.
// Built from JiraSandboxOptions; with none it is the site the sandbox always had.

export interface PriorityDef {
  id: string;
  name: string;
  statusColor: string;
}

export interface NamedDef {
  id: string;
  name: string;
  description: string;
}

/** IssueLinkType: `outward` reads from the source issue ("blocks"), `inward` from the destination ("is blocked by"). */
export interface LinkTypeDef {
  id: string;
  name: string;
  inward: string;
  outward: string;
}

interface Screens {
  create: ScreenField[];
  edit: ReadonlySet<string>;
}

// Jira Cloud's default priorities and resolutions (https://support.atlassian.com/jira-cloud-administration/docs/configure-priorities/,
// https://support.atlassian.com/jira-cloud-administration/docs/configure-resolutions/).
const DEFAULT_PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
const PRIORITY_COLOURS = ['#d04437', '#f15c75', '#f79232', '#707070', '#999999'];
const RESOLUTIONS: readonly NamedDef[] = [
  { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' },
  { id: '10001', name: "Won't Do", description: "This issue won't be actioned." },
  { id: '10002', name: 'Duplicate', description: 'The problem is a duplicate of an existing issue.' },
  { id: '10003', name: 'Cannot Reproduce', description: 'All attempts at reproducing this issue failed.' },
];
const LINK_TYPES: readonly LinkTypeDef[] = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
];

const DEFAULT_SCREEN_FIELDS = ['description', 'labels', 'duedate', 'parent'];

export class JiraSite {
  readonly issueTypes: readonly JiraIssueType[];
  readonly statuses: readonly JiraStatus[];
  readonly fields: readonly FieldDef[];
  readonly priorities: readonly PriorityDef[];
  readonly defaultPriorityId: string;
  readonly resolutions = RESOLUTIONS;
  readonly linkTypes = LINK_TYPES;
  private readonly workflows: Map<string, WorkflowDef>;
  private readonly screens = new Map<string, Screens>();
  private nextOptionId = 20000;

  constructor(spec: JiraSandboxOptions = {}) {
    this.issueTypes = buildIssueTypes(spec.issueTypes ?? ISSUE_TYPES);
    this.fields = buildFields(spec.customFields ?? []);
    const built = buildWorkflows(spec.workflows, this.issueTypes, (ref) => this.field(ref));
    this.statuses = built.statuses;
    this.workflows = built.byType;
    const names = spec.priorities ?? DEFAULT_PRIORITIES;
    if (names.length === 0) throw new Error('A Jira site needs at least one priority.');
    this.priorities = names.map((name, i) => ({ id: String(i + 1), name, statusColor: PRIORITY_COLOURS[i] ?? '#999999' }));
    const dflt = spec.defaultPriority ?? names[Math.floor((names.length - 1) / 2)];
    const found = this.priorities.find((p) => p.name === dflt);
    if (!found) throw new Error(`The default priority '${dflt ?? ''}' is not one of the priorities.`);
    this.defaultPriorityId = found.id;
    for (const t of this.issueTypes) {
      const screen = spec.screens?.[t.name] ?? spec.screens?.['*'];
      this.screens.set(t.id, this.buildScreens(t, screen ?? {}));
    }
    for (const name of Object.keys(spec.screens ?? {})) {
      if (name !== '*' && !this.typeByName(name)) throw new Error(`Screens are given for an unknown issue type '${name}'.`);
    }
  }

  typeById(id: string): JiraIssueType | undefined {
    return this.issueTypes.find((t) => t.id === id);
  }

  typeByName(name: string): JiraIssueType | undefined {
    const lower = name.toLowerCase();
    return this.issueTypes.find((t) => t.name.toLowerCase() === lower);
  }

  statusById(id: string): JiraStatus {
    return this.statuses.find((s) => s.id === id) ?? (this.statuses[0] as JiraStatus);
  }

  /** A field by id or by name (any case), as a mapping names it. */
  field(ref: string): FieldDef | undefined {
    const lower = ref.toLowerCase();
    return this.fields.find((f) => f.id === ref) ?? this.fields.find((f) => f.name.toLowerCase() === lower);
  }

  workflowOf(typeId: string): WorkflowDef {
    return this.workflows.get(typeId) as WorkflowDef;
  }

  /** Fields of a type's create screen besides project and issue type (summary first, always required). */
  createScreen(typeId: string): readonly ScreenField[] {
    return this.screens.get(typeId)?.create ?? [];
  }

  /** Field ids the edit screen of a type holds. */
  editScreen(typeId: string): ReadonlySet<string> {
    return this.screens.get(typeId)?.edit ?? new Set();
  }

  /** An admin changes a type's screens while the sandbox runs. */
  setScreens(typeName: string, spec: ScreenSpec): void {
    const t = this.typeByName(typeName);
    if (!t) throw new Error(`Unknown issue type ${typeName}`);
    this.screens.set(t.id, this.buildScreens(t, spec));
  }

  /** An admin adds an option to a select, multiselect or checkboxes field. */
  addOption(fieldRef: string, value: string): SelectOption {
    const f = this.field(fieldRef);
    if (f?.value?.kind !== 'option') throw new Error(`'${fieldRef}' is not a field with options.`);
    const existing = f.value.options.find((o) => o.value === value);
    if (existing) return existing;
    const option = { id: String(this.nextOptionId++), value };
    f.value.options.push(option);
    return option;
  }

  private screenField(ref: string, where: string): FieldDef {
    const f = this.field(ref);
    if (!f || f.readOnly || f.id === 'project' || f.id === 'issuetype' || f.id === 'summary') {
      throw new Error(`${where}: '${ref}' is not a field a screen can hold.`);
    }
    return f;
  }

  private buildScreens(t: JiraIssueType, spec: ScreenSpec): Screens {
    const where = `Screens of '${t.name}'`;
    const ids = (spec.fields ?? DEFAULT_SCREEN_FIELDS).map((ref) => this.screenField(ref, where).id);
    // A sub-task cannot exist without its parent, whatever the screen says.
    if (t.hierarchyLevel === -1 && !ids.includes('parent')) ids.push('parent');
    const required = new Set((spec.required ?? []).map((ref) => this.screenField(ref, where).id));
    for (const r of required) if (!ids.includes(r)) throw new Error(`${where}: required field '${r}' is not on the create screen.`);
    if (t.hierarchyLevel === -1) required.add('parent');
    const create = [
      { fieldId: 'summary', required: true },
      ...[...new Set(ids)].map((fieldId) => ({ fieldId, required: required.has(fieldId) })),
    ];
    const edit = new Set(['summary', ...(spec.editFields ?? [...ids]).map((ref) => this.screenField(ref, where).id)]);
    return { create, edit };
  }
}

function buildIssueTypes(specs: readonly IssueTypeSpec[]): JiraIssueType[] {
  let nextId = 10015;
  const out: JiraIssueType[] = [];
  for (const s of specs) {
    const id = s.id ?? String(nextId++);
    if (!Number.isInteger(s.hierarchyLevel) || s.hierarchyLevel < -1)
      throw new Error(`Issue type '${s.name}': hierarchyLevel must be -1, 0, 1, 2, …`);
    if (out.some((t) => t.id === id)) throw new Error(`Issue type id '${id}' is used twice.`);
    if (out.some((t) => t.name.toLowerCase() === s.name.toLowerCase())) throw new Error(`Issue type '${s.name}' is given twice.`);
    out.push({ id, name: s.name, subtask: s.hierarchyLevel === -1, hierarchyLevel: s.hierarchyLevel, description: s.description ?? '' });
  }
  const levels = new Set(out.map((t) => t.hierarchyLevel));
  if (!levels.has(0)) throw new Error('A Jira site needs an issue type at level 0.');
  // Levels above Epic stack on it: level n needs level n-1 (https://support.atlassian.com/jira-cloud-administration/docs/configure-the-issue-type-hierarchy/).
  for (const l of levels) if (l > 0 && !levels.has(l - 1)) throw new Error(`Issue types at level ${l} need a type at level ${l - 1}.`);
  return out;
}
