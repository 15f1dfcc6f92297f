import { decodeCursor, encodeCursor, type CursorPayload } from '../kit/cursor.js';
import type { Call } from '../kit/http.js';
import { bad } from './errors.js';

// v2 pagination: a fixed page size, an opaque `pageCursor` query parameter, and `links.next` (an absolute URL, null
// on the last page) that a client follows as is (https://developer.productboard.com/reference/pagination). For POST
// searches the client resends the same body with the cursor in the query string, so every cursor carries a
// fingerprint `f` of the request that produced it, and one presented with another request is a 400.

export const PAGE_SIZE = 100;

/** One page of items and the `links.next` that follows it (null on the last page). */
export interface Page<T> {
  page: T[];
  next: string | null;
}

/** The `links.next` URL: `path` with the request's own parameters and a fresh `pageCursor`. */
export function pageLink(baseUrl: string, path: string, query: URLSearchParams, cursor: CursorPayload): string {
  const q = new URLSearchParams(query);
  q.append('pageCursor', encodeCursor(cursor));
  return `${baseUrl}${path}?${q.toString()}`;
}

export function queryWithout(call: Call, drop: string): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of call.query) if (k !== drop) q.append(k, v);
  return q;
}

/** Keyset cursor: resume after item `a` (and, for lists in time order, time `t`). */
export function pageCursorOf(call: Call, fp: string): { after?: string; afterTime?: number } {
  const raw = call.query.get('pageCursor');
  if (raw === null || raw === '') return {};
  const c = decodeCursor(raw);
  if (!c || c['f'] !== fp) {
    throw bad('The page cursor is invalid, expired, or belongs to a different request. Restart pagination without pageCursor.', {
      parameter: 'pageCursor',
    });
  }
  const out: { after?: string; afterTime?: number } = {};
  if (typeof c['a'] === 'string') out.after = c['a'];
  if (typeof c['t'] === 'number') out.afterTime = c['t'];
  return out;
}

/**
 * Up to PAGE_SIZE matches from `start`, and `links.next` resuming after the last of them; null when no further
 * match exists (so there is no empty trailing page).
 */
export function keysetPage<T>(list: readonly T[], start: number, match: (x: T) => boolean, nextLink: (last: T) => string): Page<T> {
  const page: T[] = [];
  let i = start;
  for (; i < list.length && page.length < PAGE_SIZE; i++) {
    const x = list[i] as T;
    if (match(x)) page.push(x);
  }
  const last = page[page.length - 1];
  if (page.length < PAGE_SIZE || last === undefined) return { page, next: null };
  for (; i < list.length; i++) if (match(list[i] as T)) return { page, next: nextLink(last) };
  return { page, next: null };
}

/** Offset pages of a short, already filtered list (relationships); the cursor holds the offset `o`. */
export function offsetPage<T>(call: Call, all: readonly T[], fp: string, path: string, query: URLSearchParams): Page<T> {
  const offset = offsetCursor(call, fp);
  const page = all.slice(offset, offset + PAGE_SIZE);
  const next = offset + PAGE_SIZE < all.length ? pageLink(call.baseUrl, path, query, { o: offset + PAGE_SIZE, f: fp }) : null;
  return { page, next };
}

function offsetCursor(call: Call, fp: string): number {
  const raw = call.query.get('pageCursor');
  if (raw === null || raw === '') return 0;
  const c = decodeCursor(raw);
  if (!c || typeof c['o'] !== 'number' || c['f'] !== fp) {
    throw bad('The page cursor is invalid or belongs to a different request.', { parameter: 'pageCursor' });
  }
  return c['o'];
}
