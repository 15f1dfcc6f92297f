import { uuidFromName } from '../kit/deterministic-id.js';
import { getOrCreate } from '../kit/maps.js';
import type { PbEntityType, SeedEntity, SeedNote, SeedWorkspace, Timeframe } from './model.js';
import {
  byId,
  entityRec,
  entityView,
  noteRec,
  noteView,
  type EntityRec,
  type NoteRec,
  type PbEntityView,
  type PbNoteView,
  type RelationshipRec,
} from './records.js';

// In-memory Productboard workspace. Tests mutate it between CLI runs through the synchronous methods below;
// every mutation bumps `updatedAt` of whatever changed, because the engine's incremental read is
// `POST /v2/entities/search` with `filter.updatedAt.from`.

/** A new entity as a test describes it: a seed entity whose id and times the state assigns. */
export type AddEntityInput = Omit<SeedEntity, 'id' | 'createdAt' | 'updatedAt'>;

/** A new note: a fresh insight, neither processed nor archived, without an owner. */
export type AddNoteInput = Pick<SeedNote, 'name' | 'contentHtml' | 'linkedIds' | 'customerId' | 'tags'>;

// Which parent types v2 allows (the entity configurations: a feature's parent is a component or product,
// a subfeature's parent is a feature).
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
  /** `link` relationships, stored on both ends. */
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
      const rec = entityRec(e.id, { ...e, tags: e.tags ? [...e.tags] : [] }, createdAt, e.updatedAt ? Date.parse(e.updatedAt) : createdAt);
      if (e.parentId) rec.parentId = e.parentId;
      this.entities.set(rec.id, rec);
    }
    for (const e of workspace.entities) {
      if (e.parentId) this.childrenOf(e.parentId).add(e.id);
      for (const l of e.linkedIds ?? []) if (this.entities.has(l)) this.connect(e.id, l);
    }
    for (const n of workspace.notes) {
      const createdAt = Date.parse(n.createdAt);
      const linkedIds = n.linkedIds.filter((l) => this.entities.has(l));
      const rec = noteRec(n.id, { ...n, linkedIds }, createdAt, n.updatedAt ? Date.parse(n.updatedAt) : createdAt);
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
    this.edit(id, (r) => {
      r.name = name;
    });
  }

  setDescription(id: string, html: string): void {
    this.edit(id, (r) => {
      r.descriptionHtml = html;
    });
  }

  archive(id: string, archived = true): void {
    this.edit(id, (r) => {
      r.archived = archived;
    });
  }

  setStatus(id: string, statusName: string): void {
    this.edit(id, (r) => {
      r.status = statusName;
    });
  }

  setTags(id: string, names: string[]): void {
    this.edit(id, (r) => {
      r.tags = [...new Set(names)];
    });
  }

  setTimeframe(id: string, timeframe: Timeframe | null): void {
    this.edit(id, (r) => {
      if (timeframe) r.timeframe = { ...timeframe };
      else delete r.timeframe;
    });
  }

  /** Deletes the entity and, like v2, cascades to its children (https://developer.productboard.com/reference/deleteentity). */
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
    this.connect(a.id, b.id);
    this.touchAll([a, b]);
  }

  unlink(featureId: string, initiativeId: string): void {
    const a = this.must(featureId);
    const b = this.must(initiativeId);
    this.links.get(a.id)?.delete(b.id);
    this.links.get(b.id)?.delete(a.id);
    this.touchAll([a, b]);
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
    this.childrenOf(parent.id).add(child.id);
    this.touch(child, now);
    this.touch(parent, now);
  }

  addEntity(input: AddEntityInput): string {
    const id = uuidFromName(`sandbox-added:${input.type}:${input.name}:${++this.added}`);
    const now = this.now();
    const rec = entityRec(id, { ...input, tags: input.tags ? [...new Set(input.tags)] : [] }, now, now);
    const parent = input.parentId ? this.must(input.parentId) : undefined;
    if (parent) {
      this.checkParent(input.type, parent.type);
      rec.parentId = parent.id;
    } else if (input.type === 'subfeature') {
      throw new Error('A subfeature must have a parent feature.');
    }
    const linked = (input.linkedIds ?? []).map((l) => this.must(l));
    this.entities.set(id, rec);
    if (parent) this.childrenOf(parent.id).add(id);
    for (const other of linked) this.connect(id, other.id);
    this.touchAll(parent ? [parent, ...linked] : linked, now);
    this.invalidate();
    return id;
  }

  addNote(input: AddNoteInput): string {
    const id = uuidFromName(`sandbox-added:note:${input.name}:${++this.added}`);
    for (const l of input.linkedIds) this.must(l);
    const now = this.now();
    const { name, contentHtml, customerId, tags } = input;
    this.notesById.set(id, noteRec(id, { name, contentHtml, linkedIds: [...input.linkedIds], customerId, tags }, now, now));
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
    return getOrCreate(this.sortedByType, type, () => [...this.entities.values()].filter((e) => e.type === type).sort(byId));
  }

  /** Notes newest first, as `GET /v2/notes` documents ("sorted by creation date, newest first"). */
  notesNewestFirst(): NoteRec[] {
    this.sortedNotes ??= [...this.notesById.values()].sort((a, b) => b.createdAt - a.createdAt || byId(a, b));
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

  private edit(id: string, change: (r: EntityRec) => void): void {
    const r = this.must(id);
    change(r);
    this.touch(r);
  }

  private touch(r: EntityRec, now = this.now()): void {
    r.updatedAt = now;
  }

  private touchAll(recs: EntityRec[], now = this.now()): void {
    for (const r of recs) this.touch(r, now);
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

  private childrenOf(id: string): Set<string> {
    return getOrCreate(this.children, id, () => new Set<string>());
  }

  private connect(a: string, b: string): void {
    getOrCreate(this.links, a, () => new Set<string>()).add(b);
    getOrCreate(this.links, b, () => new Set<string>()).add(a);
  }

  private view(r: EntityRec): PbEntityView {
    return entityView(r, this.children.get(r.id) ?? [], this.links.get(r.id) ?? []);
  }
}
