import type { Database } from 'better-sqlite3';
import type { MetaStore } from './meta-store.js';
import { runForEach } from './sql.js';

/** Where the last read left off, and what it covered. */
export interface CacheCursor {
  /** When the last successful read started (ms): the next read asks for changes since then. */
  readStartedAt: number;
  /** When the last full read started (ms): deletions are only seen by full reads. */
  fullReadAt: number;
  /** What the read covered (mapped types, project...): a change forces a full read. */
  scope: string;
}

/** How the values of one cache are stored: a key per value, and an optional kind column. */
export interface CacheTable<T> {
  table: string;
  /** The meta key of the cursor. */
  cursorKey: string;
  key(value: T): string;
  /** For tables that keep several kinds of values (the Productboard view: items, rejected items, notes). */
  kind?: { of(value: T): string; data(value: T): unknown; decode(kind: string, data: unknown): T };
}

/**
 * The last complete view of a remote system, kept in the ledger so a pass reads only what changed:
 * a cursor in the meta table and the values by key, each save in one transaction. Read-only ledgers
 * (dry runs) load it but never write it: their view is merged in memory only.
 */
export class IncrementalCache<T> {
  constructor(
    private readonly db: Database,
    private readonly meta: MetaStore,
    private readonly spec: CacheTable<T>,
    private readonly readOnly: boolean,
  ) {}

  cursor(): CacheCursor | undefined {
    return this.meta.getMeta<CacheCursor>(this.spec.cursorKey);
  }

  load(): T[] {
    const { table, kind } = this.spec;
    const rows = this.db.prepare(`SELECT ${kind ? 'kind, ' : ''}data FROM ${table}`).all() as Array<{ kind?: string; data: string }>;
    return rows.map((row) => (kind ? kind.decode(row.kind!, JSON.parse(row.data)) : (JSON.parse(row.data) as T)));
  }

  /** Replaces the whole view (after a full read). */
  saveFull(values: Iterable<T>, cursor: CacheCursor): void {
    if (this.readOnly) return;
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM ${this.spec.table}`).run();
      this.write(values);
      this.meta.setMeta(this.spec.cursorKey, cursor);
    })();
  }

  /** Applies what changed since the cursor: values read again, and keys that left the view. */
  saveDelta(values: Iterable<T>, removedKeys: readonly string[], cursor: CacheCursor): void {
    if (this.readOnly) return;
    this.db.transaction(() => {
      runForEach(this.db, `DELETE FROM ${this.spec.table} WHERE id = ?`, removedKeys, (key) => key);
      this.write(values);
      this.meta.setMeta(this.spec.cursorKey, cursor);
    })();
  }

  private write(values: Iterable<T>): void {
    const { table, key, kind } = this.spec;
    if (kind) {
      runForEach(
        this.db,
        `INSERT INTO ${table} (id, kind, data) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, data = excluded.data`,
        values,
        (v) => [key(v), kind.of(v), JSON.stringify(kind.data(v))],
      );
    } else {
      runForEach(
        this.db,
        `INSERT INTO ${table} (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data`,
        values,
        (v) => [key(v), JSON.stringify(v)],
      );
    }
  }
}
