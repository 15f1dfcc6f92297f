import type { CompiledMapping, CompiledRule } from '../mapping/load-mapping.js';
import { isNameKind } from '../mapping/target-kinds.js';
import { renderTemplate, type Template } from '../mapping/template.js';
import { filterOut } from '../mapping/where.js';
import type { ProjectAddition } from '../model/desired.js';
import type { MappedField } from '../model/field-value.js';
import type { ProjectIssueType } from '../model/ports.js';
import { tagToLabel } from '../model/stamp.js';
import { convertTarget, filterSubject, ownValueStream, sourceValue, type ItemScope } from './item-values.js';
import type { ResolvedTarget } from './mapping-context.js';

// What a version 2 rule makes of one item beyond the placement every mapping does: whether its
// filter keeps it, its issue type, its templates rendered, its Jira fields converted, its value
// stream. Either all of it, or the reason the item cannot be written (never half an issue).

export interface ItemMapping {
  issueType: ProjectIssueType;
  /** The summary template rendered; null: the summary is the name (with the prefix). */
  summary: string | null;
  /** Lines above and below the item's description. */
  header: string | null;
  footer: string | null;
  mapped: MappedField[];
  /** Labels beside the tags: the value stream's. */
  labels: string[];
  valueStream: string | null;
  needs: ProjectAddition[];
  warnings: string[];
}

/** Why the rule's `where` leaves the item out; null when it keeps it. */
export function filteredOut(rule: CompiledRule, scope: ItemScope): string | null {
  return rule.where ? filterOut(rule.where, filterSubject(scope)) : null;
}

/** The item's value stream: its own, else (when the mapping says so) its parent's. */
export function valueStreamOf(mapping: CompiledMapping, rule: CompiledRule, scope: ItemScope, parentStream: string | null): string | null {
  const streams = mapping.valueStreams;
  if (!streams || (streams.rules && !streams.rules.has(rule.pbType))) return null;
  return ownValueStream(streams, scope) ?? (streams.inherit ? parentStream : null);
}

export function mapItem(
  mapping: CompiledMapping,
  rule: CompiledRule,
  scope: ItemScope,
  defaultType: ProjectIssueType,
): { ok: true; value: ItemMapping } | { ok: false; detail: string } {
  const render = (t: Template | null) => (t ? renderTemplate(t, (ref) => sourceValue(ref, scope)) : null);
  const warnings: string[] = [];
  const mapped: MappedField[] = [];
  const needs: ProjectAddition[] = [];
  const targets = scope.context.targets.get(rule.pbType) ?? [];
  for (const target of targets) {
    const converted = convertTarget(target, scope);
    const where = `${target.spec.path} (${target.field.name})`;
    if (converted.kind === 'error') return { ok: false, detail: `${where}: ${converted.message}` };
    if (converted.kind === 'warning') {
      warnings.push(`${target.field.name}: ${converted.message}`);
      continue;
    }
    mapped.push(field(target, converted.value, converted.write));
    needs.push(...additions(target, converted.value, scope));
  }

  const streams = mapping.valueStreams;
  const stream = scope.valueStream;
  const labels =
    stream && streams?.labelPrefix !== null && streams?.labelPrefix !== undefined ? [tagToLabel(`${streams.labelPrefix}${stream}`)] : [];
  if (stream && scope.context.componentsField) {
    const error = streamComponent(stream, Boolean(streams?.createComponents), scope, mapped, needs);
    if (error) return { ok: false, detail: error };
  }

  return {
    ok: true,
    value: {
      issueType: chosenType(rule, scope) ?? defaultType,
      summary: render(rule.fields.summaryTemplate),
      header: render(rule.fields.description?.header ?? null),
      footer: render(rule.fields.description?.footer ?? null),
      mapped,
      labels,
      valueStream: stream,
      needs,
      warnings,
    },
  };
}

const field = (target: ResolvedTarget, value: MappedField['value'], write: MappedField['write']): MappedField => ({
  id: target.field.id,
  name: target.field.name,
  value,
  write,
  update: target.spec.update,
  caseless: isNameKind(target.kind),
});

const componentFieldOf = (id: string, name: string): Omit<MappedField, 'value' | 'write'> => ({ id, name, update: true, caseless: true });

/** Components and versions the value names that the project lacks (the mapping allowed them: convertTarget checked). */
function additions(target: ResolvedTarget, value: MappedField['value'], scope: ItemScope): ProjectAddition[] {
  if (target.kind !== 'components' && target.kind !== 'versions') return [];
  const existing = (target.kind === 'components' ? scope.context.components : scope.context.versions) ?? [];
  const names = Array.isArray(value) ? (value as readonly string[]) : [];
  const kind = target.kind === 'components' ? 'component' : 'version';
  return names.filter((n) => !existing.includes(n)).map((name) => ({ kind, name }));
}

/** The issue type the rule's `issueType.from` picks for the item (the first value its table knows); undefined: the rule's own. */
function chosenType(rule: CompiledRule, scope: ItemScope): ProjectIssueType | undefined {
  const choice = rule.issueType.choice;
  if (!choice) return undefined;
  const raw = sourceValue(choice.source, scope);
  const values = raw === null ? [] : Array.isArray(raw) ? (raw as readonly string[]) : [String(raw)];
  const name = values.map((v) => choice.table.lookup(v)).find((v) => v !== undefined);
  return name === undefined ? undefined : scope.context.issueTypes.find((t) => t.name.toLowerCase() === String(name).toLowerCase());
}

/**
 * The stream written as a component: it joins whatever components the rule maps itself (Jira has
 * one Components field). An error when the project lacks it and the mapping may not create it.
 */
function streamComponent(
  stream: string,
  create: boolean,
  scope: ItemScope,
  mapped: MappedField[],
  needs: ProjectAddition[],
): string | null {
  const componentsField = scope.context.componentsField!;
  const existing = scope.context.components ?? [];
  const name = existing.find((c) => c.toLowerCase() === stream.toLowerCase()) ?? stream;
  if (!existing.includes(name)) {
    if (!create)
      return `value stream "${stream}": the project has no component "${stream}" (valueStreams.createComponents: true lets the sync add it)`;
    needs.push({ kind: 'component', name });
  }
  const own = mapped.findIndex((m) => m.id === componentsField.id);
  const names = [...new Set([...(own >= 0 ? ((mapped[own]!.value as readonly string[] | null) ?? []) : []), name])];
  const merged: MappedField = {
    ...componentFieldOf(componentsField.id, componentsField.name),
    value: names,
    write: names.map((n) => ({ name: n })),
  };
  if (own >= 0) mapped[own] = { ...merged, update: mapped[own]!.update };
  else mapped.push(merged);
  return null;
}
