import type { CompiledValueStreams, ValueSpec } from '../mapping/compiled.js';
import type { PbType } from '../mapping/schema.js';
import type { SourceRef } from '../mapping/sources.js';
import { isSetKind, type TargetKind } from '../mapping/target-kinds.js';
import { renderTemplate } from '../mapping/template.js';
import type { FilterSubject } from '../mapping/where.js';
import type { JiraFieldValue, MappedValue } from '../model/field-value.js';
import type { SourceGraph, SourceItem, SourceNote, SourceValue } from '../model/source.js';
import type { MappingContext, ResolvedTarget } from './mapping-context.js';

// What a version 2 mapping reads from one Productboard item (mappings/README.md, "Sources") and
// how each value becomes what a Jira field takes. Pure: the desired tree asks, nothing is fetched.

/** One item in its surroundings: the graph it hangs in, its insights, the resolved names. */
export interface ItemScope {
  item: SourceItem;
  graph: SourceGraph;
  notes: readonly SourceNote[];
  context: MappingContext;
  /** The item's value stream (its own or its parent's), once known. */
  valueStream: string | null;
}

/** The value of a source for the item; null when the item has none. */
export function sourceValue(ref: SourceRef, scope: ItemScope): SourceValue | null {
  const { item, graph, notes } = scope;
  switch (ref.kind) {
    case 'name':
      return item.name;
    case 'status':
      return item.statusName;
    case 'tags':
      return item.tags.length ? item.tags : null;
    case 'owner':
      return item.ownerEmail ?? null;
    case 'timeframe':
      return item.timeframe?.[ref.end] ?? null;
    case 'field': {
      const id = scope.context.sourceFieldIds.get(item.type as PbType)?.get(ref.ref.trim().toLowerCase()) ?? ref.ref;
      return item.values?.[id] ?? null;
    }
    case 'insights':
      // Request frequency: how many insights, or from how many distinct customers (a note without one counts alone).
      return ref.measure === 'count' ? notes.length : new Set(notes.map((n) => n.customerId ?? `note:${n.id}`)).size;
    case 'component':
      return ancestors(item, graph).find((a) => a.type === 'component')?.name ?? null;
    case 'product':
      return ancestors(item, graph).find((a) => a.type === 'product')?.name ?? null;
    case 'releases': {
      const names = item.links.flatMap((l) => (l.type === 'release' ? [graph.items.get(l.id)?.name ?? []].flat() : []));
      return names.length ? names : null;
    }
    case 'valueStream':
      return scope.valueStream;
  }
}

/** What is above an item through `parent` (a subfeature's feature, then components, then the product), nearest first. */
function ancestors(item: SourceItem, graph: SourceGraph): SourceItem[] {
  const chain: SourceItem[] = [];
  let ref = item.parent;
  while (ref && chain.length < 20) {
    const parent = graph.items.get(ref.id);
    if (!parent || chain.includes(parent)) break;
    chain.push(parent);
    ref = parent.parent;
  }
  return chain;
}

/** The item as a rule's `where` sees it. */
export function filterSubject(scope: ItemScope): FilterSubject {
  const above = ancestors(scope.item, scope.graph);
  return {
    product: above.find((a) => a.type === 'product')?.name ?? null,
    components: above.filter((a) => a.type === 'component').map((a) => a.name),
    status: scope.item.statusName,
    tags: scope.item.tags,
    archived: scope.item.archived,
    field: (ref) => sourceValue({ kind: 'field', ref }, scope),
  };
}

/** The item's own value stream: the first declared source that gives one, through the table when there is one. */
export function ownValueStream(streams: CompiledValueStreams, scope: ItemScope): string | null {
  for (const ref of streams.sources) {
    const raw = sourceValue(ref, scope);
    const values = raw === null ? [] : Array.isArray(raw) ? (raw as readonly string[]) : [String(raw)];
    const candidates =
      ref.kind === 'tags' && streams.tagPrefix
        ? values
            .filter((t) => t.toLowerCase().startsWith(streams.tagPrefix!.toLowerCase()))
            .map((t) => t.slice(streams.tagPrefix!.length).trim())
        : values;
    for (const candidate of candidates) {
      if (!candidate) continue;
      if (!streams.table) return candidate;
      const named = streams.table.lookup(candidate);
      if (named !== undefined) return String(named);
    }
  }
  return null;
}

/** One field's value for the item: converted, or why it cannot be (named in the plan), or a warning (a person not found). */
export type Converted =
  | { kind: 'value'; value: MappedValue; write: JiraFieldValue | null }
  | { kind: 'error'; message: string }
  | { kind: 'warning'; message: string };

/** The mapping's value for the target, as the field takes it. */
export function convertTarget(target: ResolvedTarget, scope: ItemScope): Converted {
  const raw = specValue(target.spec.value, scope);
  if ('error' in raw) return { kind: 'error', message: raw.error };
  return convert(target.kind, raw.value, scope.context, target.spec.create);
}

function specValue(spec: ValueSpec, scope: ItemScope): { value: SourceValue | null } | { error: string } {
  switch (spec.kind) {
    case 'constant':
      return { value: Array.isArray(spec.value) ? spec.value.map(String) : (spec.value as string | number) };
    case 'template':
      return { value: renderTemplate(spec.template, (ref) => sourceValue(ref, scope)) || null };
    case 'source': {
      const raw = sourceValue(spec.source, scope);
      if (raw === null || (Array.isArray(raw) && raw.length === 0)) return { value: spec.default };
      if (!spec.table) return { value: raw };
      const table = spec.table;
      if (Array.isArray(raw)) {
        const mapped = (raw as readonly string[]).map((v) => table.lookup(v));
        const missing = (raw as readonly string[]).filter((_, i) => mapped[i] === undefined);
        if (missing.length && spec.default === null) return { error: `${quoteList(missing)} not in its value table` };
        return { value: mapped.map((v) => String(v ?? spec.default)) };
      }
      const mapped = table.lookup(raw as string | number);
      if (mapped !== undefined) return { value: mapped };
      if (spec.default !== null) return { value: spec.default };
      return { error: `${JSON.stringify(raw)} is not in its value table (keys: ${table.entries.map(([k]) => k).join(', ')})` };
    }
  }
}

const quoteList = (values: readonly string[]): string =>
  values.map((v) => JSON.stringify(v)).join(', ') + (values.length > 1 ? ' are' : ' is');

const DATE = /^(\d{4}-\d{2}-\d{2})(T.*)?$/;

/** A Productboard value into what the Jira field takes; null clears the field. */
function convert(kind: TargetKind, raw: SourceValue | null, context: MappingContext, create: boolean): Converted {
  const list = raw === null ? [] : Array.isArray(raw) ? (raw as readonly string[]).map(String) : [String(raw)];
  if (isSetKind(kind)) {
    const names = [...new Set(list.map((v) => v.trim()).filter(Boolean))];
    if (kind === 'components' || kind === 'versions') {
      const existing = (kind === 'components' ? context.components : context.versions) ?? [];
      const canonical = names.map((n) => existing.find((e) => e.toLowerCase() === n.toLowerCase()) ?? n);
      const missing = canonical.filter((n) => !existing.includes(n));
      if (missing.length && !create)
        return {
          kind: 'error',
          message: `the project has no ${kind === 'components' ? 'component' : 'version'} ${quoteList(missing).replace(/ (is|are)$/, '')} (create: true lets the sync add it)`,
        };
      return { kind: 'value', value: canonical.length ? canonical : null, write: canonical.map((name) => ({ name })) };
    }
    if (kind === 'strings') return { kind: 'value', value: names.length ? names : null, write: names };
    return { kind: 'value', value: names.length ? names : null, write: names.map((value) => ({ value })) };
  }
  if (list.length > 1) return { kind: 'error', message: `takes one value; got ${list.length} (${list.join(', ')})` };
  const one = list[0]?.trim() || null;
  if (one === null) return { kind: 'value', value: null, write: null };
  switch (kind) {
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(one);
      if (!Number.isFinite(n) || (typeof raw !== 'number' && !/^-?\d+(\.\d+)?$/.test(one)))
        return { kind: 'error', message: `${JSON.stringify(one)} is not a number` };
      return { kind: 'value', value: n, write: n };
    }
    case 'text':
      return { kind: 'value', value: one, write: one };
    case 'rich-text':
      return { kind: 'value', value: one, write: adfParagraphs(one) };
    case 'date': {
      const date = DATE.exec(one)?.[1];
      if (!date) return { kind: 'error', message: `${JSON.stringify(one)} is not a date (YYYY-MM-DD)` };
      return { kind: 'value', value: date, write: date };
    }
    case 'option':
      return { kind: 'value', value: one, write: { value: one } };
    case 'priority':
      return { kind: 'value', value: one, write: { name: one } };
    case 'user': {
      const user = context.users.get(one.toLowerCase());
      if (!user) return { kind: 'warning', message: `no Jira user has the email ${one}: left as it is in Jira` };
      return { kind: 'value', value: user.accountId, write: { accountId: user.accountId } };
    }
    default:
      return { kind: 'error', message: `a ${kind} field takes a list` };
  }
}

/** Plain text as an ADF document, one paragraph per line. */
function adfParagraphs(text: string): JiraFieldValue {
  const content: JiraFieldValue[] = text
    .split('\n')
    .map((line): JiraFieldValue => (line ? { type: 'paragraph', content: [{ type: 'text', text: line }] } : { type: 'paragraph' }));
  return { type: 'doc', version: 1, content };
}

/** Emails a user field reads for the item (its owner, a member field), to look up before the tree is built. */
export function userEmails(targets: readonly ResolvedTarget[], scope: ItemScope): string[] {
  return targets.flatMap((t) => {
    if (t.kind !== 'user' || t.spec.value.kind !== 'source') return [];
    const raw = sourceValue(t.spec.value.source, scope);
    return typeof raw === 'string' && raw.includes('@') ? [raw] : [];
  });
}
