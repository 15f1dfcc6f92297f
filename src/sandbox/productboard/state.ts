import { uuidFromName } from '../kit/deterministic-id.js';
import { getOrCreate } from '../kit/maps.js';
import { defaultPbBehaviour, type PbBehaviour } from './behaviour.js';
import { WorkspaceFields, type CustomValue, type DisplayValue } from './custom-fields.js';
import {
  memberId,
  type CustomFieldInput,
  type PbEntityType,
  type SeedEntity,
  type SeedNote,
  type SeedWorkspace,
  type SourceMetadata,
  type Timeframe,
} from './model.js';
import { NativeJiraIntegrations } from './native-jira.js';
import { PluginIntegrations } from './plugin-state.js';
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
// `POST /v2/entities/search` with `filter.updatedAt.from`. Relationship changes bump both ends unless
// `behaviour.relationshipChangesBumpUpdatedAt` is off (the spec promises nothing either way).

/** A new entity as a test describes it: a seed entity whose id and times the state assigns. */
export type AddEntityInput = Omit<SeedEntity, 'id' | 'createdAt' | 'updatedAt'>;

/** A new note: a fresh insight, neither processed nor archived, without an owner. */
export type AddNoteInput = Pick<SeedNote, 'name' | 'contentHtml' | 'linkedIds' | 'customerId' | 'tags'>;

/**
 * A validated set of changes to one entity (PATCH /v2/entities/{id}, the people's write API): `null` clears,
 * `undefined` leaves alone. Custom values are in their stored form.
 */
export interface EntityChanges {
  name?: string;
  descriptionHtml?: string | null;
  status?: string;
  ownerEmail?: string | null;
  timeframe?: Partial<Timeframe> | null;
  archived?: boolean;
  tags?: string[];
  custom?: Map<string, CustomValue | null>;
  /** JSON Merge Patch per key (ApiSourceUpdate). */
  metadata?: { [K in keyof SourceMetadata]?: string | null };
}

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
  /** Merged-away entity → the entity it was merged into. */
  private readonly mergedInto = new Map<string, string>();
  /** Workspace members by email (lower case): who may own things or fill a member field. */
  private readonly memberEmails = new Set<string>();
  private added = 0;
  /** Custom field definitions and status sets of this workspace. */
  readonly fields: WorkspaceFields;
  /** Plugin integrations (push-button columns) created through the API. */
  readonly plugins = new PluginIntegrations();
  /** Productboard's native Jira integration and its feature-to-issue links. */
  readonly jiraIntegrations: NativeJiraIntegrations;
  /**
   * Per-entity rewrites of the rendered JSON: lets tests serve what a real workspace sometimes
   * returns (a field of the wrong type, an unknown enum value, a dangling relationship).
   */
  readonly corruptions = new Map<string, (json: Record<string, unknown>) => Record<string, unknown>>();

  constructor(
    workspace: SeedWorkspace,
    /** Live behaviour switches shared with the HTTP layer (see behaviour.ts). */
    readonly behaviour: PbBehaviour = defaultPbBehaviour(),
  ) {
    this.fields = new WorkspaceFields(workspace.customFields ?? [], workspace.statuses);
    this.jiraIntegrations = new NativeJiraIntegrations(workspace.jiraIntegrations ?? []);
    for (const e of workspace.entities) {
      const createdAt = Date.parse(e.createdAt);
      const rec = entityRec(e.id, { ...e, tags: e.tags ? [...e.tags] : [] }, createdAt, e.updatedAt ? Date.parse(e.updatedAt) : createdAt);
      if (e.parentId) rec.parentId = e.parentId;
      this.setSeedFields(rec, e.fields);
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
    const memberDefs = new Set(
      this.fields
        .all()
        .filter((d) => d.kind === 'member')
        .map((d) => d.id),
    );
    for (const e of this.entities.values()) {
      if (e.ownerEmail) this.addMember(e.ownerEmail);
      for (const [fieldId, v] of e.custom) if (memberDefs.has(fieldId)) this.addMember(v as string);
    }
    for (const n of this.notesById.values()) if (n.ownerEmail) this.addMember(n.ownerEmail);
    for (const m of workspace.members ?? []) this.addMember(m);
  }

  // ---- members ----

  addMember(email: string): void {
    this.memberEmails.add(email.toLowerCase());
  }

  /** Member emails, sorted. */
  members(): string[] {
    return [...this.memberEmails].sort();
  }

  /** The member's email, found by email (any case) or by member id; undefined for a stranger. */
  member(ref: { email?: string; id?: string }): string | undefined {
    if (ref.email !== undefined) return this.memberEmails.has(ref.email.toLowerCase()) ? ref.email.toLowerCase() : undefined;
    return [...this.memberEmails].find((m) => memberId(m) === ref.id);
  }

  /** Tag names in use on any entity, sorted. */
  tagNames(): string[] {
    const names = new Set<string>();
    for (const e of this.entities.values()) for (const t of e.tags) names.add(t);
    return [...names].sort();
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

  setOwner(id: string, email: string | null): void {
    if (email) this.addMember(email);
    this.edit(id, (r) => {
      if (email) r.ownerEmail = email.toLowerCase();
      else delete r.ownerEmail;
    });
  }

  /** Sets a custom field (by id or name) to a value as a seed gives it, or clears it with null. */
  setCustomField(id: string, field: string, value: CustomFieldInput | null): void {
    const r = this.must(id);
    const def = this.fields.find(field);
    if (!def || !def.entityTypes.includes(r.type)) throw new Error(`No custom field "${field}" on ${r.type}s in this workspace.`);
    const stored = value === null ? null : this.fields.fromInput(def, value);
    if (def.kind === 'member' && typeof stored === 'string') this.addMember(stored);
    this.applyChanges(id, { custom: new Map([[def.id, stored]]) });
  }

  /**
   * Applies validated changes; bumps `updatedAt` only when a stored value actually changed. Returns whether
   * anything changed.
   */
  applyChanges(id: string, c: EntityChanges): boolean {
    const r = this.must(id);
    const before = JSON.stringify(snapshot(r));
    if (c.name !== undefined) r.name = c.name;
    if (c.descriptionHtml !== undefined) r.descriptionHtml = c.descriptionHtml ?? '';
    if (c.status !== undefined) r.status = c.status;
    if (c.ownerEmail !== undefined) {
      if (c.ownerEmail === null) delete r.ownerEmail;
      else r.ownerEmail = c.ownerEmail.toLowerCase();
    }
    if (c.timeframe !== undefined) applyTimeframe(r, c.timeframe);
    if (c.archived !== undefined) r.archived = c.archived;
    if (c.tags !== undefined) r.tags = [...new Set(c.tags)];
    for (const [fieldId, v] of c.custom ?? []) {
      if (v === null || (Array.isArray(v) && v.length === 0)) r.custom.delete(fieldId);
      else r.custom.set(fieldId, Array.isArray(v) ? [...(v as string[])] : v);
    }
    if (c.metadata !== undefined) applyMetadata(r, c.metadata);
    const changed = JSON.stringify(snapshot(r)) !== before;
    if (changed) this.touch(r);
    return changed;
  }

  /**
   * Merges `sourceId` into `targetId` like the Productboard UI's merge: the source's children, links and insights
   * move to the target and the source is gone; reading it afterwards is a 404 or, with `behaviour.mergedEntities`
   * 'redirect', a 308 to the target.
   */
  merge(sourceId: string, targetId: string): void {
    const source = this.must(sourceId);
    const target = this.must(targetId);
    if (source.id === target.id) throw new Error('An entity cannot be merged into itself.');
    if (source.type !== target.type) throw new Error(`A ${source.type} cannot be merged into a ${target.type}.`);
    const now = this.now();
    for (const c of [...(this.children.get(source.id) ?? [])]) {
      const child = this.entities.get(c);
      if (!child) continue;
      child.parentId = target.id;
      this.childrenOf(target.id).add(c);
      this.touchRelated([child], now);
    }
    this.children.delete(source.id);
    for (const l of [...(this.links.get(source.id) ?? [])]) {
      this.links.get(l)?.delete(source.id);
      if (l !== target.id) this.connect(target.id, l);
      const other = this.entities.get(l);
      if (other) this.touchRelated([other], now);
    }
    this.links.delete(source.id);
    if (source.parentId) this.children.get(source.parentId)?.delete(source.id);
    for (const n of this.notesById.values()) {
      if (!n.linkedIds.includes(source.id)) continue;
      n.linkedIds = [...new Set(n.linkedIds.map((l) => (l === source.id ? target.id : l)))];
      if (this.behaviour.relationshipChangesBumpUpdatedAt) n.updatedAt = now;
    }
    this.entities.delete(source.id);
    this.mergedInto.set(source.id, target.id);
    this.touch(target, now);
    this.invalidate();
  }

  /** The surviving entity a merged-away id now lives on, or undefined when `id` was never merged. */
  mergedTarget(id: string): string | undefined {
    let cur = this.mergedInto.get(id);
    for (let i = 0; cur !== undefined && i < 100 && !this.entities.has(cur); i++) cur = this.mergedInto.get(cur);
    return cur !== undefined && this.entities.has(cur) ? cur : undefined;
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
        if (other && !doomedIds.has(l)) this.touchRelated([other], now);
      }
      this.links.delete(d.id);
      this.children.delete(d.id);
      this.entities.delete(d.id);
    }
    if (r.parentId) {
      this.children.get(r.parentId)?.delete(r.id);
      const parent = this.entities.get(r.parentId);
      if (parent) this.touchRelated([parent], now);
    }
    for (const n of this.notesById.values()) {
      const kept = n.linkedIds.filter((l) => !doomedIds.has(l));
      if (kept.length !== n.linkedIds.length) {
        n.linkedIds = kept;
        if (this.behaviour.relationshipChangesBumpUpdatedAt) n.updatedAt = now;
      }
    }
    this.invalidate();
  }

  link(featureId: string, initiativeId: string): void {
    const a = this.must(featureId);
    const b = this.must(initiativeId);
    this.connect(a.id, b.id);
    this.touchRelated([a, b]);
  }

  unlink(featureId: string, initiativeId: string): void {
    const a = this.must(featureId);
    const b = this.must(initiativeId);
    this.links.get(a.id)?.delete(b.id);
    this.links.get(b.id)?.delete(a.id);
    this.touchRelated([a, b]);
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
      if (old) this.touchRelated([old], now);
    }
    child.parentId = parent.id;
    this.childrenOf(parent.id).add(child.id);
    this.touchRelated([child, parent], now);
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
    this.setSeedFields(rec, input.fields);
    if (rec.ownerEmail) this.addMember(rec.ownerEmail);
    this.entities.set(id, rec);
    if (parent) this.childrenOf(parent.id).add(id);
    for (const other of linked) this.connect(id, other.id);
    this.touchRelated(parent ? [parent, ...linked] : linked, now);
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
    if (this.behaviour.relationshipChangesBumpUpdatedAt) n.updatedAt = this.now();
  }

  unlinkNote(noteId: string, entityId: string): void {
    const n = this.mustNote(noteId);
    n.linkedIds = n.linkedIds.filter((l) => l !== entityId);
    if (this.behaviour.relationshipChangesBumpUpdatedAt) n.updatedAt = this.now();
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

  /**
   * Lets time pass for every entity and note (created and updated that much earlier), so a test can
   * show what a later scheduled pass reads: `updatedAt.from` and `updatedFrom` are absolute, and a
   * pass seconds after another would otherwise still see the first one's writes within its margin.
   */
  age(ms: number): void {
    for (const r of [...this.entities.values(), ...this.notesById.values()]) {
      r.createdAt -= ms;
      r.updatedAt -= ms;
    }
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

  /** Touches the ends of a changed relationship, when relationship changes count as updates (behaviour (d)). */
  private touchRelated(recs: EntityRec[], now = this.now()): void {
    if (!this.behaviour.relationshipChangesBumpUpdatedAt) return;
    for (const r of recs) this.touch(r, now);
  }

  private setSeedFields(rec: EntityRec, fields: SeedEntity['fields']): void {
    for (const [fieldId, input] of Object.entries(fields ?? {})) {
      const def = this.fields.byId(fieldId);
      if (!def || !def.entityTypes.includes(rec.type)) throw new Error(`Entity "${rec.name}": no custom field ${fieldId} on ${rec.type}s.`);
      rec.custom.set(fieldId, this.fields.fromInput(def, input));
    }
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
    const custom: Record<string, DisplayValue> = {};
    for (const [fieldId, v] of r.custom) {
      const def = this.fields.byId(fieldId);
      if (def) custom[def.name] = this.fields.display(def, v);
    }
    return entityView(r, this.children.get(r.id) ?? [], this.links.get(r.id) ?? [], custom);
  }
}

/** The stored values `applyChanges` compares to decide whether anything changed. */
function snapshot(r: EntityRec): unknown {
  const { custom, createdAt: _c, updatedAt: _u, ...rest } = r;
  return { ...rest, custom: [...custom].sort(([a], [b]) => (a < b ? -1 : 1)) };
}

function applyTimeframe(r: EntityRec, t: Partial<Timeframe> | null): void {
  if (t === null) {
    delete r.timeframe;
    return;
  }
  const merged: Partial<Timeframe> = { ...(r.timeframe ?? {}), ...t };
  for (const k of ['startDate', 'endDate', 'granularity'] as const) if (merged[k] === undefined) delete merged[k];
  if (merged.startDate || merged.endDate) r.timeframe = merged;
  else delete r.timeframe;
}

function applyMetadata(r: EntityRec, patch: { [K in keyof SourceMetadata]?: string | null }): void {
  const next: SourceMetadata = { ...(r.metadata ?? {}) };
  for (const key of ['system', 'recordId', 'url'] as const) {
    const v = patch[key];
    if (v === null) delete next[key];
    else if (v !== undefined) next[key] = v;
  }
  if (Object.keys(next).length > 0) r.metadata = next;
  else delete r.metadata;
}
