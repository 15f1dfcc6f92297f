import type { JiraFieldValue } from '../model/field-value.js';
import { STATUS_CATEGORIES, type StatusCategory } from '../model/status.js';
import type { FieldSource, FieldsSpec, PbType } from './schema.js';
import type { SourceRef } from './sources.js';
import { StatusTable } from './status-table.js';
import type { Template } from './template.js';
import type { TableValue, ValueTable } from './value-table.js';
import type { Filter } from './where.js';
import type { CompiledWriteBack } from './write-back.js';

// A mapping file as the engine uses it: checked, defaults filled, names parsed. Both format versions
// compile to this one shape; what version 1 cannot say is simply absent (no targets, no filter...).

export interface CompiledFields {
  summaryPrefix: string;
  /** Version 2: the whole summary as a template (the prefix is then empty). */
  summaryTemplate: Template | null;
  description: { sourceLink: boolean; header: Template | null; footer: Template | null } | null;
  labels: boolean;
  dueDate: 'endDate' | 'startDate' | null;
  /** Productboard status name → Jira status category, matched whatever the case; null when status is not synced. */
  status: StatusTable | null;
}

/** Version 1 `jira.fields`: a constant as Jira's REST API takes it, or a Productboard field of the item; set at creation. */
export type JiraFieldSpec = { kind: 'value'; value: JiraFieldValue } | { kind: 'from'; source: FieldSource };

/** Where a version 2 Jira field's value comes from. */
export type ValueSpec =
  | { kind: 'constant'; value: TableValue | readonly TableValue[] }
  | { kind: 'source'; source: SourceRef; table: ValueTable | null; default: TableValue | null }
  | { kind: 'template'; template: Template };

/** A version 2 `jira.fields` entry. */
export interface TargetSpec {
  /** The Jira field as the mapping names it (a name or an id). */
  key: string;
  /** Where the mapping says it, for messages: `rules[1].jira.fields["Impact"]`. */
  path: string;
  value: ValueSpec;
  /** False: given at creation only. */
  update: boolean;
  /** A components or fix versions field may add what the project lacks. */
  create: boolean;
}

export interface IssueTypeChoice {
  /** The value read per item (a select, or `tags`: the first tag the table knows). */
  source: SourceRef;
  /** Value → issue type name; every type at the rule's level. */
  table: ValueTable;
}

export interface CompiledRule {
  pbType: PbType;
  /** Position in the file, for messages (`rules[1]`). */
  index: number;
  issueType: { level: number; name: string | undefined; choice: IssueTypeChoice | null };
  parent: { pbType: PbType; via: 'link' | 'parent'; required: boolean; whenSeveral: 'earliest-created' | 'first-by-name' } | null;
  /** Version 2 `where`: the items of the type the rule syncs (null: all). */
  where: Filter | null;
  insights: { list: boolean; max: number } | null;
  fields: CompiledFields;
  /** Version 1 `jira.fields`: Jira field (as the mapping names it) → its value at creation. */
  jiraFields: ReadonlyMap<string, JiraFieldSpec>;
  /** Version 2 `jira.fields`, in the file's order. */
  targets: readonly TargetSpec[];
}

export interface CompiledValueStreams {
  /** Tried in order; the first that gives a value wins. */
  sources: readonly SourceRef[];
  tagPrefix: string | null;
  table: ValueTable | null;
  /** The rule types whose items belong to streams (null: every rule). */
  rules: ReadonlySet<PbType> | null;
  inherit: boolean;
  component: boolean;
  createComponents: boolean;
  labelPrefix: string | null;
  required: boolean;
}

export interface CompiledMapping {
  file: string;
  version: 1 | 2;
  rules: ReadonlyMap<PbType, CompiledRule>;
  /** Rule types ordered parents first: the order issues must be created in. */
  order: readonly PbType[];
  valueStreams: CompiledValueStreams | null;
  /** The project-wide hierarchy policy: issues that must have a parent, by level or by type name. */
  hierarchy: { levels: readonly number[]; issueTypes: readonly string[] } | null;
  /** Every Productboard type a pass reads: the rules' own, and those their filters and sources look at. */
  readTypes: readonly PbType[];
  /** Notes are read: a rule lists insights, or a value counts them. */
  readsNotes: boolean;
  /** Productboard custom fields the mapping names (by name or id), per type whose items it reads them on. */
  sourceFields: ReadonlyMap<PbType, ReadonlySet<string>>;
  /** What is written back to Productboard (the `writeBack` section); null: nothing. */
  writeBack: CompiledWriteBack | null;
}

/** The status table of a rule: its own `fields.status`, else the file's. */
export function statusTableOf(status: FieldsSpec['status']): StatusTable | null {
  if (!status) return null;
  const entries: Array<[string, StatusCategory]> = STATUS_CATEGORIES.flatMap((category) =>
    status.categories[category].map((name): [string, StatusCategory] => [name, category]),
  );
  return new StatusTable(entries);
}

/** Rule types ordered parents first. */
export function parentsFirst(rules: ReadonlyMap<PbType, Pick<CompiledRule, 'parent'>>): PbType[] {
  const depth = (type: PbType, guard = 0): number => {
    const parent = rules.get(type)?.parent;
    return parent && guard < 10 ? 1 + depth(parent.pbType, guard + 1) : 0;
  };
  return [...rules.keys()].sort((a, b) => depth(a) - depth(b));
}
