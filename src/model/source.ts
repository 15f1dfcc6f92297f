// What a pass reads from the source of truth (Productboard), reduced to what the mapping can use.

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
  createdAt: string;
}

/** An item Productboard returned that we could not read; it is skipped with this reason. */
export interface RejectedItem {
  id: string;
  type: string | null;
  name: string | null;
  reason: string;
}

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
  const rejectedById = new Map(base.rejected.map((r) => [r.id, r]));
  for (const [id, item] of delta.items) {
    items.set(id, item);
    rejectedById.delete(id);
  }
  for (const r of delta.rejected) {
    items.delete(r.id);
    rejectedById.set(r.id, r);
  }
  const changedNotes = new Set([...delta.notes.map((n) => n.id), ...delta.archivedNoteIds]);
  const notes = [...base.notes.filter((n) => !changedNotes.has(n.id)), ...delta.notes];
  return { items, rejected: [...rejectedById.values()], notes };
}
