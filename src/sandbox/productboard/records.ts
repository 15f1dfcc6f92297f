import type { CustomValue, DisplayValue } from './custom-fields.js';
import type { PbEntityType, SeedEntity, SeedNote, SourceMetadata, Timeframe } from './model.js';

// One shape per item, twice: inside the state times are ms since epoch (cheap to compare and filter); the views handed
// to tests carry ISO strings and their own copies of every list, so a test cannot change the state behind its back.

interface EntityFields<Time> {
  id: string;
  type: PbEntityType;
  name: string;
  descriptionHtml: string;
  status?: string;
  tags: string[];
  /** Partial when a PATCH cleared one end (TimeframeFieldValue: "All fields are optional"). */
  timeframe?: Partial<Timeframe>;
  archived: boolean;
  parentId?: string;
  ownerEmail?: string;
  metadata?: SourceMetadata;
  createdAt: Time;
  updatedAt: Time;
}

export interface EntityRec extends EntityFields<number> {
  /** Custom field values by field id (see custom-fields.ts for the stored forms). */
  custom: Map<string, CustomValue>;
}

export interface PbEntityView extends EntityFields<string> {
  childIds: string[];
  linkedIds: string[];
  /** Custom field values by field *name*: option names for selects, the email for a member. */
  customFields: Record<string, DisplayValue>;
}

interface NoteFields<Time> {
  id: string;
  name: string;
  contentHtml: string;
  linkedIds: string[];
  customerId?: string;
  archived: boolean;
  processed: boolean;
  tags: string[];
  ownerEmail?: string;
  createdAt: Time;
  updatedAt: Time;
}

export type NoteRec = NoteFields<number>;
export type PbNoteView = NoteFields<string>;

export type PbRelationshipType = 'parent' | 'child' | 'link';

export interface RelationshipRec {
  type: PbRelationshipType;
  targetId: string;
}

/** What an entity is made of, whether it comes from a seed workspace or a test's `addEntity` (relationships aside). */
export type EntityContent = Omit<SeedEntity, 'id' | 'parentId' | 'linkedIds' | 'createdAt' | 'updatedAt' | 'tags'> & { tags: string[] };

export function entityRec(id: string, c: EntityContent, createdAt: number, updatedAt: number): EntityRec {
  const rec: EntityRec = {
    id,
    type: c.type,
    name: c.name,
    descriptionHtml: c.descriptionHtml ?? '',
    tags: c.tags,
    archived: c.archived ?? false,
    custom: new Map(),
    createdAt,
    updatedAt,
  };
  if (c.status !== undefined) rec.status = c.status;
  if (c.timeframe) rec.timeframe = { ...c.timeframe };
  if (c.ownerEmail) rec.ownerEmail = c.ownerEmail;
  if (c.metadata) rec.metadata = { ...c.metadata };
  return rec;
}

/** What a note is made of (links checked by the caller). */
export type NoteContent = Omit<SeedNote, 'id' | 'createdAt' | 'updatedAt'>;

export function noteRec(id: string, c: NoteContent, createdAt: number, updatedAt: number): NoteRec {
  const rec: NoteRec = {
    id,
    name: c.name,
    contentHtml: c.contentHtml,
    linkedIds: c.linkedIds,
    archived: c.archived ?? false,
    processed: c.processed ?? false,
    tags: c.tags ? [...c.tags] : [],
    createdAt,
    updatedAt,
  };
  if (c.customerId) rec.customerId = c.customerId;
  if (c.ownerEmail) rec.ownerEmail = c.ownerEmail;
  return rec;
}

export function entityView(
  r: EntityRec,
  childIds: Iterable<string>,
  linkedIds: Iterable<string>,
  customFields: Record<string, DisplayValue>,
): PbEntityView {
  const { custom: _stored, ...plain } = withIsoTimes(r);
  const v: PbEntityView = { ...plain, tags: [...r.tags], childIds: [...childIds], linkedIds: [...linkedIds], customFields };
  if (r.timeframe) v.timeframe = { ...r.timeframe };
  if (r.metadata) v.metadata = { ...r.metadata };
  return v;
}

export function noteView(n: NoteRec): PbNoteView {
  return { ...withIsoTimes(n), tags: [...n.tags], linkedIds: [...n.linkedIds] };
}

type WithIsoTimes<R> = Omit<R, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

function withIsoTimes<R extends { createdAt: number; updatedAt: number }>(r: R): WithIsoTimes<R> {
  return { ...r, createdAt: new Date(r.createdAt).toISOString(), updatedAt: new Date(r.updatedAt).toISOString() };
}

export function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
