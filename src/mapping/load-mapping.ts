import { mappingSchema, type FieldSource, type FieldsSpec, type MappingFile, type PbType } from './schema.js';
import type { JiraFieldValue } from '../model/field-value.js';
import { knownKeysOf } from '../util/schema-keys.js';
import { problemsAt, readLocatedYaml, zodProblems, type LocatedYaml } from '../util/located-yaml.js';
import type { Problem } from '../util/problems.js';
import { STATUS_CATEGORIES, type StatusCategory } from '../model/status.js';
import { statusKey, StatusTable } from './status-table.js';
import { compileWriteBack, type CompiledWriteBack } from './write-back.js';

export interface CompiledFields {
  summaryPrefix: string;
  description: { sourceLink: boolean } | null;
  labels: boolean;
  dueDate: 'endDate' | 'startDate' | null;
  /** Productboard status name → Jira status category, matched whatever the case; null when status is not synced. */
  status: StatusTable | null;
}

export interface CompiledRule {
  pbType: PbType;
  /** Position in the file, for messages (`rules[1]`). */
  index: number;
  issueType: { level: number; name: string | undefined };
  parent: { pbType: PbType; via: 'link' | 'parent'; required: boolean; whenSeveral: 'earliest-created' | 'first-by-name' } | null;
  insights: { list: boolean; max: number } | null;
  fields: CompiledFields;
  /** `jira.fields`: Jira field (as the mapping names it) → its value at creation. */
  jiraFields: ReadonlyMap<string, JiraFieldSpec>;
}

/** A Jira field's value at creation: a constant, or a Productboard field of the item. */
export type JiraFieldSpec = { kind: 'value'; value: JiraFieldValue } | { kind: 'from'; source: FieldSource };

/**
 * Fields the sync itself owns (by id and by the name Jira shows): `jira.fields` cannot set them,
 * the `fields` section and the rule's parent do.
 */
const OWNED_FIELDS = ['summary', 'description', 'labels', 'duedate', 'due date', 'parent', 'project', 'issuetype', 'issue type'];

export interface CompiledMapping {
  file: string;
  rules: ReadonlyMap<PbType, CompiledRule>;
  /** Rule types ordered parents first: the order issues must be created in. */
  order: readonly PbType[];
  /** What is written back to Productboard (the `writeBack` section); null: nothing. */
  writeBack: CompiledWriteBack | null;
}

export type MappingResult = { ok: true; mapping: CompiledMapping } | { ok: false; problems: Problem[] };

const knownKeys = knownKeysOf(mappingSchema);

export function loadMapping(absolutePath: string, displayName: string): MappingResult {
  return compileMappingSource(readLocatedYaml(absolutePath, displayName));
}

export function compileMappingSource(source: LocatedYaml): MappingResult {
  if (source.problems.length) return { ok: false, problems: source.problems };
  const parsed = mappingSchema.safeParse(source.value);
  if (!parsed.success) return { ok: false, problems: zodProblems(source, parsed.error, knownKeys) };
  const problems = semanticProblems(source, parsed.data);
  if (problems.length) return { ok: false, problems };
  return { ok: true, mapping: compile(source.file, parsed.data) };
}

function semanticProblems(source: LocatedYaml, mapping: MappingFile): Problem[] {
  const problems: Problem[] = [];
  const at = problemsAt(source, problems);

  const byType = new Map<PbType, number>();
  mapping.rules.forEach((rule, index) => {
    if (byType.has(rule.from))
      at(['rules', index, 'from'], `"${rule.from}" is already mapped by rules[${byType.get(rule.from)}]; one rule per Productboard type`);
    else byType.set(rule.from, index);
  });

  mapping.rules.forEach((rule, index) => {
    const parent = rule.jira.parent;
    const level = rule.jira.issueType.level;
    if (!parent) {
      if (level === -1)
        at(
          ['rules', index, 'jira'],
          'a sub-task level issue type (level -1) needs a `parent` rule: Jira refuses sub-tasks without a parent',
        );
      return;
    }
    const parentIndex = byType.get(parent.rule);
    if (parentIndex === undefined) {
      at(['rules', index, 'jira', 'parent', 'rule'], `no rule maps "${parent.rule}" (mapped: ${[...byType.keys()].join(', ')})`);
      return;
    }
    if (parent.rule === rule.from) {
      at(['rules', index, 'jira', 'parent', 'rule'], 'a rule cannot be its own parent');
      return;
    }
    // Jira's hierarchy: a parent sits exactly one level up, and a sub-task's parent is a standard issue.
    const parentLevel = mapping.rules[parentIndex]!.jira.issueType.level;
    const expected = level === -1 ? 0 : level + 1;
    if (parentLevel !== expected) {
      at(
        ['rules', index, 'jira', 'parent', 'rule'],
        `parent "${parent.rule}" maps to level ${parentLevel}, but a level ${level} issue needs a level ${expected} parent in Jira`,
      );
    }
  });

  const checkStatus = (fields: FieldsSpec | undefined, path: Array<string | number>) => {
    const status = fields?.status;
    if (!status) return;
    // Names match whatever their case, so "Done" and "done" are one status.
    const seen = new Map<string, string>();
    for (const category of STATUS_CATEGORIES) {
      status.categories[category].forEach((name, i) => {
        const other = seen.get(statusKey(name));
        if (other) at([...path, 'status', 'categories', category, i], `"${name}" is also listed under ${other}`);
        else seen.set(statusKey(name), category);
      });
    }
  };
  problems.push(...ownedFieldProblems(source, mapping));
  checkStatus(mapping.fields, ['fields']);
  mapping.rules.forEach((rule, index) => checkStatus(rule.fields, ['rules', index, 'fields']));
  return problems;
}

function compileFields(global: FieldsSpec, local: FieldsSpec | undefined): CompiledFields {
  const pick = <K extends keyof FieldsSpec>(key: K): FieldsSpec[K] => (local && key in local ? local[key] : global[key]);
  const description = pick('description');
  const labels = pick('labels');
  const dueDate = pick('dueDate');
  const status = pick('status');
  const entries: Array<[string, StatusCategory]> = status
    ? STATUS_CATEGORIES.flatMap((category) => status.categories[category].map((name): [string, StatusCategory] => [name, category]))
    : [];
  return {
    summaryPrefix: pick('summary')?.prefix ?? '',
    description: description ? { sourceLink: description.sourceLink } : null,
    labels: Boolean(labels),
    dueDate: dueDate ? (dueDate.from === 'timeframe.endDate' ? 'endDate' : 'startDate') : null,
    status: status ? new StatusTable(entries) : null,
  };
}

function compile(file: string, mapping: MappingFile): CompiledMapping {
  const rules = new Map<PbType, CompiledRule>();
  mapping.rules.forEach((rule, index) => {
    const parent = rule.jira.parent;
    rules.set(rule.from, {
      pbType: rule.from,
      index,
      issueType: { level: rule.jira.issueType.level, name: rule.jira.issueType.name },
      parent: parent ? { pbType: parent.rule, via: parent.via, required: parent.required, whenSeveral: parent.whenSeveral } : null,
      insights: rule.insights ? { list: rule.insights.list, max: rule.insights.max } : null,
      fields: compileFields(mapping.fields, rule.fields),
      jiraFields: new Map(
        Object.entries(rule.jira.fields ?? {}).map(([key, value]): [string, JiraFieldSpec] => {
          const from = typeof value === 'object' && value !== null && !Array.isArray(value) ? value['from'] : undefined;
          return [
            key,
            typeof from === 'string' ? { kind: 'from', source: from as FieldSource } : { kind: 'value', value: value as JiraFieldValue },
          ];
        }),
      ),
    });
  });
  return { file, rules, order: parentsFirst(rules), writeBack: compileWriteBack(mapping.writeBack) };
}

function parentsFirst(rules: ReadonlyMap<PbType, CompiledRule>): PbType[] {
  const depth = (type: PbType, guard = 0): number => {
    const parent = rules.get(type)?.parent;
    return parent && guard < 10 ? 1 + depth(parent.pbType, guard + 1) : 0;
  };
  return [...rules.keys()].sort((a, b) => depth(a) - depth(b));
}

/** `jira.fields` naming a field the sync itself writes. */
function ownedFieldProblems(source: LocatedYaml, mapping: MappingFile): Problem[] {
  const problems: Problem[] = [];
  const at = problemsAt(source, problems);
  mapping.rules.forEach((rule, index) => {
    for (const key of Object.keys(rule.jira.fields ?? {})) {
      if (OWNED_FIELDS.includes(key.trim().toLowerCase()))
        at(
          ['rules', index, 'jira', 'fields', key],
          `"${key}" is written by the sync itself (the \`fields\` section and \`parent\`); jira.fields gives values to other fields`,
        );
    }
  });
  return problems;
}
