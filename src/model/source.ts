// What a pass reads from the source of truth (Productboard), reduced to what the mapping can use.

/**
 * A value of a Productboard custom field, as the mapping reads it: a number; a text or a date
 * (`YYYY-MM-DD`); the name of a single-select option or of a member (their email); the names of
 * multi-select options. Booleans are read as `true` / `false` text.
 */
export type SourceValue = string | number | readonly string[];

export interface EntityRef {
  id: string;
  type: string;
}

/** A Productboard hierarchy item, reduced to the fields the mapping can use. */
export interface SourceItem {
  id: string;
  type: string;
  name: string;
  descriptionHtml: string;
  url: string | null;
  archived: boolean;
  statusName: string | null;
  tags: string[];
  /** The owner's email, when Productboard shows one (absent in views cached before mapping version 2: read as none). */
  ownerEmail?: string | null;
  /** Custom field values by Productboard field id (a UUID); a field left empty is absent (so is the whole record in older cached views). */
  values?: Readonly<Record<string, SourceValue>>;
  timeframe: { startDate: string | null; endDate: string | null } | null;
  /** Target of the `parent` relationship (subfeature → feature, feature → component/product). */
  parent: EntityRef | null;
  /** Targets of `link` relationships (feature ↔ initiative, release...). */
  links: EntityRef[];
  createdAt: string;
  updatedAt: string;
}

/** A Productboard note (insight) and the hierarchy items it is linked to. */
export interface SourceNote {
  id: string;
  name: string;
  url: string | null;
  linkedIds: string[];
  /** The company or user the note is from (its `customer` relationship), when it has one. */
  customerId?: string | null;
  /** Null when Productboard gave no creation time (some of its note examples carry none): listed last. */
  createdAt: string | null;
}

/**
 * A record Productboard returned that we could not read (an entity, or a note: type `note`). It is
 * never dropped silently: the plan lists it under "Not read from Productboard" with this reason, and
 * an entity of a mapped type is skipped (its issue, if any, left as it is).
 */
export interface RejectedItem {
  /** Empty when the record came without one. */
  id: string;
  type: string | null;
  name: string | null;
  reason: string;
}

/** What tells rejections apart: the id, or for a record without one, all that is known of it. */
export const rejectionKey = (r: RejectedItem): string => r.id || `(no id) ${r.type ?? ''} ${r.name ?? ''}: ${r.reason}`;

export interface SourceGraph {
  items: ReadonlyMap<string, SourceItem>;
  notes: readonly SourceNote[];
  rejected: readonly RejectedItem[];
}

/** What one read returned: everything (a full read) or what changed since a cursor. */
export interface SourceDelta {
  items: Map<string, SourceItem>;
  rejected: RejectedItem[];
  notes: SourceNote[];
  /** Notes archived since the cursor: they leave the insights lists. */
  archivedNoteIds: string[];
}

/** A full read as a graph. */
export const graphOf = (delta: SourceDelta): SourceGraph => ({ items: delta.items, notes: delta.notes, rejected: delta.rejected });

/** A graph with what changed since it was read applied (an item read again replaces its old self). */
export function applyDelta(base: SourceGraph, delta: SourceDelta): SourceGraph {
  const items = new Map(base.items);
  const rejected = new Map(base.rejected.map((r) => [rejectionKey(r), r]));
  // A record read again (fine, archived or rejected anew) replaces whatever was known of it.
  for (const id of [...delta.items.keys(), ...delta.notes.map((n) => n.id), ...delta.archivedNoteIds]) rejected.delete(id);
  for (const [id, item] of delta.items) items.set(id, item);
  for (const r of delta.rejected) {
    items.delete(r.id);
    rejected.set(rejectionKey(r), r);
  }
  const changedNotes = new Set([...delta.notes.map((n) => n.id), ...delta.archivedNoteIds, ...delta.rejected.map((r) => r.id)]);
  const notes = [...base.notes.filter((n) => !changedNotes.has(n.id)), ...delta.notes];
  return { items, rejected: [...rejected.values()], notes };
}
