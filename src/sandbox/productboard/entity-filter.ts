import { requestFingerprint } from '../kit/cursor.js';
import { isRecord, type SimError, type Call } from '../kit/http.js';
import { isIsoDate, type CustomFieldDef, type CustomValue } from './custom-fields.js';
import { bad, jsonBody } from './errors.js';
import { memberId, statusId, tagId, type PbEntityType } from './model.js';
import type { EntityRec } from './records.js';
import { selectableEntityFields, type FieldSelection } from './render.js';
import { inRange, parseBoolParam, parseRange, parseSelection, parseType, type TimeRange } from './request.js';
import type { PbState } from './state.js';

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
  /** Owners by email (lower case) or member id; OR within the list. */
  owners?: Array<{ email?: string; id?: string }>;
  /** `metadata.source` keys that must equal. */
  source?: { system?: string; recordId?: string };
  /** Custom field and tag filters (`filter.fields.<id>`), all of which must match. */
  valueTests?: Array<(e: EntityRec) => boolean>;
  /** Set when filtering on data we don't store (teams, creators): nothing matches. */
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
  if (f.owners && !f.owners.some((o) => ownerMatches(e.ownerEmail, o))) return false;
  if (f.source && !sourceMatches(e, f.source)) return false;
  if (f.valueTests && !f.valueTests.every((t) => t(e))) return false;
  return true;
}

function ownerMatches(email: string | undefined, o: { email?: string; id?: string }): boolean {
  if (!email) return false;
  return (o.email !== undefined && o.email.toLowerCase() === email) || (o.id !== undefined && o.id === memberId(email));
}

function sourceMatches(e: EntityRec, want: { system?: string; recordId?: string }): boolean {
  if (!e.metadata) return false;
  return (
    (want.system === undefined || e.metadata.system === want.system) &&
    (want.recordId === undefined || e.metadata.recordId === want.recordId)
  );
}

function statusIdOf(e: EntityRec): string | undefined {
  return e.status === undefined ? undefined : statusId(e.type, e.status);
}

/** `fields[]` of the GET endpoints. */
export function entityFieldsParam(call: Call, state: PbState): FieldSelection {
  const fieldsParam = call.query.getAll('fields[]');
  return parseSelection(fieldsParam.length > 0 ? fieldsParam : undefined, { parameter: 'fields[]' }, selectableEntityFields(state));
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
  const ownerEmail = call.query.get('owner[email]');
  const ownerIdParam = call.query.get('owner[id]');
  if (ownerEmail !== null || ownerIdParam !== null) {
    filter.owners = [{ ...(ownerEmail !== null ? { email: ownerEmail } : {}), ...(ownerIdParam !== null ? { id: ownerIdParam } : {}) }];
  }
  const system = call.query.get('metadata[source][system]');
  const recordId = call.query.get('metadata[source][recordId]');
  if (system !== null || recordId !== null)
    filter.source = { ...(system !== null ? { system } : {}), ...(recordId !== null ? { recordId } : {}) };
  if (call.query.has('teams[id]') || call.query.has('teams[name]')) filter.impossible = true; // the sandbox has no teams
  return filter;
}

/** The search body `{ data: { filter, return } }`; `fp` fingerprints it for the page cursors. */
export function parseSearchBody(call: Call, state: PbState): { filter: EntityFilter; sel: FieldSelection; fp: string } {
  const body = jsonBody(call.body);
  if (!isRecord(body)) throw bad('The request body must be a JSON object.', { pointer: '' });
  for (const k of Object.keys(body)) if (k !== 'data') throw bad(`Unknown property "${k}".`, { pointer: `/${k}` });
  const data = body['data'];
  if (!isRecord(data)) throw bad('Field "data" is required and must be an object.', { pointer: '/data' });
  for (const k of Object.keys(data)) {
    if (k !== 'filter' && k !== 'return') throw bad(`Unknown property "${k}".`, { pointer: `/data/${k}` });
  }
  const filter = parseBodyFilter(data['filter'] ?? {}, state);
  let sel: FieldSelection = { mode: 'default' };
  const ret = data['return'];
  if (ret !== undefined) {
    if (!isRecord(ret)) throw bad('"return" must be an object.', { pointer: '/data/return' });
    sel = parseSelection(ret['fields'], { pointer: '/data/return/fields' }, selectableEntityFields(state));
  }
  return { filter, sel, fp: requestFingerprint(data) };
}

function parseBodyFilter(rawFilter: unknown, state: PbState): EntityFilter {
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
        parseFieldFilters(v, ptr, filter, state);
        break;
      case 'relationships':
        parseRelationshipFilters(v, ptr, filter);
        break;
      case 'metadata':
        filter.source = parseSourceFilter(v, ptr);
        break;
      default:
        throw bad(`Unknown filter "${k}".`, { pointer: ptr });
    }
  }
  return filter;
}

function parseFieldFilters(v: unknown, ptr: string, filter: EntityFilter, state: PbState): void {
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
    } else if (fk === 'owner') {
      if (!Array.isArray(fv) || fv.some((x) => !isRecord(x) || (typeof x['email'] !== 'string' && typeof x['id'] !== 'string'))) {
        throw bad('"owner" must be an array of {id} or {email}.', { pointer: p });
      }
      filter.owners = (fv as Array<Record<string, unknown>>).map((x) => ({
        ...(typeof x['email'] === 'string' ? { email: x['email'] } : {}),
        ...(typeof x['id'] === 'string' ? { id: x['id'] } : {}),
      }));
    } else if (fk === 'creator' || fk === 'teams') {
      filter.impossible = true; // the sandbox keeps no creators or teams
    } else {
      (filter.valueTests ??= []).push(customFieldTest(fk, fv, p, filter.type[0] as PbEntityType, state));
    }
  }
}

/**
 * One `filter.fields.<id>` entry (EntitySearchCustomFieldFilterValue): the key set must fit the field's type,
 * `isSet` stands alone; tags are a multi select. "Rejected server-side otherwise": a 400 naming the entry.
 */
function customFieldTest(fieldId: string, raw: unknown, p: string, type: PbEntityType, state: PbState): (e: EntityRec) => boolean {
  const def = fieldId === 'tags' ? undefined : state.fields.byId(fieldId);
  if (fieldId !== 'tags' && (!def || !def.entityTypes.includes(type)))
    throw bad(`Unknown field filter "${fieldId}" for type ${type}.`, { pointer: p });
  if (!isRecord(raw)) throw bad('A custom field filter must be an object.', { pointer: p });
  const keys = Object.keys(raw).sort().join(',');
  const read = (e: EntityRec): CustomValue | undefined => (def ? e.custom.get(def.id) : e.tags.length > 0 ? e.tags.map(tagId) : undefined);
  if (keys === 'isSet') {
    if (typeof raw['isSet'] !== 'boolean') throw bad('"isSet" must be a boolean.', { pointer: `${p}/isSet` });
    const want = raw['isSet'];
    return (e) => (read(e) !== undefined) === want;
  }
  const kind = def?.kind ?? 'multiSelect';
  const wrong = (allowed: string): SimError => bad(`A ${kind} field takes ${allowed}, got {${keys}}.`, { pointer: p });
  switch (kind) {
    case 'text': {
      if (keys !== 'contains' || typeof raw['contains'] !== 'string') throw wrong('{ contains: string }');
      const needle = raw['contains'].toLowerCase();
      return (e) => typeof read(e) === 'string' && (read(e) as string).toLowerCase().includes(needle);
    }
    case 'number':
      if (keys !== 'eq' || typeof raw['eq'] !== 'number') throw wrong('{ eq: number }');
      return (e) => read(e) === raw['eq'];
    case 'date':
      if (keys !== 'eq' || typeof raw['eq'] !== 'string' || !isIsoDate(raw['eq'])) throw wrong('{ eq: "yyyy-MM-dd" }');
      return (e) => read(e) === raw['eq'];
    case 'singleSelect': {
      if (keys !== 'id' && keys !== 'name') throw wrong('{ id } or { name }');
      const id = optionRef(raw, p, def);
      return (e) => read(e) === id;
    }
    case 'multiSelect': {
      if (keys !== 'any' && keys !== 'all') throw wrong('{ any: [...] } or { all: [...] }');
      const list = raw[keys];
      if (!Array.isArray(list) || list.length === 0) throw bad(`"${keys}" must be a non-empty array.`, { pointer: `${p}/${keys}` });
      const ids = list.map((x, i) => optionRef(x, `${p}/${keys}/${i}`, def));
      const has = (e: EntityRec, id: string): boolean => ((read(e) as readonly string[] | undefined) ?? []).includes(id);
      return keys === 'any' ? (e) => ids.some((id) => has(e, id)) : (e) => ids.every((id) => has(e, id));
    }
    case 'member':
      throw wrong('{ isSet: boolean } only');
  }
}

/** `{id}` xor `{name}` of a select option (EntitySearchCustomFieldFilterRef); tags match by name. */
function optionRef(raw: unknown, p: string, def: CustomFieldDef | undefined): string {
  if (!isRecord(raw) || Object.keys(raw).length !== 1 || (typeof raw['id'] !== 'string' && typeof raw['name'] !== 'string')) {
    throw bad('Exactly one of "id" or "name" must be given.', { pointer: p });
  }
  if (typeof raw['id'] === 'string') return raw['id'];
  const name = String(raw['name']);
  if (!def) return tagId(name);
  // An unknown option name matches nothing rather than failing: it is a filter, not an assignment.
  return def.options.find((o) => o.name === name)?.id ?? `unknown-option:${name}`;
}

function parseSourceFilter(v: unknown, ptr: string): { system?: string; recordId?: string } {
  const source = isRecord(v) ? v['source'] : undefined;
  if (!isRecord(v) || Object.keys(v).some((k) => k !== 'source') || !isRecord(source)) {
    throw bad('"metadata" must be { source: { system?, recordId? } }.', { pointer: ptr });
  }
  const out: { system?: string; recordId?: string } = {};
  for (const [k, val] of Object.entries(source)) {
    if ((k !== 'system' && k !== 'recordId') || typeof val !== 'string')
      throw bad(`Unknown or invalid property "${k}".`, { pointer: `${ptr}/source/${k}` });
    out[k] = val;
  }
  if (Object.keys(out).length === 0) throw bad('At least one of "system" or "recordId" must be provided.', { pointer: `${ptr}/source` });
  return out;
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
