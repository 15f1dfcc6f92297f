import { requestFingerprint } from '../kit/cursor.js';
import { isRecord, parseJsonBody, SimError, type Call } from '../kit/http.js';
import { bad, pbErrorResponse } from './errors.js';
import { statusId, type PbEntityType } from './model.js';
import type { EntityRec } from './records.js';
import { KNOWN_ENTITY_FIELDS, type FieldSelection } from './render.js';
import { inRange, parseBoolParam, parseRange, parseSelection, parseType, type TimeRange } from './request.js';

// Entity filters, from the body of POST /v2/entities/search (https://developer.productboard.com/reference/performentitiessearch)
// or the query of GET /v2/entities (https://developer.productboard.com/reference/listentities). Filters AND together.

export interface EntityFilter {
  type: PbEntityType[];
  ids?: Set<string>;
  updated?: TimeRange;
  created?: TimeRange;
  archived?: boolean;
  name?: string;
  statusNames?: string[];
  statusIds?: string[];
  parentIds?: Set<string>;
  /** Set when filtering on data we don't store (e.g. metadata.source): nothing matches. */
  impossible?: boolean;
}

export function matchesEntity(e: EntityRec, f: EntityFilter): boolean {
  if (f.impossible) return false;
  if (f.ids && !f.ids.has(e.id)) return false;
  if (!inRange(e.updatedAt, f.updated) || !inRange(e.createdAt, f.created)) return false;
  if (f.archived !== undefined && e.archived !== f.archived) return false;
  if (f.name !== undefined && !e.name.toLowerCase().includes(f.name.toLowerCase())) return false;
  if (f.statusNames && (e.status === undefined || !f.statusNames.includes(e.status))) return false;
  if (f.statusIds && (e.status === undefined || !f.statusIds.some((sid) => sid === statusIdOf(e)))) return false;
  if (f.parentIds && (!e.parentId || !f.parentIds.has(e.parentId))) return false;
  return true;
}

function statusIdOf(e: EntityRec): string | undefined {
  return e.status === undefined ? undefined : statusId(e.type, e.status);
}

/** `fields[]` of the GET endpoints. */
export function entityFieldsParam(call: Call): FieldSelection {
  const fieldsParam = call.query.getAll('fields[]');
  return parseSelection(fieldsParam.length > 0 ? fieldsParam : undefined, { parameter: 'fields[]' }, KNOWN_ENTITY_FIELDS);
}

export function filterFromQuery(call: Call): EntityFilter {
  const typeParams = [...call.query.getAll('type[]'), ...call.query.getAll('type')].flatMap((t) => t.split(','));
  const types = typeParams.map((t) => parseType(t, { parameter: 'type[]' })).filter((t, i, a) => a.indexOf(t) === i);
  const filter: EntityFilter = { type: types };
  const archived = parseBoolParam(call, 'archived');
  if (archived !== undefined) filter.archived = archived;
  const name = call.query.get('name');
  if (name !== null) filter.name = name;
  const statusName = call.query.get('status[name]');
  if (statusName !== null) filter.statusNames = [statusName];
  const statusIdParam = call.query.get('status[id]');
  if (statusIdParam !== null) filter.statusIds = [statusIdParam];
  const parent = call.query.get('parent[id]');
  if (parent !== null) filter.parentIds = new Set([parent]);
  return filter;
}

/** The search body `{ data: { filter, return } }`; `fp` fingerprints it for the page cursors. */
export function parseSearchBody(call: Call): { filter: EntityFilter; sel: FieldSelection; fp: string } {
  const parsed = parseJsonBody(call.body);
  if (!parsed.ok) {
    // Pointer '' (RFC 6901: the whole document) so every 400 from this endpoint carries errors[].source.pointer.
    const detail = `The request body contains invalid JSON: ${parsed.message}`;
    throw new SimError(pbErrorResponse(400, 'request.malformed', 'Request malformed', detail, { pointer: '' }));
  }
  const body = parsed.value;
  if (!isRecord(body)) throw bad('The request body must be a JSON object.', { pointer: '' });
  for (const k of Object.keys(body)) if (k !== 'data') throw bad(`Unknown property "${k}".`, { pointer: `/${k}` });
  const data = body['data'];
  if (!isRecord(data)) throw bad('Field "data" is required and must be an object.', { pointer: '/data' });
  for (const k of Object.keys(data)) {
    if (k !== 'filter' && k !== 'return') throw bad(`Unknown property "${k}".`, { pointer: `/data/${k}` });
  }
  const filter = parseBodyFilter(data['filter'] ?? {});
  let sel: FieldSelection = { mode: 'default' };
  const ret = data['return'];
  if (ret !== undefined) {
    if (!isRecord(ret)) throw bad('"return" must be an object.', { pointer: '/data/return' });
    sel = parseSelection(ret['fields'], { pointer: '/data/return/fields' }, KNOWN_ENTITY_FIELDS);
  }
  return { filter, sel, fp: requestFingerprint(data) };
}

function parseBodyFilter(rawFilter: unknown): EntityFilter {
  if (!isRecord(rawFilter)) throw bad('"filter" must be an object.', { pointer: '/data/filter' });
  const rawType = rawFilter['type'];
  const types = Array.isArray(rawType) ? rawType : rawType === undefined ? [] : [rawType];
  // "You can search only within one entity type at a time" (Limitations of POST /v2/entities/search).
  if (types.length !== 1) {
    throw bad('Exactly one entity type must be given in filter.type; you can search only within one entity type at a time.', {
      pointer: '/data/filter/type',
    });
  }
  const filter: EntityFilter = { type: [parseType(types[0], { pointer: '/data/filter/type/0' })] };
  for (const [k, v] of Object.entries(rawFilter)) {
    const ptr = `/data/filter/${k}`;
    switch (k) {
      case 'type':
        break;
      case 'id':
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad('"id" must be an array of UUIDs.', { pointer: ptr });
        filter.ids = new Set(v as string[]);
        break;
      case 'updatedAt':
        filter.updated = parseRange(v, ptr);
        break;
      case 'createdAt':
        filter.created = parseRange(v, ptr);
        break;
      case 'archived':
        if (typeof v !== 'boolean') throw bad('"archived" must be a boolean.', { pointer: ptr });
        filter.archived = v;
        break;
      case 'fields':
        parseFieldFilters(v, ptr, filter);
        break;
      case 'relationships':
        parseRelationshipFilters(v, ptr, filter);
        break;
      case 'metadata':
        // The sandbox stores no metadata.source, so a metadata filter matches nothing (as it would for UI-created items).
        filter.impossible = true;
        break;
      default:
        throw bad(`Unknown filter "${k}".`, { pointer: ptr });
    }
  }
  return filter;
}

function parseFieldFilters(v: unknown, ptr: string, filter: EntityFilter): void {
  if (!isRecord(v)) throw bad('"fields" must be an object.', { pointer: ptr });
  for (const [fk, fv] of Object.entries(v)) {
    const p = `${ptr}/${fk}`;
    if (fk === 'archived') {
      if (typeof fv !== 'boolean') throw bad('"archived" must be a boolean.', { pointer: p });
      filter.archived = fv;
    } else if (fk === 'name') {
      if (typeof fv !== 'string') throw bad('"name" must be a string.', { pointer: p });
      filter.name = fv;
    } else if (fk === 'status') {
      if (!Array.isArray(fv) || fv.some((x) => !isRecord(x))) throw bad('"status" must be an array of {id} or {name}.', { pointer: p });
      const items = fv as Array<Record<string, unknown>>;
      const names = items.filter((x) => typeof x['name'] === 'string').map((x) => String(x['name']));
      const ids = items.filter((x) => typeof x['id'] === 'string').map((x) => String(x['id']));
      if (names.length > 0) filter.statusNames = names;
      if (ids.length > 0) filter.statusIds = ids;
    } else if (fk === 'owner' || fk === 'creator' || fk === 'teams') {
      filter.impossible = true; // no owners/teams filterable in the sandbox
    } else {
      throw bad(`Unknown field filter "${fk}".`, { pointer: p });
    }
  }
}

function parseRelationshipFilters(v: unknown, ptr: string, filter: EntityFilter): void {
  if (!isRecord(v)) throw bad('"relationships" must be an object.', { pointer: ptr });
  for (const [rk, rv] of Object.entries(v)) {
    if (rk === 'parent') {
      if (!Array.isArray(rv) || rv.some((x) => !isRecord(x) || typeof x['id'] !== 'string')) {
        throw bad('"parent" must be an array of {id}.', { pointer: `${ptr}/parent` });
      }
      filter.parentIds = new Set((rv as Array<Record<string, unknown>>).map((x) => String(x['id'])));
    } else if (rk === 'customer') {
      filter.impossible = true; // documented as "not yet active"
    } else throw bad(`Unknown property "${rk}".`, { pointer: `${ptr}/${rk}` });
  }
}
