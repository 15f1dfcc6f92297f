import type { JiraFieldValue } from '../model/field-value.js';
import { STATUS_CATEGORIES } from '../model/status.js';
import { problemsAt, readLocatedYaml, zodProblems, type LocatedYaml } from '../util/located-yaml.js';
import type { Problem } from '../util/problems.js';
import { knownKeysOf } from '../util/schema-keys.js';
import { compileV2, v2Problems } from './compile-v2.js';
import {
  parentsFirst,
  statusTableOf,
  type CompiledFields,
  type CompiledMapping,
  type CompiledRule,
  type JiraFieldSpec,
} from './compiled.js';
import { routesBetween } from './relationships.js';
import { mappingSchema, type FieldSource, type FieldsSpec, type MappingFile, type PbType } from './schema.js';
import { mappingSchemaV2 } from './schema-v2.js';
import { statusKey } from './status-table.js';
import { compileWriteBack, unknownStatusRules, type WriteBackSpec } from './write-back.js';

export type { CompiledFields, CompiledMapping, CompiledRule, JiraFieldSpec, TargetSpec, ValueSpec } from './compiled.js';

export type MappingResult = { ok: true; mapping: CompiledMapping } | { ok: false; problems: Problem[] };

/**
 * Fields the sync itself owns (by id and by the name Jira shows): `jira.fields` cannot set them,
 * the `fields` section and the rule's parent do.
 */
const OWNED_FIELDS = ['summary', 'description', 'labels', 'duedate', 'due date', 'parent', 'project', 'issuetype', 'issue type'];

const knownKeysV1 = knownKeysOf(mappingSchema);
const knownKeysV2 = knownKeysOf(mappingSchemaV2);

/** What both versions say about a rule's place in the tree: enough for the checks they share. */
interface RuleShape {
  from: PbType;
  jira: {
    issueType: { level: number };
    parent?: { rule: PbType; via: 'link' | 'parent' } | undefined;
    fields?: Record<string, unknown> | undefined;
  };
  fields?: { status?: FieldsSpec['status'] } | undefined;
}

export function loadMapping(absolutePath: string, displayName: string): MappingResult {
  return compileMappingSource(readLocatedYaml(absolutePath, displayName));
}

export function compileMappingSource(source: LocatedYaml): MappingResult {
  if (source.problems.length) return { ok: false, problems: source.problems };
  const version = (source.value as { version?: unknown } | null | undefined)?.version;
  if (version === 2) {
    const parsed = mappingSchemaV2.safeParse(source.value);
    if (!parsed.success) return { ok: false, problems: zodProblems(source, parsed.error, knownKeysV2) };
    const problems = [...sharedProblems(source, parsed.data), ...v2Problems(source, parsed.data)];
    if (problems.length) return { ok: false, problems };
    return { ok: true, mapping: compileV2(source.file, parsed.data) };
  }
  if (version !== undefined && version !== 1) {
    const at: Problem[] = [];
    problemsAt(source, at)(['version'], `must be 1 or 2 (got ${JSON.stringify(version)})`);
    return { ok: false, problems: at };
  }
  const parsed = mappingSchema.safeParse(source.value);
  if (!parsed.success) return { ok: false, problems: zodProblems(source, parsed.error, knownKeysV1) };
  const problems = sharedProblems(source, parsed.data);
  if (problems.length) return { ok: false, problems };
  return { ok: true, mapping: compileV1(source.file, parsed.data) };
}

/** The checks of the tree and the status tables, the same for both versions. */
function sharedProblems(
  source: LocatedYaml,
  mapping: { rules: readonly RuleShape[]; fields?: RuleShape['fields']; writeBack?: WriteBackSpec },
): Problem[] {
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
    // A relationship Productboard never has between the two types would leave every item unparented.
    const routes = routesBetween(rule.from, parent.rule);
    if (!routes.includes(parent.via))
      at(
        ['rules', index, 'jira', 'parent', 'via'],
        routes.length
          ? `a ${rule.from} never reaches ${withArticle(parent.rule)} through \`${parent.via}\` in Productboard: use via: ${routes.join(' or ')}`
          : `a ${rule.from} is never related to ${withArticle(parent.rule)} in Productboard: no rule can place one under the other`,
      );
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

  const checkStatus = (fields: RuleShape['fields'], path: Array<string | number>) => {
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
  mapping.rules.forEach((rule, index) => {
    for (const key of Object.keys(rule.jira.fields ?? {})) {
      if (OWNED_FIELDS.includes(key.trim().toLowerCase()))
        at(
          ['rules', index, 'jira', 'fields', key],
          `"${key}" is written by the sync itself (the \`fields\` section and \`parent\`); jira.fields gives values to other fields`,
        );
    }
  });
  for (const { type, message } of unknownStatusRules(mapping.writeBack, [...byType.keys()])) at(['writeBack', 'status', type], message);
  checkStatus(mapping.fields, ['fields']);
  mapping.rules.forEach((rule, index) => checkStatus(rule.fields, ['rules', index, 'fields']));
  return problems;
}

const withArticle = (word: string): string => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;

function compileFieldsV1(global: FieldsSpec, local: FieldsSpec | undefined): CompiledFields {
  const pick = <K extends keyof FieldsSpec>(key: K): FieldsSpec[K] => (local && key in local ? local[key] : global[key]);
  const description = pick('description');
  const dueDate = pick('dueDate');
  return {
    summaryPrefix: pick('summary')?.prefix ?? '',
    summaryTemplate: null,
    description: description ? { sourceLink: description.sourceLink, header: null, footer: null } : null,
    labels: Boolean(pick('labels')),
    dueDate: dueDate ? (dueDate.from === 'timeframe.endDate' ? 'endDate' : 'startDate') : null,
    status: statusTableOf(pick('status')),
  };
}

function compileV1(file: string, mapping: MappingFile): CompiledMapping {
  const rules = new Map<PbType, CompiledRule>();
  mapping.rules.forEach((rule, index) => {
    const parent = rule.jira.parent;
    rules.set(rule.from, {
      pbType: rule.from,
      index,
      issueType: { level: rule.jira.issueType.level, name: rule.jira.issueType.name, choice: null },
      parent: parent ? { pbType: parent.rule, via: parent.via, required: parent.required, whenSeveral: parent.whenSeveral } : null,
      where: null,
      insights: rule.insights ? { list: rule.insights.list, max: rule.insights.max } : null,
      fields: compileFieldsV1(mapping.fields, rule.fields),
      jiraFields: new Map(
        Object.entries(rule.jira.fields ?? {}).map(([key, value]): [string, JiraFieldSpec] => {
          const from = typeof value === 'object' && value !== null && !Array.isArray(value) ? value['from'] : undefined;
          return [
            key,
            typeof from === 'string' ? { kind: 'from', source: from as FieldSource } : { kind: 'value', value: value as JiraFieldValue },
          ];
        }),
      ),
      targets: [],
    });
  });
  return {
    file,
    version: 1,
    rules,
    order: parentsFirst(rules),
    valueStreams: null,
    hierarchy: null,
    readTypes: [...rules.keys()],
    readsNotes: [...rules.values()].some((r) => r.insights),
    sourceFields: new Map(),
    writeBack: compileWriteBack(mapping.writeBack),
  };
}
