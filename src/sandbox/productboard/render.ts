import { isEmptyValue } from './custom-fields.js';
import { memberId, statusId, tagId } from './model.js';
import { pageLink } from './paging.js';
import type { EntityRec, NoteRec, RelationshipRec } from './records.js';
import type { PbState } from './state.js';

// Entity and note JSON as the v2 OpenAPI documents shape them: `Entity` = ResourceReference {id,type,links{self,html}} +
// fields + relationships {data[], links{next}} + metadata + createdAt/updatedAt; `Note` likewise with NoteLinks.
// Custom fields sit in `fields` keyed by their UUID (`info.description` "Dynamic Field System" and the
// `EntityListResponse` example of the entities document).
// By default v2 returns only non-empty fields (https://developer.productboard.com/v2.0.0/reference/response-field-control).

/** Inline relationship cap per entity in list/search responses; the rest is behind `relationships.links.next`. */
export const INLINE_RELATIONSHIPS = 20;

export type FieldSelection = { mode: 'default' } | { mode: 'all' } | { mode: 'list'; names: string[] };

export const KNOWN_ENTITY_FIELDS = ['name', 'description', 'status', 'owner', 'timeframe', 'archived', 'tags'] as const;
export const KNOWN_NOTE_FIELDS = ['name', 'content', 'archived', 'processed', 'tags', 'owner'] as const;

/** Where the sandbox's Productboard web UI would be (html links). */
export const HTML_BASE = 'https://sandbox.productboard.com';

export function entityLinks(baseUrl: string, id: string): { self: string; html: string } {
  return { self: `${baseUrl}/v2/entities/${id}`, html: `${HTML_BASE}/entity-detail/${id}` };
}

export function noteLinks(baseUrl: string, id: string): { self: string; html: string } {
  return { self: `${baseUrl}/v2/notes/${id}`, html: `${HTML_BASE}/insights/inbox/${id}` };
}

/** Standard fields and, keyed by id, the custom fields assigned to the entity's type. */
function entityFieldValues(state: PbState, r: EntityRec): Record<string, unknown> {
  const values: Record<string, unknown> = {
    name: r.name,
    description: r.descriptionHtml === '' ? null : r.descriptionHtml,
    status: r.status !== undefined && state.fields.statusNames(r.type) ? { id: statusId(r.type, r.status), name: r.status } : null,
    owner: r.ownerEmail ? { id: memberId(r.ownerEmail), email: r.ownerEmail } : null,
    timeframe: r.timeframe ? { ...r.timeframe } : null,
    archived: r.archived,
    tags: r.tags.length > 0 ? r.tags.map((t) => ({ id: tagId(t), name: t })) : null,
  };
  for (const def of state.fields.forType(r.type)) {
    const v = r.custom.get(def.id);
    values[def.id] = v === undefined || isEmptyValue(v) ? null : state.fields.render(def, v);
  }
  return values;
}

/** Field names a `fields` selection may ask for: the standard ones and every custom field id of the workspace. */
export function selectableEntityFields(state: PbState): string[] {
  return [...KNOWN_ENTITY_FIELDS, ...state.fields.all().map((d) => d.id)];
}

export function selectFields(values: Record<string, unknown>, sel: FieldSelection): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (sel.mode === 'list') {
    // "When specific fields are requested, they are returned even if they have null/empty values" (`fields` of GET /v2/notes).
    for (const n of sel.names) out[n] = values[n] ?? null;
    return out;
  }
  for (const [k, v] of Object.entries(values)) {
    if (v === null && sel.mode === 'default') continue;
    out[k] = v;
  }
  return out;
}

export function relationshipJson(state: PbState, baseUrl: string, rel: RelationshipRec): Record<string, unknown> {
  const target = state.entity(rel.targetId);
  return {
    type: rel.type,
    target: { id: rel.targetId, type: target?.type ?? 'feature', links: entityLinks(baseUrl, rel.targetId) },
  };
}

/** Where an entity is rendered: list and search results may leave relationships out (behaviour (c)). */
export type EntityContext = 'single' | 'list';

export function renderEntity(
  state: PbState,
  baseUrl: string,
  r: EntityRec,
  sel: FieldSelection,
  context: EntityContext = 'single',
): Record<string, unknown> {
  const rendered = renderCleanEntity(state, baseUrl, r, sel, context);
  const corrupt = state.corruptions.get(r.id);
  return corrupt ? corrupt(rendered) : rendered;
}

/** The first `cap` relationships, and the link to the full list when there are more. */
function inlineRelationships<T>(
  baseUrl: string,
  path: string,
  rels: readonly T[],
  render: (rel: T) => unknown,
  cap = INLINE_RELATIONSHIPS,
): Record<string, unknown> {
  const more = rels.length > cap;
  const next = more ? pageLink(baseUrl, path, new URLSearchParams(), { o: cap, f: '' }) : null;
  return { data: rels.slice(0, cap).map(render), links: { next } };
}

function renderCleanEntity(
  state: PbState,
  baseUrl: string,
  r: EntityRec,
  sel: FieldSelection,
  context: EntityContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: r.id, type: r.type, fields: selectFields(entityFieldValues(state, r), sel) };
  if (context === 'single' || state.behaviour.listRelationships === 'inline') {
    const rels = state.relationshipsOf(r.id);
    out['relationships'] = inlineRelationships(baseUrl, `/v2/entities/${r.id}/relationships`, rels, (rel) =>
      relationshipJson(state, baseUrl, rel),
    );
  }
  if (r.metadata) out['metadata'] = { source: { ...r.metadata } };
  out['links'] = entityLinks(baseUrl, r.id);
  out['createdAt'] = new Date(r.createdAt).toISOString();
  out['updatedAt'] = new Date(r.updatedAt).toISOString();
  return out;
}

export function noteRelationships(state: PbState, baseUrl: string, n: NoteRec): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  if (n.customerId) {
    const c = state.entity(n.customerId);
    out.push({ type: 'customer', target: { id: n.customerId, type: c?.type ?? 'company', links: entityLinks(baseUrl, n.customerId) } });
  }
  for (const l of n.linkedIds) {
    const e = state.entity(l);
    if (!e) continue;
    out.push({ type: 'link', target: { id: l, type: e.type, links: entityLinks(baseUrl, l) } });
  }
  return out;
}

function noteFieldValues(n: NoteRec): Record<string, unknown> {
  return {
    name: n.name,
    content: n.contentHtml === '' ? null : n.contentHtml,
    // "Archived notes always return processed: false" (GET /v2/notes).
    archived: n.archived,
    processed: n.archived ? false : n.processed,
    // MultiSelectFieldValue items in the v2 notes document require id and name (the GET /v2/notes example shows only name).
    tags: n.tags.length > 0 ? n.tags.map((t) => ({ id: tagId(t), name: t })) : null,
    owner: n.ownerEmail ? { id: memberId(n.ownerEmail), email: n.ownerEmail } : null,
  };
}

export function renderNote(state: PbState, baseUrl: string, n: NoteRec, sel: FieldSelection): Record<string, unknown> {
  const rels = noteRelationships(state, baseUrl, n);
  const createdAt = new Date(n.createdAt).toISOString();
  const updatedAt = new Date(n.updatedAt).toISOString();
  if (state.behaviour.noteShape === 'examples') {
    // As every note example of the notes document: relationships a bare array, the times inside `fields`.
    return {
      id: n.id,
      type: 'textNote',
      fields: { ...selectFields(noteFieldValues(n), sel), createdAt, updatedAt },
      relationships: rels,
      links: noteLinks(baseUrl, n.id),
    };
  }
  return {
    id: n.id,
    type: 'textNote',
    fields: selectFields(noteFieldValues(n), sel),
    relationships: inlineRelationships(
      baseUrl,
      `/v2/notes/${n.id}/relationships`,
      rels,
      (rel) => rel,
      state.behaviour.noteInlineRelationships,
    ),
    links: noteLinks(baseUrl, n.id),
    createdAt,
    updatedAt,
  };
}
