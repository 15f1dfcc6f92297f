import { fingerprint } from './deterministic-id.js';

// Opaque page cursors (v2 `pageCursor`, Jira `nextPageToken`). Each embeds a fingerprint of the request that
// produced it, so a client that changes its filter mid-pagination gets a 400 instead of silently mixed pages (a
// Productboard POST search is resent with the same body and the cursor in the query string).

export type CursorPayload = Record<string, string | number>;

export function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string): CursorPayload | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const out: CursorPayload = {};
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      if (typeof val !== 'string' && typeof val !== 'number') return undefined;
      out[k] = val;
    }
    return out;
  } catch {
    return undefined;
  }
}

/** JSON with sorted object keys, so logically equal bodies fingerprint equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestFingerprint(value: unknown): string {
  return fingerprint(canonicalJson(value));
}

/** Index of the first element for which `isAfter` is true, given a list sorted so that `isAfter` is monotone. */
export function firstIndexAfter<T>(list: readonly T[], isAfter: (item: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = list[mid] as T;
    if (isAfter(item)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
