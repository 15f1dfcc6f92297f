import { encodeCursor, firstIndexAfter, requestFingerprint } from '../kit/cursor.js';
import { json, type Call, type SimResponse } from '../kit/http.js';
import { KNOWN_NOTE_FIELDS, PAGE_SIZE, noteRelationships, renderNote } from './render.js';
import { bad, notFound, offsetCursor, pageCursorOf, parseBoolParam, parseDateTime, parseSelection, queryWithout, takePage } from './request.js';
import type { NoteRec, PbState } from './state.js';

// Note endpoints of Productboard API v2 (productboard-api.md §3.2): GET /v2/notes (newest first),
// GET /v2/notes/{id}, GET /v2/notes/{id}/relationships.

export function listNotes(state: PbState, call: Call): SimResponse {
  const range = (name: string): number | undefined => {
    const v = call.query.get(name);
    return v === null ? undefined : parseDateTime(v, { parameter: name });
  };
  const createdFrom = range('createdFrom');
  const createdTo = range('createdTo');
  const updatedFrom = range('updatedFrom');
  const updatedTo = range('updatedTo');
  if (createdFrom !== undefined && createdTo !== undefined && createdFrom > createdTo) throw bad('createdFrom must not be after createdTo.', { parameter: 'createdFrom' });
  if (updatedFrom !== undefined && updatedTo !== undefined && updatedFrom > updatedTo) throw bad('updatedFrom must not be after updatedTo.', { parameter: 'updatedFrom' });
  const archived = parseBoolParam(call, 'archived');
  const processed = parseBoolParam(call, 'processed');
  const types = call.query.getAll('type[]');
  const textAllowed = types.length === 0 || types.includes('textNote') || types.includes('simple');
  const fieldsParam = [...call.query.getAll('fields'), ...call.query.getAll('fields[]')].flatMap((f) => f.split(','));
  const sel = parseSelection(fieldsParam.length > 0 ? fieldsParam : undefined, { parameter: 'fields' }, KNOWN_NOTE_FIELDS);

  const match = (n: NoteRec): boolean => {
    if (!textAllowed) return false;
    if (createdFrom !== undefined && n.createdAt < createdFrom) return false;
    if (createdTo !== undefined && n.createdAt > createdTo) return false;
    if (updatedFrom !== undefined && n.updatedAt < updatedFrom) return false;
    if (updatedTo !== undefined && n.updatedAt > updatedTo) return false;
    // The archived/processed table in SPEC-v2/notes follows from "archived notes report processed: false".
    const effectiveProcessed = n.archived ? false : n.processed;
    if (archived !== undefined && n.archived !== archived) return false;
    if (processed !== undefined && effectiveProcessed !== processed) return false;
    return true;
  };

  const rest = queryWithout(call, 'pageCursor');
  const fp = requestFingerprint(rest.toString());
  const list = state.notesNewestFirst();
  const { after, afterTime } = pageCursorOf(call, fp);
  const start =
    after === undefined || afterTime === undefined
      ? 0
      : firstIndexAfter(list, (n) => n.createdAt < afterTime || (n.createdAt === afterTime && n.id > after));
  const { page, more } = takePage(list, start, match);
  const last = page[page.length - 1];
  let next: string | null = null;
  if (more && last) {
    rest.append('pageCursor', encodeCursor({ t: last.createdAt, a: last.id, f: fp }));
    next = `${call.baseUrl}/v2/notes?${rest.toString()}`;
  }
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
  const all = noteRelationships(state, call.baseUrl, n);
  const offset = offsetCursor(call, '');
  const page = all.slice(offset, offset + PAGE_SIZE);
  const next =
    offset + PAGE_SIZE < all.length ? `${call.baseUrl}/v2/notes/${id}/relationships?pageCursor=${encodeCursor({ o: offset + PAGE_SIZE, f: '' })}` : null;
  return json(200, { data: page, links: { next } });
}
