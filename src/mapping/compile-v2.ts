import { problemsAt, type LocatedYaml } from '../util/located-yaml.js';
import type { Problem } from '../util/problems.js';
import {
  parentsFirst,
  statusTableOf,
  type CompiledFields,
  type CompiledMapping,
  type CompiledRule,
  type CompiledValueStreams,
  type TargetSpec,
  type ValueSpec,
} from './compiled.js';
import type { PbType } from './schema.js';
import type { FieldSpecV2, FieldsSpecV2, MappingFileV2, TableSpec, WhereSpec } from './schema-v2.js';
import { parseSource, type SourceRef } from './sources.js';
import { parseTemplate, templateSources, type Template } from './template.js';
import { ValueTable } from './value-table.js';
import { filterFields, type Filter } from './where.js';
import { compileWriteBack } from './write-back.js';

// Version 2's own checks (everything a file can be found wrong about without Jira or Productboard:
// sources, templates, tables, value streams) and its compilation. `validate` (online) checks the
// rest against the project and the workspace.

type Path = Array<string | number>;

/** The sources a value stream can be read from: something that names a group, not a count or a date. */
const STREAM_SOURCES: ReadonlySet<SourceRef['kind']> = new Set(['tags', 'field', 'component', 'product']);

export function v2Problems(source: LocatedYaml, mapping: MappingFileV2): Problem[] {
  const problems: Problem[] = [];
  const at = problemsAt(source, problems);
  const tables = mapping.valueTables ?? {};

  for (const [name, table] of Object.entries(tables)) duplicateKeys(table, ['valueTables', name], at);

  const checkTable = (table: TableSpec | undefined, path: Path) => {
    if (table === undefined) return;
    if (typeof table === 'string') {
      if (!(table in tables)) at(path, `no value table named "${table}" (valueTables: ${Object.keys(tables).join(', ') || 'none'})`);
    } else duplicateKeys(table, path, at);
  };
  const checkSource = (text: string, path: Path, allowed?: ReadonlySet<SourceRef['kind']>) => {
    const parsed = parseSource(text);
    if ('error' in parsed) return at(path, parsed.error);
    if (allowed && !allowed.has(parsed.kind)) return at(path, `a value stream is read from tags, fields.<name>, component or product`);
    if (parsed.kind === 'valueStream' && !mapping.valueStreams)
      at(path, 'the mapping declares no valueStreams: add a `valueStreams` section to read valueStream');
  };
  const checkTemplate = (text: string | undefined, path: Path) => {
    if (text === undefined) return;
    const parsed = parseTemplate(text);
    if (!parsed.ok) for (const error of parsed.errors) at(path, error);
    else for (const ref of templateSources(parsed.template)) if (ref.kind === 'valueStream') checkSource('valueStream', path);
  };
  const checkFields = (fields: FieldsSpecV2 | undefined, path: Path) => {
    checkTemplate(fields?.summary?.template, [...path, 'summary', 'template']);
    if (fields?.description) {
      checkTemplate(fields.description.header, [...path, 'description', 'header']);
      checkTemplate(fields.description.footer, [...path, 'description', 'footer']);
    }
  };

  checkFields(mapping.fields, ['fields']);
  mapping.rules.forEach((rule, index) => {
    const path: Path = ['rules', index];
    checkFields(rule.fields, [...path, 'fields']);
    const type = rule.jira.issueType;
    if (type.from !== undefined) checkSource(type.from, [...path, 'jira', 'issueType', 'from']);
    checkTable(type.table, [...path, 'jira', 'issueType', 'table']);
    for (const [key, spec] of Object.entries(rule.jira.fields ?? {})) {
      const fieldPath: Path = [...path, 'jira', 'fields', key];
      if (spec.from !== undefined) checkSource(spec.from, [...fieldPath, 'from']);
      checkTable(spec.table, [...fieldPath, 'table']);
      checkTemplate(spec.template, [...fieldPath, 'template']);
    }
  });

  const streams = mapping.valueStreams;
  if (streams) {
    streams.from.forEach((text, i) => checkSource(text, ['valueStreams', 'from', i], STREAM_SOURCES));
    if (streams.from.some((text) => text.trim() === 'tags') && !streams.tagPrefix)
      at(['valueStreams', 'tagPrefix'], 'reading streams from tags needs the prefix that marks them, e.g. tagPrefix: "vs:"');
    checkTable(streams.table, ['valueStreams', 'table']);
    const mapped = new Set(mapping.rules.map((r) => r.from));
    streams.rules?.forEach((type, i) => {
      if (!mapped.has(type)) at(['valueStreams', 'rules', i], `no rule maps "${type}" (mapped: ${[...mapped].join(', ')})`);
    });
  }
  return problems;
}

function duplicateKeys(table: Record<string, string | number>, path: Path, at: (path: Path, message: string) => void): void {
  for (const key of new ValueTable(Object.entries(table)).duplicates()) at([...path, key], `"${key}" is already a key of this table`);
}

/** Compiles a file `v2Problems` found nothing wrong with. */
export function compileV2(file: string, mapping: MappingFileV2): CompiledMapping {
  const named = new Map(Object.entries(mapping.valueTables ?? {}).map(([name, t]) => [name, new ValueTable(Object.entries(t))]));
  const table = (spec: TableSpec | undefined): ValueTable | null =>
    spec === undefined ? null : typeof spec === 'string' ? named.get(spec)! : new ValueTable(Object.entries(spec));

  const rules = new Map<PbType, CompiledRule>();
  mapping.rules.forEach((rule, index) => {
    const parent = rule.jira.parent;
    const type = rule.jira.issueType;
    rules.set(rule.from, {
      pbType: rule.from,
      index,
      issueType: {
        level: type.level,
        name: type.name,
        choice: type.from !== undefined ? { source: source(type.from), table: table(type.table)! } : null,
      },
      parent: parent ? { pbType: parent.rule, via: parent.via, required: parent.required, whenSeveral: parent.whenSeveral } : null,
      where: rule.where ? filterOf(rule.where) : null,
      insights: rule.insights ? { list: rule.insights.list, max: rule.insights.max } : null,
      fields: compileFields(mapping.fields, rule.fields),
      jiraFields: new Map(),
      targets: Object.entries(rule.jira.fields ?? {}).map(([key, spec]) => target(key, spec, index, table)),
    });
  });

  const streams = mapping.valueStreams;
  const valueStreams: CompiledValueStreams | null = streams
    ? {
        sources: streams.from.map(source),
        tagPrefix: streams.tagPrefix ?? null,
        table: table(streams.table),
        rules: streams.rules ? new Set(streams.rules) : null,
        inherit: streams.inherit,
        component: streams.component,
        createComponents: streams.createComponents,
        labelPrefix: streams.label ? streams.label.prefix : null,
        required: streams.required,
      }
    : null;
  const parentRequired = mapping.hierarchy?.parentRequired;
  return {
    file,
    version: 2,
    rules,
    order: parentsFirst(rules),
    valueStreams,
    hierarchy: parentRequired ? { levels: parentRequired.levels ?? [], issueTypes: parentRequired.issueTypes ?? [] } : null,
    writeBack: compileWriteBack(mapping.writeBack),
    ...reads(rules, valueStreams),
  };
}

const source = (text: string): SourceRef => parseSource(text) as SourceRef;

function template(text: string | undefined): Template | null {
  if (text === undefined) return null;
  const parsed = parseTemplate(text);
  return parsed.ok ? parsed.template : null;
}

function target(key: string, spec: FieldSpecV2, index: number, table: (spec: TableSpec | undefined) => ValueTable | null): TargetSpec {
  const value: ValueSpec =
    spec.from !== undefined
      ? { kind: 'source', source: source(spec.from), table: table(spec.table), default: spec.default ?? null }
      : spec.template !== undefined
        ? { kind: 'template', template: template(spec.template)! }
        : { kind: 'constant', value: spec.value! };
  return { key, path: `rules[${index}].jira.fields["${key}"]`, value, update: spec.update, create: spec.create };
}

function compileFields(global: FieldsSpecV2, local: FieldsSpecV2 | undefined): CompiledFields {
  const pick = <K extends keyof FieldsSpecV2>(key: K): FieldsSpecV2[K] => (local && key in local ? local[key] : global[key]);
  const summary = pick('summary');
  const description = pick('description');
  const dueDate = pick('dueDate');
  return {
    summaryPrefix: summary?.prefix ?? '',
    summaryTemplate: template(summary?.template),
    description: description
      ? { sourceLink: description.sourceLink, header: template(description.header), footer: template(description.footer) }
      : null,
    labels: Boolean(pick('labels')),
    dueDate: dueDate ? (dueDate.from === 'timeframe.endDate' ? 'endDate' : 'startDate') : null,
    status: statusTableOf(pick('status')),
  };
}

function filterOf(where: WhereSpec | NonNullable<WhereSpec['not']>): Filter {
  return {
    products: where.product ?? null,
    components: where.component ?? null,
    statuses: where.status ?? null,
    tags: where.tags ?? null,
    fields: Object.entries(where.fields ?? {}).map(([ref, values]) => ({ ref, values })),
    archived: where.archived ?? null,
    not: 'not' in where && where.not ? filterOf(where.not) : null,
  };
}

/** Every source a rule reads, wherever the mapping names it. */
function ruleSources(rule: CompiledRule): SourceRef[] {
  const refs: SourceRef[] = [];
  if (rule.issueType.choice) refs.push(rule.issueType.choice.source);
  for (const t of [rule.fields.summaryTemplate, rule.fields.description?.header, rule.fields.description?.footer])
    if (t) refs.push(...templateSources(t));
  for (const { value } of rule.targets) {
    if (value.kind === 'source') refs.push(value.source);
    if (value.kind === 'template') refs.push(...templateSources(value.template));
  }
  return refs;
}

/** What a pass must read from Productboard for these rules: types, notes, custom fields. */
function reads(
  rules: ReadonlyMap<PbType, CompiledRule>,
  streams: CompiledValueStreams | null,
): Pick<CompiledMapping, 'readTypes' | 'readsNotes' | 'sourceFields'> {
  const types = new Set<PbType>(rules.keys());
  const sourceFields = new Map<PbType, Set<string>>();
  let readsNotes = false;
  const field = (type: PbType, ref: string) => {
    const set = sourceFields.get(type) ?? new Set<string>();
    set.add(ref);
    sourceFields.set(type, set);
  };
  const streamSources = streams?.sources ?? [];
  for (const rule of rules.values()) {
    const refs = [...ruleSources(rule), ...(streams && (!streams.rules || streams.rules.has(rule.pbType)) ? streamSources : [])];
    let ancestors = rule.where !== null && (rule.where.products !== null || rule.where.components !== null || rule.where.not !== null);
    for (const ref of refs) {
      if (ref.kind === 'field') field(rule.pbType, ref.ref);
      if (ref.kind === 'insights') readsNotes = true;
      if (ref.kind === 'releases') types.add('release');
      if (ref.kind === 'component' || ref.kind === 'product') ancestors = true;
    }
    for (const ref of filterFields(rule.where)) field(rule.pbType, ref);
    if (rule.insights) readsNotes = true;
    // What is above an item: its feature (for a subfeature), the components and the product.
    if (ancestors)
      for (const t of rule.pbType === 'subfeature' ? ['feature', 'component', 'product'] : ['component', 'product']) types.add(t as PbType);
  }
  return { readTypes: [...types], readsNotes, sourceFields };
}
