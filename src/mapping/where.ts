import type { SourceValue } from '../model/source.js';

// A rule's `where:` (mappings/README.md, "Filters"): which items of its type the rule syncs, so a
// pilot for one product or one value stream is a mapping, not a separate workspace. Every condition
// given must hold; a list holds when any of its values does; `not:` holds when its conditions do not
// all hold. Names match whatever their case.

export interface Filter {
  products: readonly string[] | null;
  components: readonly string[] | null;
  statuses: readonly string[] | null;
  tags: readonly string[] | null;
  /** Custom fields (by name or id as the mapping writes them) and the values any of which must be set. */
  fields: ReadonlyArray<{ ref: string; values: readonly string[] }>;
  archived: boolean | null;
  not: Filter | null;
}

/** What a filter asks of an item; the engine answers from the Productboard graph. */
export interface FilterSubject {
  product: string | null;
  /** Every component above the item, nearest first. */
  components: readonly string[];
  status: string | null;
  tags: readonly string[];
  archived: boolean;
  field(ref: string): SourceValue | null;
}

const key = (s: string): string => s.trim().toLowerCase();
const anyOf = (wanted: readonly string[], have: readonly string[]): boolean => {
  const set = new Set(have.map(key));
  return wanted.some((w) => set.has(key(w)));
};
const asList = (v: SourceValue | null): string[] => (v === null ? [] : Array.isArray(v) ? [...(v as readonly string[])] : [String(v)]);

/** Null when the item passes; else why not, in words for the plan ("status is Released, not one of Planned"). */
export function filterOut(filter: Filter, item: FilterSubject): string | null {
  const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');
  if (filter.archived !== null && item.archived !== filter.archived) return item.archived ? 'it is archived' : 'it is not archived';
  if (filter.products && !anyOf(filter.products, item.product ? [item.product] : []))
    return `its product is ${item.product ? `"${item.product}"` : 'none'}, not ${quoted(filter.products)}`;
  if (filter.components && !anyOf(filter.components, item.components))
    return `its component is ${item.components.length ? quoted(item.components) : 'none'}, not ${quoted(filter.components)}`;
  if (filter.statuses && !anyOf(filter.statuses, item.status ? [item.status] : []))
    return `its status is ${item.status ? `"${item.status}"` : 'none'}, not ${quoted(filter.statuses)}`;
  if (filter.tags && !anyOf(filter.tags, item.tags)) return `it has none of the tags ${quoted(filter.tags)}`;
  for (const { ref, values } of filter.fields) {
    const have = asList(item.field(ref));
    if (!anyOf(values, have)) return `its ${ref} is ${have.length ? quoted(have) : 'empty'}, not ${quoted(values)}`;
  }
  if (filter.not && filterOut(filter.not, item) === null) return `it matches the rule's \`where.not\``;
  return null;
}

/** The custom fields a filter reads (by name or id as written). */
export const filterFields = (filter: Filter | null): string[] =>
  filter ? [...filter.fields.map((f) => f.ref), ...filterFields(filter.not)] : [];
