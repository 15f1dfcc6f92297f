import { uuidFromName } from '../kit/deterministic-id.js';
import type { PbEntityType, SeedWorkspace, Timeframe } from './model.js';

// In-memory Productboard workspace. Tests mutate it between CLI runs through the synchronous methods below;
// every mutation bumps `updatedAt` of whatever changed, because the engine's incremental read is
// `POST /v2/entities/search` with `filter.updatedAt.from` (productboard-api.md §4).

export interface PbEntityView {
  id: string;
  type: PbEntityType;
  name: string;
  descriptionHtml: string;
  status?: string;
  tags: string[];
  timeframe?: Timeframe;
  archived: boolean;
  parentId?: string;
  childIds: string[];
  linkedIds: string[];
  ownerEmail?: string;
  createdAt: string;
  updatedAt: string;
}

export interface PbNoteView {
  id: string;
  name: string;
  contentHtml: string;
  linkedIds: string[];
  customerId?: string;
  archived: boolean;
  processed: boolean;
  tags: string[];
  ownerEmail?: string;
  createdAt: string;
  updatedAt: string;
}

export interface AddEntityInput {
  type: PbEntityType;
  name: string;
  parentId?: string;
  linkedIds?: string[];
  status?: string;
  tags?: string[];
  timeframe?: Timeframe;
  descriptionHtml?: string;
  archived?: boolean;
  ownerEmail?: string;
}

export interface AddNoteInput {
  name: string;
  contentHtml: string;
  linkedIds: string[];
  customerId?: string;
  tags?: string[];
}

export interface EntityRec {
  id: string;
  type: PbEntityType;
  name: string;
  descriptionHtml: string;
  status?: string;
  tags: string[];
  timeframe?: Timeframe;
  archived: boolean;
  parentId?: string;
  ownerEmail?: string;
  createdAt: number;
  updatedAt: number;
}

export interface NoteRec {
  id: string;
  name: string;
  contentHtml: string;
  linkedIds: string[];
  customerId?: string;
  archived: boolean;
  processed: boolean;
  tags: string[];
  ownerEmail?: string;
  createdAt: number;
  updatedAt: number;
}

export type PbRelationshipType = 'parent' | 'child' | 'link';

export interface RelationshipRec {
  type: PbRelationshipType;
  targetId: string;
}

// Which parent types v2 allows (entities configuration: a feature's parent is a component or product,
// a subfeature's parent is a feature — productboard-api.md §3.1).
const ALLOWED_PARENTS: Partial<Record<PbEntityType, PbEntityType[]>> = {
  component: ['product', 'component'],
  feature: ['component', 'product'],
  subfeature: ['feature'],
  keyResult: ['objective'],
  release: ['releaseGroup'],
};

export class PbState {
  private readonly entities = new Map<string, EntityRec>();
  private readonly children = new Map<string, Set<string>>();
  private readonly links = new Map<string, Set<string>>();
  private readonly notesById = new Map<string, NoteRec>();
  private sortedByType = new Map<PbEntityType, EntityRec[]>();
  private sortedNotes: NoteRec[] | undefined;
  private added = 0;
  /**
   * Per-entity rewrites of the rendered JSON: lets tests serve what a real workspace sometimes
   * returns (a field of the wrong type, an unknown enum value, a dangling relationship).
   */
  readonly corruptions = new Map<string, (json: Record<string, unknown>) => Record<string, unknown>>();

  constructor(workspace: SeedWorkspace) {
    for (const e of workspace.entities) {
      const createdAt = Date.parse(e.createdAt);
      const rec: EntityRec = {
        id: e.id,
        type: e.type,
        name: e.name,
        descriptionHtml: e.descriptionHtml ?? '',
        tags: e.tags ? [...e.tags] : [],
        archived: e.archived ?? false,
        createdAt,
        updatedAt: e.updatedAt ? Date.parse(e.updatedAt) : createdAt,
      };
      if (e.status !== undefined) rec.status = e.status;
      if (e.timeframe) rec.timeframe = { ...e.timeframe };
      if (e.parentId) rec.parentId = e.parentId;
      if (e.ownerEmail) rec.ownerEmail = e.ownerEmail;
      this.entities.set(rec.id, rec);
    }
    for (const e of workspace.entities) {
      if (e.parentId) this.childSet(e.parentId).add(e.id);
      for (const l of e.linkedIds ?? []) {
        if (!this.entities.has(l)) continue;
        this.linkSet(e.id).add(l);
        this.linkSet(l).add(e.id);
      }
    }
    for (const n of workspace.notes) {
      const createdAt = Date.parse(n.createdAt);
      const rec: NoteRec = {
        id: n.id,
        name: n.name,
        contentHtml: n.contentHtml,
        linkedIds: n.linkedIds.filter((l) => this.entities.has(l)),
        archived: n.archived ?? false,
        processed: n.processed ?? false,
        tags: n.tags ? [...n.tags] : [],
        createdAt,
        updatedAt: n.updatedAt ? Date.parse(n.updatedAt) : createdAt,
      };
      if (n.customerId) rec.customerId = n.customerId;
      if (n.ownerEmail) rec.ownerEmail = n.ownerEmail;
      this.notesById.set(rec.id, rec);
    }
  }

  // ---- reads (tests) ----

  list(type?: PbEntityType): PbEntityView[] {
    const recs = type ? this.sortedOfType(type) : [...this.entities.values()].sort(byId);
    return recs.map((r) => this.view(r));
  }

  get(id: string): PbEntityView | undefined {
    const r = this.entities.get(id);
    return r ? this.view(r) : undefined;
  }

  listNotes(): PbNoteView[] {
    return this.notesNewestFirst().map((n) => noteView(n));
  }

  getNote(id: string): PbNoteView | undefined {
    const n = this.notesById.get(id);
    return n ? noteView(n) : undefined;
  }

  // ---- mutations (tests) ----

  rename(id: string, name: string): void {
    const r = this.must(id);
    r.name = name;
    this.touch(r);
  }

  setDescription(id: string, html: string): void {
    const r = this.must(id);
    r.descriptionHtml = html;
    this.touch(r);
  }

  archive(id: string, archived = true): void {
    const r = this.must(id);
    r.archived = archived;
    this.touch(r);
  }

  setStatus(id: string, statusName: string): void {
    const r = this.must(id);
    r.status = statusName;
    this.touch(r);
  }

  setTags(id: string, names: string[]): void {
    const r = this.must(id);
    r.tags = [...new Set(names)];
    this.touch(r);
  }

  setTimeframe(id: string, timeframe: Timeframe | null): void {
    const r = this.must(id);
    if (timeframe) r.timeframe = { ...timeframe };
    else delete r.timeframe;
    this.touch(r);
  }

  /** Deletes the entity and, like v2, cascades to its children (productboard-api.md §1.1 "v2 deletes cascade"). */
  delete(id: string): void {
    const r = this.must(id);
    const doomed: EntityRec[] = [];
    const collect = (e: EntityRec): void => {
      doomed.push(e);
      for (const c of this.children.get(e.id) ?? []) {
        const child = this.entities.get(c);
        if (child) collect(child);
      }
    };
    collect(r);
    const doomedIds = new Set(doomed.map((d) => d.id));
    const now = this.now();
    for (const d of doomed) {
      for (const l of this.links.get(d.id) ?? []) {
        const other = this.entities.get(l);
        this.links.get(l)?.delete(d.id);
        if (other && !doomedIds.has(l)) this.touch(other, now);
      }
      this.links.delete(d.id);
      this.children.delete(d.id);
      this.entities.delete(d.id);
    }
    if (r.parentId) {
      this.children.get(r.parentId)?.delete(r.id);
      const parent = this.entities.get(r.parentId);
      if (parent) this.touch(parent, now);
    }
    for (const n of this.notesById.values()) {
      const kept = n.linkedIds.filter((l) => !doomedIds.has(l));
      if (kept.length !== n.linkedIds.length) {
        n.linkedIds = kept;
        n.updatedAt = now;
      }
    }
    this.invalidate();
  }

  link(featureId: string, initiativeId: string): void {
    const a = this.must(featureId);
    const b = this.must(initiativeId);
    this.linkSet(a.id).add(b.id);
    this.linkSet(b.id).add(a.id);
    const now = this.now();
    this.touch(a, now);
    this.touch(b, now);
  }

  unlink(featureId: string, initiativeId: string): void {
    const a = this.must(featureId);
    const b = this.must(initiativeId);
    this.links.get(a.id)?.delete(b.id);
    this.links.get(b.id)?.delete(a.id);
    const now = this.now();
    this.touch(a, now);
    this.touch(b, now);
  }

  /** Moves an entity (typically a subfeature) under a new parent; touches the child and both parents, whose relationships changed. */
  setParent(childId: string, parentId: string): void {
    const child = this.must(childId);
    const parent = this.must(parentId);
    this.checkParent(child.type, parent.type);
    const now = this.now();
    if (child.parentId) {
      this.children.get(child.parentId)?.delete(child.id);
      const old = this.entities.get(child.parentId);
      if (old) this.touch(old, now);
    }
    child.parentId = parent.id;
    this.childSet(parent.id).add(child.id);
    this.touch(child, now);
    this.touch(parent, now);
  }

  addEntity(input: AddEntityInput): string {
    const id = uuidFromName(`sandbox-added:${input.type}:${input.name}:${++this.added}`);
    const now = this.now();
    const rec: EntityRec = {
      id,
      type: input.type,
      name: input.name,
      descriptionHtml: input.descriptionHtml ?? '',
      tags: input.tags ? [...new Set(input.tags)] : [],
      archived: input.archived ?? false,
      createdAt: now,
      updatedAt: now,
    };
    if (input.status !== undefined) rec.status = input.status;
    if (input.timeframe) rec.timeframe = { ...input.timeframe };
    if (input.ownerEmail) rec.ownerEmail = input.ownerEmail;
    if (input.parentId) {
      const parent = this.must(input.parentId);
      this.checkParent(input.type, parent.type);
      rec.parentId = parent.id;
    } else if (input.type === 'subfeature') {
      throw new Error('A subfeature must have a parent feature.');
    }
    for (const l of input.linkedIds ?? []) this.must(l);
    this.entities.set(id, rec);
    if (rec.parentId) {
      this.childSet(rec.parentId).add(id);
      const parent = this.entities.get(rec.parentId);
      if (parent) this.touch(parent, now);
    }
    for (const l of input.linkedIds ?? []) {
      this.linkSet(id).add(l);
      this.linkSet(l).add(id);
      const other = this.entities.get(l);
      if (other) this.touch(other, now);
    }
    this.invalidate();
    return id;
  }

  addNote(input: AddNoteInput): string {
    const id = uuidFromName(`sandbox-added:note:${input.name}:${++this.added}`);
    for (const l of input.linkedIds) this.must(l);
    const now = this.now();
    const rec: NoteRec = {
      id,
      name: input.name,
      contentHtml: input.contentHtml,
      linkedIds: [...input.linkedIds],
      archived: false,
      processed: false,
      tags: input.tags ? [...input.tags] : [],
      createdAt: now,
      updatedAt: now,
    };
    if (input.customerId) rec.customerId = input.customerId;
    this.notesById.set(id, rec);
    this.sortedNotes = undefined;
    return id;
  }

  linkNote(noteId: string, entityId: string): void {
    const n = this.mustNote(noteId);
    this.must(entityId);
    if (!n.linkedIds.includes(entityId)) n.linkedIds.push(entityId);
    n.updatedAt = this.now();
  }

  unlinkNote(noteId: string, entityId: string): void {
    const n = this.mustNote(noteId);
    n.linkedIds = n.linkedIds.filter((l) => l !== entityId);
    n.updatedAt = this.now();
  }

  archiveNote(noteId: string, archived = true): void {
    const n = this.mustNote(noteId);
    n.archived = archived;
    n.updatedAt = this.now();
  }

  deleteNote(noteId: string): void {
    this.mustNote(noteId);
    this.notesById.delete(noteId);
    this.sortedNotes = undefined;
  }

  // ---- used by the HTTP layer ----

  entity(id: string): EntityRec | undefined {
    return this.entities.get(id);
  }

  note(id: string): NoteRec | undefined {
    return this.notesById.get(id);
  }

  /** Entities of one type in id order (the stable paging order). Cached until an add/delete. */
  sortedOfType(type: PbEntityType): EntityRec[] {
    let list = this.sortedByType.get(type);
    if (!list) {
      list = [];
      for (const e of this.entities.values()) if (e.type === type) list.push(e);
      list.sort(byId);
      this.sortedByType.set(type, list);
    }
    return list;
  }

  /** Notes newest first, as `GET /v2/notes` documents ("sorted by creation date, newest first"). */
  notesNewestFirst(): NoteRec[] {
    if (!this.sortedNotes) {
      this.sortedNotes = [...this.notesById.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    return this.sortedNotes;
  }

  /** Symmetric relationships of an entity: parent, then children, then links. */
  relationshipsOf(id: string): RelationshipRec[] {
    const r = this.entities.get(id);
    if (!r) return [];
    const out: RelationshipRec[] = [];
    if (r.parentId && this.entities.has(r.parentId)) out.push({ type: 'parent', targetId: r.parentId });
    for (const c of this.children.get(id) ?? []) out.push({ type: 'child', targetId: c });
    for (const l of this.links.get(id) ?? []) out.push({ type: 'link', targetId: l });
    return out;
  }

  // ---- internals ----

  private now(): number {
    return Date.now();
  }

  private touch(r: EntityRec, now = this.now()): void {
    r.updatedAt = now;
  }

  private invalidate(): void {
    this.sortedByType = new Map();
  }

  private must(id: string): EntityRec {
    const r = this.entities.get(id);
    if (!r) throw new Error(`No Productboard entity with id ${id}`);
    return r;
  }

  private mustNote(id: string): NoteRec {
    const n = this.notesById.get(id);
    if (!n) throw new Error(`No Productboard note with id ${id}`);
    return n;
  }

  private checkParent(childType: PbEntityType, parentType: PbEntityType): void {
    const allowed = ALLOWED_PARENTS[childType];
    if (allowed && !allowed.includes(parentType)) {
      throw new Error(`A ${childType} cannot have a ${parentType} as parent (allowed: ${allowed.join(', ')}).`);
    }
  }

  private childSet(id: string): Set<string> {
    let s = this.children.get(id);
    if (!s) {
      s = new Set();
      this.children.set(id, s);
    }
    return s;
  }

  private linkSet(id: string): Set<string> {
    let s = this.links.get(id);
    if (!s) {
      s = new Set();
      this.links.set(id, s);
    }
    return s;
  }

  private view(r: EntityRec): PbEntityView {
    const v: PbEntityView = {
      id: r.id,
      type: r.type,
      name: r.name,
      descriptionHtml: r.descriptionHtml,
      tags: [...r.tags],
      archived: r.archived,
      childIds: [...(this.children.get(r.id) ?? [])],
      linkedIds: [...(this.links.get(r.id) ?? [])],
      createdAt: new Date(r.createdAt).toISOString(),
      updatedAt: new Date(r.updatedAt).toISOString(),
    };
    if (r.status !== undefined) v.status = r.status;
    if (r.timeframe) v.timeframe = { ...r.timeframe };
    if (r.parentId) v.parentId = r.parentId;
    if (r.ownerEmail) v.ownerEmail = r.ownerEmail;
    return v;
  }
}

function noteView(n: NoteRec): PbNoteView {
  const v: PbNoteView = {
    id: n.id,
    name: n.name,
    contentHtml: n.contentHtml,
    linkedIds: [...n.linkedIds],
    archived: n.archived,
    processed: n.processed,
    tags: [...n.tags],
    createdAt: new Date(n.createdAt).toISOString(),
    updatedAt: new Date(n.updatedAt).toISOString(),
  };
  if (n.customerId) v.customerId = n.customerId;
  if (n.ownerEmail) v.ownerEmail = n.ownerEmail;
  return v;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
