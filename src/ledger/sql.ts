import type { Database } from 'better-sqlite3';

/** Runs one statement for every item in one transaction: no per-row commits. */
export function runForEach<T>(db: Database, sql: string, items: Iterable<T>, params: (item: T) => unknown): void {
  const statement = db.prepare(sql);
  db.transaction(() => {
    for (const item of items) statement.run(params(item));
  })();
}
