import { decodeCursor } from '../kit/cursor.js';
import { pbError } from '../kit/faults.js';
import { isRecord, json, SimError, type Call } from '../kit/http.js';
import { PB_ENTITY_TYPES, type PbEntityType } from './model.js';
import { PAGE_SIZE, type FieldSelection } from './render.js';

// Request parsing shared by the Productboard handlers. Errors are v2 ErrorResponse bodies whose
// `source.pointer` (body) or `source.parameter` (query) names the offending input (SPEC-v2 `ErrorSource`).

export type ErrorSource = { pointer?: string; parameter?: string };

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export const bad = (detail: string, source?: ErrorSource): SimError =>
  new SimError(json(400, pbError('request.invalid', 'Request schema invalid', detail, source)));

export function parseType(v: unknown, source: ErrorSource): PbEntityType {
  if (typeof v !== 'string' || !(PB_ENTITY_TYPES as readonly string[]).includes(v)) {
    throw bad(`Unknown entity type ${JSON.stringify(v)}. Allowed: ${PB_ENTITY_TYPES.join(', ')}.`, source);
  }
  return v as PbEntityType;
}

export function parseDateTime(v: unknown, src: ErrorSource): number {
  if (typeof v !== 'string' || !ISO_DATE_TIME.test(v) || Number.isNaN(Date.parse(v))) {
    throw bad(`Expected an ISO 8601 date-time (e.g. 2026-01-01T00:00:00Z), got ${JSON.stringify(v)}.`, src);
  }
  return Date.parse(v);
}

export function parseRange(v: unknown, pointer: string): { from?: number; to?: number } {
  if (!isRecord(v)) throw bad('Expected an object with "from" and/or "to".', { pointer });
  const out: { from?: number; to?: number } = {};
  for (const k of Object.keys(v)) if (k !== 'from' && k !== 'to') throw bad(`Unknown property "${k}".`, { pointer: `${pointer}/${k}` });
  if (v['from'] !== undefined) out.from = parseDateTime(v['from'], { pointer: `${pointer}/from` });
  if (v['to'] !== undefined) out.to = parseDateTime(v['to'], { pointer: `${pointer}/to` });
  if (out.from !== undefined && out.to !== undefined && out.from > out.to) throw bad('"from" must not be after "to".', { pointer });
  return out;
}

export function parseSelection(raw: unknown, src: ErrorSource, known: readonly string[]): FieldSelection {
  if (raw === undefined || raw === 'default') return { mode: 'default' };
  if (raw === 'all') return { mode: 'all' };
  const list = Array.isArray(raw) ? raw : undefined;
  if (!list || list.some((x) => typeof x !== 'string')) throw bad('fields must be "all", "default" or an array of field names.', src);
  const names = list as string[];
  if (names.length === 1 && names[0] === 'all') return { mode: 'all' };
  if (names.includes('all')) throw bad('"all" cannot be combined with specific fields.', src);
  for (const n of names) if (!known.includes(n)) throw bad(`Unknown field "${n}".`, src);
  return { mode: 'list', names };
}

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

/** Up to PAGE_SIZE matches after the cursor, plus whether another match exists (no empty trailing page). */
export function takePage<T>(list: readonly T[], start: number, match: (x: T) => boolean): { page: T[]; more: boolean } {
  const page: T[] = [];
  let i = start;
  for (; i < list.length && page.length < PAGE_SIZE; i++) {
    const x = list[i] as T;
    if (match(x)) page.push(x);
  }
  let more = false;
  if (page.length === PAGE_SIZE) {
    for (; i < list.length; i++) {
      if (match(list[i] as T)) {
        more = true;
        break;
      }
    }
  }
  return { page, more };
}

export function queryWithout(call: Call, drop: string): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of call.query) if (k !== drop) q.append(k, v);
  return q;
}

export function parseBoolParam(call: Call, name: string): boolean | undefined {
  const v = call.query.get(name);
  if (v === null) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw bad(`"${name}" must be true or false.`, { parameter: name });
}

export function notFound(kind: string, id: string): SimError {
  return new SimError(
    json(404, pbError('resource.notFound', 'Resource not found', `${kind} with ID '${id}' was not found. It either does not exist or you do not have access to it.`)),
  );
}

export function offsetCursor(call: Call, fp: string): number {
  const raw = call.query.get('pageCursor');
  if (raw === null || raw === '') return 0;
  const c = decodeCursor(raw);
  if (!c || typeof c['o'] !== 'number' || c['f'] !== fp) {
    throw bad('The page cursor is invalid or belongs to a different request.', { parameter: 'pageCursor' });
  }
  return c['o'];
}
