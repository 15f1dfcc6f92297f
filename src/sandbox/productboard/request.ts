import { isRecord, type Call } from '../kit/http.js';
import { bad, type ErrorSource } from './errors.js';
import { PB_ENTITY_TYPES, type PbEntityType } from './model.js';
import type { FieldSelection } from './render.js';

// Request parsing shared by the Productboard handlers; every refusal is a 400 naming the offending input.

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

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

/** An inclusive time range in ms; an absent end is open. */
export interface TimeRange {
  from?: number;
  to?: number;
}

export function inRange(t: number, r: TimeRange | undefined): boolean {
  return (r?.from === undefined || t >= r.from) && (r?.to === undefined || t <= r.to);
}

/** A body range `{ from?, to? }` of date-times (POST /v2/entities/search). */
export function parseRange(v: unknown, pointer: string): TimeRange {
  if (!isRecord(v)) throw bad('Expected an object with "from" and/or "to".', { pointer });
  const out: TimeRange = {};
  for (const k of Object.keys(v)) if (k !== 'from' && k !== 'to') throw bad(`Unknown property "${k}".`, { pointer: `${pointer}/${k}` });
  if (v['from'] !== undefined) out.from = parseDateTime(v['from'], { pointer: `${pointer}/from` });
  if (v['to'] !== undefined) out.to = parseDateTime(v['to'], { pointer: `${pointer}/to` });
  if (out.from !== undefined && out.to !== undefined && out.from > out.to) throw bad('"from" must not be after "to".', { pointer });
  return out;
}

/** Query parameters `<name>From` / `<name>To` (GET /v2/notes); check the order with `checkRangeOrder`. */
export function parseQueryRange(call: Call, name: string): TimeRange {
  const out: TimeRange = {};
  const from = call.query.get(`${name}From`);
  const to = call.query.get(`${name}To`);
  if (from !== null) out.from = parseDateTime(from, { parameter: `${name}From` });
  if (to !== null) out.to = parseDateTime(to, { parameter: `${name}To` });
  return out;
}

export function checkRangeOrder(r: TimeRange, name: string): void {
  if (r.from !== undefined && r.to !== undefined && r.from > r.to) {
    throw bad(`${name}From must not be after ${name}To.`, { parameter: `${name}From` });
  }
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

export function parseBoolParam(call: Call, name: string): boolean | undefined {
  const v = call.query.get(name);
  if (v === null) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw bad(`"${name}" must be true or false.`, { parameter: name });
}
