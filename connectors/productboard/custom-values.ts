import type { SourceValue } from '../../src/model/source.js';

// Custom field values as entities carry them in `fields`, keyed by the field's UUID ("Dynamic Field
// System", https://developer.productboard.com/v2/openapi, entities document): numbers, texts and
// dates bare; a single select `{ id, name }`; a multi select a list of them; a member `{ id, email }`.
// Read generically, so a field is usable whatever the mapping later names it.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The custom values of an entity's `fields`, by field id; empty ones and shapes we do not read are left out. */
export function customValues(fields: Record<string, unknown>): Record<string, SourceValue> {
  const values: Record<string, SourceValue> = {};
  for (const [key, raw] of Object.entries(fields)) {
    if (!UUID.test(key)) continue;
    const value = valueOf(raw);
    if (value !== undefined) values[key] = value;
  }
  return values;
}

function valueOf(raw: unknown): SourceValue | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'string') return raw.trim() === '' ? undefined : raw;
  if (typeof raw === 'boolean') return String(raw);
  if (Array.isArray(raw)) {
    const names = raw.map(nameOf).filter((n): n is string => n !== undefined);
    return names.length ? names : undefined;
  }
  return nameOf(raw);
}

/** An option by its name, a member by their email. */
function nameOf(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object') return typeof raw === 'string' && raw ? raw : undefined;
  const o = raw as Record<string, unknown>;
  if (typeof o['name'] === 'string' && o['name']) return o['name'];
  if (typeof o['email'] === 'string' && o['email']) return o['email'].toLowerCase();
  return undefined;
}
