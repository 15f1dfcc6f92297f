import { firstIndexAfter, requestFingerprint } from '../kit/cursor.js';
import { json, type Call, type SimResponse } from '../kit/http.js';
import { entityFieldsParam, filterFromQuery, matchesEntity, parseSearchBody, type EntityFilter } from './entity-filter.js';
import { notFound } from './errors.js';
import { PB_ENTITY_TYPES, type PbEntityType } from './model.js';
import { keysetPage, offsetPage, pageCursorOf, pageLink, queryWithout } from './paging.js';
import { byId, type EntityRec } from './records.js';
import { relationshipJson, renderEntity, type FieldSelection } from './render.js';
import type { PbState } from './state.js';

// Entity endpoints of Productboard API v2: POST /v2/entities/search, GET /v2/entities, GET /v2/entities/{id} and
// GET /v2/entities/{id}/relationships (https://developer.productboard.com/reference/listentityrelationships).

export function searchEntities(state: PbState, call: Call): SimResponse {
  const { filter, sel, fp } = parseSearchBody(call);
  const list = state.sortedOfType(filter.type[0] as PbEntityType);
  // The client resends the body, so the next link carries nothing but the cursor.
  return entityPage(state, call, list, filter, sel, { path: '/v2/entities/search', query: new URLSearchParams(), fp });
}

export function listEntities(state: PbState, call: Call): SimResponse {
  const filter = filterFromQuery(call);
  const sel = entityFieldsParam(call);
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

/** A page of `list` (in id order) after the cursor's id. */
function entityPage(
  state: PbState,
  call: Call,
  list: readonly EntityRec[],
  filter: EntityFilter,
  sel: FieldSelection,
  link: { path: string; query: URLSearchParams; fp: string },
): SimResponse {
  const { after } = pageCursorOf(call, link.fp);
  const start = after === undefined ? 0 : firstIndexAfter(list, (e) => e.id > after);
  const { page, next } = keysetPage(
    list,
    start,
    (e) => matchesEntity(e, filter),
    (last) => pageLink(call.baseUrl, link.path, link.query, { a: last.id, f: link.fp }),
  );
  return json(200, { data: page.map((e) => renderEntity(state, call.baseUrl, e, sel)), links: { next } });
}

export function getEntity(state: PbState, call: Call): SimResponse {
  const id = call.params['id'] ?? '';
  const e = state.entity(id);
  if (!e) throw notFound('Entity', id);
  return json(200, { data: renderEntity(state, call.baseUrl, e, entityFieldsParam(call)) });
}

export function listRelationships(state: PbState, call: Call): SimResponse {
  const id = call.params['id'] ?? '';
  if (!state.entity(id)) throw notFound('Entity', id);
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
