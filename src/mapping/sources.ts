// What a version 2 mapping can read from a Productboard item (mappings/README.md, "Sources"): the
// item's own fields, its custom fields by name or id, values computed from its insights, and what
// surrounds it (its component, its product, its releases, its value stream). One small grammar for
// `from:`, for templates (`{{fields.Impact}}`), for `issueType.from` and for `valueStreams.from`.

export type SourceRef =
  | { kind: 'name' }
  | { kind: 'status' }
  | { kind: 'tags' }
  | { kind: 'owner' }
  | { kind: 'timeframe'; end: 'startDate' | 'endDate' }
  /** A custom field, by its name as the workspace shows it or by its id. */
  | { kind: 'field'; ref: string }
  /** The linked insights (notes): how many (request frequency), or from how many distinct customers. */
  | { kind: 'insights'; measure: 'count' | 'customers' }
  /** The name of the nearest component above the item (its parent, or its parent feature's). */
  | { kind: 'component' }
  /** The name of the product above the item. */
  | { kind: 'product' }
  /** The names of the releases the item is linked to. */
  | { kind: 'releases' }
  /** The item's value stream, as the mapping's `valueStreams` declares it. */
  | { kind: 'valueStream' };

const SIMPLE: Record<string, SourceRef> = {
  name: { kind: 'name' },
  status: { kind: 'status' },
  tags: { kind: 'tags' },
  owner: { kind: 'owner' },
  'timeframe.startDate': { kind: 'timeframe', end: 'startDate' },
  'timeframe.endDate': { kind: 'timeframe', end: 'endDate' },
  'insights.count': { kind: 'insights', measure: 'count' },
  'insights.customers': { kind: 'insights', measure: 'customers' },
  component: { kind: 'component' },
  product: { kind: 'product' },
  releases: { kind: 'releases' },
  valueStream: { kind: 'valueStream' },
};

/** Every source a mapping may name, as people write them (for messages). */
export const SOURCE_NAMES: readonly string[] = [...Object.keys(SIMPLE), 'fields.<custom field name or id>'];

const FIELD_PREFIX = 'fields.';

/** A source as written (`fields.Impact`, `insights.count`), or why it is not one. */
export function parseSource(text: string): SourceRef | { error: string } {
  const trimmed = text.trim();
  const simple = SIMPLE[trimmed];
  if (simple) return simple;
  if (trimmed.startsWith(FIELD_PREFIX)) {
    const ref = trimmed.slice(FIELD_PREFIX.length).trim();
    return ref ? { kind: 'field', ref } : { error: '"fields." needs a custom field name or id after it' };
  }
  return { error: `"${trimmed}" is not a source (sources: ${SOURCE_NAMES.join(', ')})` };
}
