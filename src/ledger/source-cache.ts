import type { Database } from 'better-sqlite3';
import type { MetaStore } from './meta-store.js';
import type { RejectedItem, SourceGraph, SourceItem, SourceNote, SourceDelta } from '../model/source.js';

/** Where the last read left off, and what it covered (a different mapping means a full read). */
export interface SourceCursor {
  /** When the last successful read started (ms): the next read asks for changes since then. */
  readStartedAt: number;
  /** When the last full read started (ms): deletions are only seen by full reads. */
  fullReadAt: number;
  /** The mapped types and whether notes are read: a change forces a full read. */
  scope: string;
}

const CURSOR_KEY = 'source.cursor';

/**
 * The last complete view of Productboard, kept in the ledger so a pass reads only what changed.
 * Written in one transaction per read; read-only passes (dry runs) merge in memory only.
 */
export class SourceCache {
  constructor(
    private readonly db: Database,
    private readonly meta: MetaStore,
  ) {}

  cursor(): SourceCursor | undefined {
    return this.meta.getMeta<SourceCursor>(CURSOR_KEY);
  }

  load(): SourceGraph {
    const items = new Map<string, SourceItem>();
    const rejected: RejectedItem[] = [];
    const notes: SourceNote[] = [];
    for (const row of this.db.prepare('SELECT kind, data FROM source_items').iterate() as Iterable<{ kind: string; data: string }>) {
      if (row.kind === 'item') {
        const item = JSON.parse(row.data) as SourceItem;
        items.set(item.id, item);
      } else if (row.kind === 'rejected') rejected.push(JSON.parse(row.data) as RejectedItem);
      else notes.push(JSON.parse(row.data) as SourceNote);
    }
    return { items, rejected, notes };
  }

  /** Replaces the whole view (after a full read). */
  saveFull(graph: SourceGraph, cursor: SourceCursor): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM source_items').run();
      this.write(graph.items.values(), graph.rejected, graph.notes);
      this.meta.setMeta(CURSOR_KEY, cursor);
    })();
  }

  /** Applies what changed since the cursor. */
  saveDelta(delta: SourceDelta, cursor: SourceCursor): void {
    const remove = this.db.prepare('DELETE FROM source_items WHERE id = ?');
    this.db.transaction(() => {
      for (const id of delta.items.keys()) remove.run(`rejected:${id}`);
      for (const r of delta.rejected) remove.run(r.id);
      for (const id of delta.archivedNoteIds) remove.run(`note:${id}`);
      this.write(delta.items.values(), delta.rejected, delta.notes);
      this.meta.setMeta(CURSOR_KEY, cursor);
    })();
  }

  private write(items: Iterable<SourceItem>, rejected: readonly RejectedItem[], notes: readonly SourceNote[]): void {
    const upsert = this.db.prepare('INSERT INTO source_items (id, kind, data) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, data = excluded.data');
    for (const item of items) upsert.run(item.id, 'item', JSON.stringify(item));
    for (const r of rejected) upsert.run(`rejected:${r.id}`, 'rejected', JSON.stringify(r));
    for (const note of notes) upsert.run(`note:${note.id}`, 'note', JSON.stringify(note));
  }
}

