import { firstIndexAfter, requestFingerprint } from '../kit/cursor.js';
import { json, SimError, type Call, type SimResponse } from '../kit/http.js';
import { entityFieldsParam, filterFromQuery, matchesEntity, parseSearchBody, type EntityFilter } from './entity-filter.js';
import { notFound } from './errors.js';
import { PB_ENTITY_TYPES, type PbEntityType } from './model.js';
import { keysetPage, offsetPage, pageCursorOf, pageLink, queryWithout, type Page } from './paging.js';
import { byId, type EntityRec } from './records.js';
import { relationshipJson, renderEntity, type FieldSelection } from './render.js';
import type { PbState } from './state.js';

// Entity endpoints of Productboard API v2: POST /v2/entities/search, GET /v2/entities, GET /v2/entities/{id} and
// GET /v2/entities/{id}/relationships (https://developer.productboard.com/reference/listentityrelationships).

interface LinkSpec {
  path: string;
  query: URLSearchParams;
  fp: string;
}

export function searchEntities(state: PbState, call: Call): SimResponse {
  const { filter, sel, fp } = parseSearchBody(call, state);
  const type = filter.type[0] as PbEntityType;
  const list = state.sortedOfType(type);
  // The client resends the body, so the next link carries nothing but the cursor; behaviour (b) points it where the
  // spec's list example points instead, at GET /v2/entities with the type.
  const link: LinkSpec =
    state.behaviour.searchNextLink === 'list'
      ? { path: '/v2/entities', query: new URLSearchParams({ type }), fp }
      : { path: '/v2/entities/search', query: new URLSearchParams(), fp };
  return entityPage(state, call, list, filter, sel, link, state.behaviour.endlessSearchCursor);
}

export function listEntities(state: PbState, call: Call): SimResponse {
  const filter = filterFromQuery(call);
  const sel = entityFieldsParam(call, state);
  const query = queryWithout(call, 'pageCursor');
  const fp = requestFingerprint(query.toString());
  const types = filter.type;
  // One type is already in id order; several are merged back into it.
  const list =
    types.length === 1
      ? state.sortedOfType(types[0] as PbEntityType)
      : (types.length === 0 ? PB_ENTITY_TYPES : types).flatMap((t) => state.sortedOfType(t)).sort(byId);
  return entityPage(state, call, list, filter, sel, { path: '/v2/entities', query, fp });
}

/**
 * A page of `list` (in id order) after the cursor's id. `endless` (hostile): the first page again whatever the cursor,
 * always with the same `links.next`, so a client that follows it blindly never ends.
 */
function entityPage(
  state: PbState,
  call: Call,
  list: readonly EntityRec[],
  filter: EntityFilter,
  sel: FieldSelection,
  link: LinkSpec,
  endless = false,
): SimResponse {
  const { after } = pageCursorOf(call, link.fp); // a cursor from another request is refused either way
  const start = after === undefined || endless ? 0 : firstIndexAfter(list, (e) => e.id > after);
  const nextAfter = (last: EntityRec): string => pageLink(call.baseUrl, link.path, link.query, { a: last.id, f: link.fp });
  const page = keysetPage(list, start, (e) => matchesEntity(e, filter), nextAfter);
  const next = endless ? pageLink(call.baseUrl, link.path, link.query, { e: 1, f: link.fp }) : page.next;
  return entityListJson(state, call, { page: page.page, next }, sel);
}

function entityListJson(state: PbState, call: Call, { page, next }: Page<EntityRec>, sel: FieldSelection): SimResponse {
  return json(200, { data: page.map((e) => renderEntity(state, call.baseUrl, e, sel, 'list')), links: { next } });
}

export function getEntity(state: PbState, call: Call): SimResponse {
  const id = call.params['id'] ?? '';
  const e = existing(state, call, id, `/v2/entities/${id}`);
  return json(200, { data: renderEntity(state, call.baseUrl, e, entityFieldsParam(call, state)) });
}

export function listRelationships(state: PbState, call: Call): SimResponse {
  const id = call.params['id'] ?? '';
  existing(state, call, id, `/v2/entities/${id}/relationships`);
  const type = call.query.get('type');
  const targetType = call.query.get('target[type]');
  const targetId = call.query.get('target[id]');
  const hasFilters = type !== null || targetType !== null || targetId !== null;
  const fp = hasFilters ? requestFingerprint({ type, targetType, targetId }) : '';
  const all = state
    .relationshipsOf(id)
    .filter(
      (r) =>
        (type === null || r.type === type) &&
        (targetId === null || r.targetId === targetId) &&
        (targetType === null || state.entity(r.targetId)?.type === targetType),
    );
  const { page, next } = offsetPage(call, all, fp, `/v2/entities/${id}/relationships`, queryWithout(call, 'pageCursor'));
  return json(200, { data: page.map((r) => relationshipJson(state, call.baseUrl, r)), links: { next } });
}

/**
 * The entity, or a 404; for a merged-away entity with behaviour (e) 'redirect', a 308 to the same resource of the
 * surviving entity (v2 changelog 2026-10-26, https://developer.productboard.com/changelog). The query is kept but
 * for a page cursor, which belonged to the old entity's list.
 */
function existing(state: PbState, call: Call, id: string, path: string): EntityRec {
  const e = state.entity(id);
  if (e) return e;
  const target = state.mergedTarget(id);
  if (target !== undefined && state.behaviour.mergedEntities === 'redirect') {
    const query = queryWithout(call, 'pageCursor').toString();
    const location = `${call.baseUrl}${path.replace(id, target)}${query ? `?${query}` : ''}`;
    throw new SimError({ status: 308, headers: { Location: location } });
  }
  throw notFound('Entity', id);
}
