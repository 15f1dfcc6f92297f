import { firstIndexAfter, requestFingerprint } from '../kit/cursor.js';
import { json, type Call, type SimResponse } from '../kit/http.js';
import { notFound } from './errors.js';
import { keysetPage, offsetPage, pageCursorOf, pageLink, queryWithout } from './paging.js';
import type { NoteRec } from './records.js';
import { KNOWN_NOTE_FIELDS, noteRelationships, renderNote } from './render.js';
import { checkRangeOrder, inRange, parseBoolParam, parseQueryRange, parseSelection } from './request.js';
import type { PbState } from './state.js';

// Note endpoints of Productboard API v2: GET /v2/notes, newest first (https://developer.productboard.com/reference/listnotes),
// GET /v2/notes/{id} and GET /v2/notes/{id}/relationships (https://developer.productboard.com/reference/listnoterelationships).

export function listNotes(state: PbState, call: Call): SimResponse {
  const created = parseQueryRange(call, 'created');
  const updated = parseQueryRange(call, 'updated');
  checkRangeOrder(created, 'created');
  checkRangeOrder(updated, 'updated');
  const archived = parseBoolParam(call, 'archived');
  const processed = parseBoolParam(call, 'processed');
  const types = call.query.getAll('type[]');
  const textAllowed = types.length === 0 || types.includes('textNote') || types.includes('simple');
  const fieldsParam = [...call.query.getAll('fields'), ...call.query.getAll('fields[]')].flatMap((f) => f.split(','));
  const sel = parseSelection(fieldsParam.length > 0 ? fieldsParam : undefined, { parameter: 'fields' }, KNOWN_NOTE_FIELDS);

  const match = (n: NoteRec): boolean => {
    if (!textAllowed || !inRange(n.createdAt, created) || !inRange(n.updatedAt, updated)) return false;
    // Archived notes report processed: false, so that is what a `processed` filter sees.
    const effectiveProcessed = n.archived ? false : n.processed;
    if (archived !== undefined && n.archived !== archived) return false;
    if (processed !== undefined && effectiveProcessed !== processed) return false;
    return true;
  };

  const query = queryWithout(call, 'pageCursor');
  const fp = requestFingerprint(query.toString());
  const list = state.notesNewestFirst();
  const { after, afterTime } = pageCursorOf(call, fp);
  const start =
    after === undefined || afterTime === undefined
      ? 0
      : firstIndexAfter(list, (n) => n.createdAt < afterTime || (n.createdAt === afterTime && n.id > after));
  const nextLink = (last: NoteRec): string => pageLink(call.baseUrl, '/v2/notes', query, { t: last.createdAt, a: last.id, f: fp });
  const endless = state.behaviour.endlessNotesCursor;
  // Hostile: the first page again and again, always with the same `links.next`.
  const { page, next } = endless
    ? { page: keysetPage(list, 0, match, nextLink).page, next: pageLink(call.baseUrl, '/v2/notes', query, { e: 1, f: fp }) }
    : keysetPage(list, start, match, nextLink);
  return json(200, { data: page.map((n) => renderNote(state, call.baseUrl, n, sel)), links: { next } });
}

export function getNote(state: PbState, call: Call): SimResponse {
  const id = call.params['id'] ?? '';
  const n = state.note(id);
  if (!n) throw notFound('Note', id);
  return json(200, { data: renderNote(state, call.baseUrl, n, { mode: 'default' }) });
}

export function listNoteRelationships(state: PbState, call: Call): SimResponse {
  const id = call.params['id'] ?? '';
  const n = state.note(id);
  if (!n) throw notFound('Note', id);
  // The sandbox takes no filters here, so the next link carries nothing but the cursor.
  const all = noteRelationships(state, call.baseUrl, n);
  const { page, next } = offsetPage(call, all, '', `/v2/notes/${id}/relationships`, new URLSearchParams());
  return json(200, { data: page, links: { next } });
}
