import { encodeCursor, firstIndexAfter, requestFingerprint } from '../kit/cursor.js';
import { pbError } from '../kit/faults.js';
import { isRecord, json, parseJsonBody, SimError, type Call, type SimResponse } from '../kit/http.js';
import { PB_ENTITY_TYPES, statusId, type PbEntityType } from './model.js';
import { KNOWN_ENTITY_FIELDS, PAGE_SIZE, relationshipJson, renderEntity, type FieldSelection } from './render.js';
import {
  bad,
  notFound,
  offsetCursor,
  pageCursorOf,
  parseBoolParam,
  parseRange,
  parseSelection,
  parseType,
  queryWithout,
  takePage,
} from './request.js';
import type { EntityRec, PbState } from './state.js';

// Entity endpoints of Productboard API v2 (productboard-api.md §3.1, §4): POST /v2/entities/search,
// GET /v2/entities, GET /v2/entities/{id}, GET /v2/entities/{id}/relationships.

interface EntityFilter {
  type: PbEntityType[];
  ids?: Set<string>;
  updatedFrom?: number;
  updatedTo?: number;
  createdFrom?: number;
  createdTo?: number;
  archived?: boolean;
  name?: string;
  statusNames?: string[];
  statusIds?: string[];
  parentIds?: Set<string>;
  /** Set when filtering on data we don't store (e.g. metadata.source): nothing matches. */
  impossible?: boolean;
}

function matchesEntity(e: EntityRec, f: EntityFilter): boolean {
  if (f.impossible) return false;
  if (f.ids && !f.ids.has(e.id)) return false;
  if (f.updatedFrom !== undefined && e.updatedAt < f.updatedFrom) return false;
  if (f.updatedTo !== undefined && e.updatedAt > f.updatedTo) return false;
  if (f.createdFrom !== undefined && e.createdAt < f.createdFrom) return false;
  if (f.createdTo !== undefined && e.createdAt > f.createdTo) return false;
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

function parseSearchBody(call: Call): { filter: EntityFilter; sel: FieldSelection; fp: string } {
  const parsed = parseJsonBody(call.body);
  if (!parsed.ok) {
    // Pointer '' (RFC 6901: the whole document) so every 400 from this endpoint carries errors[].source.pointer.
    throw new SimError(json(400, pbError('request.malformed', 'Request malformed', `The request body contains invalid JSON: ${parsed.message}`, { pointer: '' })));
  }
  const body = parsed.value;
  if (!isRecord(body)) throw bad('The request body must be a JSON object.', { pointer: '' });
  for (const k of Object.keys(body)) if (k !== 'data') throw bad(`Unknown property "${k}".`, { pointer: `/${k}` });
  const data = body['data'];
  if (!isRecord(data)) throw bad('Field "data" is required and must be an object.', { pointer: '/data' });
  for (const k of Object.keys(data)) {
    if (k !== 'filter' && k !== 'return') throw bad(`Unknown property "${k}".`, { pointer: `/data/${k}` });
  }
  const rawFilter = data['filter'] ?? {};
  if (!isRecord(rawFilter)) throw bad('"filter" must be an object.', { pointer: '/data/filter' });
  const filter: EntityFilter = { type: [] };
  const rawType = rawFilter['type'];
  const types = Array.isArray(rawType) ? rawType : rawType === undefined ? [] : [rawType];
  // "You can search only within one entity type at a time" (SPEC-v2 POST /entities/search, Limitations).
  if (types.length !== 1) {
    throw bad('Exactly one entity type must be given in filter.type; you can search only within one entity type at a time.', {
      pointer: '/data/filter/type',
    });
  }
  filter.type = [parseType(types[0], { pointer: '/data/filter/type/0' })];
  for (const [k, v] of Object.entries(rawFilter)) {
    const ptr = `/data/filter/${k}`;
    switch (k) {
      case 'type':
        break;
      case 'id':
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad('"id" must be an array of UUIDs.', { pointer: ptr });
        filter.ids = new Set(v as string[]);
        break;
      case 'updatedAt': {
        const r = parseRange(v, ptr);
        if (r.from !== undefined) filter.updatedFrom = r.from;
        if (r.to !== undefined) filter.updatedTo = r.to;
        break;
      }
      case 'createdAt': {
        const r = parseRange(v, ptr);
        if (r.from !== undefined) filter.createdFrom = r.from;
        if (r.to !== undefined) filter.createdTo = r.to;
        break;
      }
      case 'archived':
        if (typeof v !== 'boolean') throw bad('"archived" must be a boolean.', { pointer: ptr });
        filter.archived = v;
        break;
      case 'fields':
        parseFieldFilters(v, ptr, filter);
        break;
      case 'relationships': {
        if (!isRecord(v)) throw bad('"relationships" must be an object.', { pointer: ptr });
        for (const [rk, rv] of Object.entries(v)) {
          if (rk === 'parent') {
            if (!Array.isArray(rv) || rv.some((x) => !isRecord(x) || typeof x['id'] !== 'string')) throw bad('"parent" must be an array of {id}.', { pointer: `${ptr}/parent` });
            filter.parentIds = new Set((rv as Array<Record<string, unknown>>).map((x) => String(x['id'])));
          } else if (rk === 'customer') {
            filter.impossible = true; // documented as "not yet active"
          } else throw bad(`Unknown property "${rk}".`, { pointer: `${ptr}/${rk}` });
        }
        break;
      }
      case 'metadata':
        // The sandbox stores no metadata.source, so a metadata filter matches nothing (as it would for UI-created items).
        filter.impossible = true;
        break;
      default:
        throw bad(`Unknown filter "${k}".`, { pointer: ptr });
    }
  }
  let sel: FieldSelection = { mode: 'default' };
  const ret = data['return'];
  if (ret !== undefined) {
    if (!isRecord(ret)) throw bad('"return" must be an object.', { pointer: '/data/return' });
    sel = parseSelection(ret['fields'], { pointer: '/data/return/fields' }, KNOWN_ENTITY_FIELDS);
  }
  return { filter, sel, fp: requestFingerprint(data) };
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

export function searchEntities(state: PbState, call: Call): SimResponse {
  const { filter, sel, fp } = parseSearchBody(call);
  const type = filter.type[0] as PbEntityType;
  const list = state.sortedOfType(type);
  const { after } = pageCursorOf(call, fp);
  const start = after === undefined ? 0 : firstIndexAfter(list, (e) => e.id > after);
  const { page, more } = takePage(list, start, (e) => matchesEntity(e, filter));
  const last = page[page.length - 1];
  const next = more && last ? `${call.baseUrl}/v2/entities/search?pageCursor=${encodeCursor({ a: last.id, f: fp })}` : null;
  return json(200, { data: page.map((e) => renderEntity(state, call.baseUrl, e, sel)), links: { next } });
}

export function listEntities(state: PbState, call: Call): SimResponse {
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
  const fieldsParam = call.query.getAll('fields[]');
  const sel = parseSelection(fieldsParam.length > 0 ? fieldsParam : undefined, { parameter: 'fields[]' }, KNOWN_ENTITY_FIELDS);

  const rest = queryWithout(call, 'pageCursor');
  const fp = requestFingerprint(rest.toString());
  const list =
    types.length === 1
      ? state.sortedOfType(types[0] as PbEntityType)
      : (types.length === 0 ? PB_ENTITY_TYPES : types).flatMap((t) => state.sortedOfType(t)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const { after } = pageCursorOf(call, fp);
  const start = after === undefined ? 0 : firstIndexAfter(list, (e) => e.id > after);
  const { page, more } = takePage(list, start, (e) => matchesEntity(e, filter));
  const last = page[page.length - 1];
  let next: string | null = null;
  if (more && last) {
    rest.append('pageCursor', encodeCursor({ a: last.id, f: fp }));
    next = `${call.baseUrl}/v2/entities?${rest.toString()}`;
  }
  return json(200, { data: page.map((e) => renderEntity(state, call.baseUrl, e, sel)), links: { next } });
}

export function getEntity(state: PbState, call: Call): SimResponse {
  const id = call.params['id'] ?? '';
  const e = state.entity(id);
  if (!e) throw notFound('Entity', id);
  const fieldsParam = call.query.getAll('fields[]');
  const sel = parseSelection(fieldsParam.length > 0 ? fieldsParam : undefined, { parameter: 'fields[]' }, KNOWN_ENTITY_FIELDS);
  return json(200, { data: renderEntity(state, call.baseUrl, e, sel) });
}

export function listRelationships(state: PbState, call: Call): SimResponse {
  const id = call.params['id'] ?? '';
  if (!state.entity(id)) throw notFound('Entity', id);
  const type = call.query.get('type');
  const targetType = call.query.get('target[type]');
  const targetId = call.query.get('target[id]');
  const hasFilters = type !== null || targetType !== null || targetId !== null;
  const fp = hasFilters ? requestFingerprint({ type, targetType, targetId }) : '';
  const all = state.relationshipsOf(id).filter(
    (r) =>
      (type === null || r.type === type) &&
      (targetId === null || r.targetId === targetId) &&
      (targetType === null || state.entity(r.targetId)?.type === targetType),
  );
  const offset = offsetCursor(call, fp);
  const page = all.slice(offset, offset + PAGE_SIZE);
  let next: string | null = null;
  if (offset + PAGE_SIZE < all.length) {
    const rest = queryWithout(call, 'pageCursor');
    rest.append('pageCursor', encodeCursor({ o: offset + PAGE_SIZE, f: fp }));
    next = `${call.baseUrl}/v2/entities/${id}/relationships?${rest.toString()}`;
  }
  return json(200, { data: page.map((r) => relationshipJson(state, call.baseUrl, r)), links: { next } });
}
