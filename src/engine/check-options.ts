import type { CompiledMapping, CompiledRule } from '../mapping/load-mapping.js';
import type { PbType } from '../mapping/schema.js';
import type { SourceRef } from '../mapping/sources.js';
import type { ValueTable } from '../mapping/value-table.js';
import type { ProjectIssueType, ScreenField, SourceCustomField } from '../model/ports.js';
import type { Problem } from '../util/problems.js';
import { ruleTypes, type CreateScreens } from './create-screens.js';
import type { MappingContext } from './mapping-context.js';

// `validate`'s check of a version 2 mapping's option names on both sides: every value a table or a
// constant gives a Jira select or priority is one of the options Jira lists for it (create
// metadata), every name a table reads from a Productboard select is one of that field's options,
// and every value-stream component exists in the project (or the mapping may create it).

const key = (s: string): string => s.trim().toLowerCase();
const listed = (names: readonly string[]): string => names.slice(0, 12).join(', ') + (names.length > 12 ? ', …' : '');

export async function optionProblems(
  mapping: CompiledMapping,
  issueTypes: ReadonlyMap<PbType, ProjectIssueType>,
  context: MappingContext,
  sourceFields: ReadonlyMap<PbType, readonly SourceCustomField[]>,
  screens: CreateScreens,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  const problem = (path: string, message: string) => problems.push({ file: mapping.file, path, message });

  for (const rule of mapping.rules.values()) {
    const pbFields = sourceFields.get(rule.pbType) ?? [];
    const screenList = await Promise.all(ruleTypes(rule, issueTypes, context).map((t) => screens.fields(t.id)));
    for (const target of context.targets.get(rule.pbType) ?? []) {
      const value = target.spec.value;
      if (value.kind === 'source' && value.table && value.default === null)
        pbSideProblems(rule, value.source, value.table, pbFields, target.spec.path, problem);
      if (target.kind !== 'option' && target.kind !== 'options' && target.kind !== 'priority') continue;
      const allowed = allowedNames(screenList, target.field.id);
      if (!allowed) continue;
      const produced =
        value.kind === 'constant'
          ? [value.value].flat().map(String)
          : value.kind === 'source'
            ? [
                ...(value.table ? value.table.values().map(String) : selectOptions(rule, value.source, pbFields)),
                ...(value.default !== null ? [String(value.default)] : []),
              ]
            : [];
      const missing = produced.filter((v) => !allowed.some((a) => key(a) === key(v)));
      if (missing.length)
        problem(
          target.spec.path,
          `${missing.map((m) => `"${m}"`).join(', ')} ${missing.length === 1 ? 'is not an option' : 'are not options'} of Jira's ${target.field.name} (options: ${listed(allowed)})`,
        );
    }
  }

  const streams = mapping.valueStreams;
  if (streams?.component && streams.table && !streams.createComponents && context.components) {
    const components = context.components;
    const missing = streams.table
      .values()
      .map(String)
      .filter((v) => !components.some((c) => key(c) === key(v)));
    if (missing.length)
      problem(
        'valueStreams.component',
        `the project has no component ${missing.map((m) => `"${m}"`).join(', ')} (components: ${listed(components)}); add them, or set createComponents: true`,
      );
  }
  return problems;
}

/** The values Jira lists for the field on the rule's create screens; null when none lists any. */
function allowedNames(screens: ReadonlyArray<readonly ScreenField[]>, id: string): string[] | null {
  const names = screens.flatMap((s) => s.find((f) => f.id === id)?.allowed?.map((a) => a.value ?? a.name ?? '') ?? []).filter(Boolean);
  return names.length ? [...new Set(names)] : null;
}

/** The options of the Productboard select a source names, when it is one. */
function selectOptions(rule: CompiledRule, source: SourceRef, fields: readonly SourceCustomField[]): string[] {
  const field = source.kind === 'field' ? fieldOf(source.ref, fields) : undefined;
  return field && (field.kind === 'select' || field.kind === 'multiselect') ? [...field.options] : [];
}

const fieldOf = (ref: string, fields: readonly SourceCustomField[]): SourceCustomField | undefined =>
  fields.find((f) => f.id === ref) ?? fields.find((f) => key(f.name) === key(ref));

/** Every option of the Productboard select a table reads has a row (an item with an option it lacks could not be written). */
function pbSideProblems(
  rule: CompiledRule,
  source: SourceRef,
  table: ValueTable,
  fields: readonly SourceCustomField[],
  path: string,
  problem: (path: string, message: string) => void,
): void {
  if (source.kind !== 'field') return;
  const field = fieldOf(source.ref, fields);
  if (!field || (field.kind !== 'select' && field.kind !== 'multiselect')) return;
  const uncovered = field.options.filter((o) => table.lookup(o) === undefined);
  if (uncovered.length)
    problem(
      path,
      `Productboard's ${rule.pbType} field "${field.name}" has the option${uncovered.length === 1 ? '' : 's'} ${uncovered.map((n) => `"${n}"`).join(', ')}, which the table does not convert (give a row, or a default)`,
    );
}
