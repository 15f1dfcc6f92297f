import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted, `undefined` members dropped (as JSON.stringify does) and Maps and
 * Sets written as sorted entries: two values that mean the same give the same text, whichever
 * order they were built in, and a value read back from JSON compares equal to the one written.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

/** A short, stable fingerprint of a value: `sha256:` and the first 32 hex digits of its canonical JSON's hash. */
export const fingerprintOf = (value: unknown): string =>
  `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 32)}`;

function normalise(value: unknown): unknown {
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [normalise(k), normalise(v)]).sort(byText);
  if (value instanceof Set) return [...value].map(normalise).sort(byText);
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : normalise(item)));
  if (value && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined && typeof member !== 'function') result[key] = normalise(member);
    }
    return result;
  }
  return value;
}

const byText = (a: unknown, b: unknown): number => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
};
