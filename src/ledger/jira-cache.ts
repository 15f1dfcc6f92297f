import type { Database } from 'better-sqlite3';
import type { ObservedIssue } from '../engine/model.js';

/** When the last read of the managed Jira issues began, and the last full one. */
export interface JiraCursor {
  readStartedAt: number;
  fullReadAt: number;
  project: string;
}

const CURSOR_KEY = 'jira.cursor';

/** The managed Jira issues as last read: between full reads a pass reads only what was updated since. */
export class JiraCache {
  constructor(private readonly db: Database) {}

  cursor(): JiraCursor | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(CURSOR_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as JiraCursor) : undefined;
  }

  load(): ObservedIssue[] {
    return (this.db.prepare('SELECT data FROM jira_cache').all() as Array<{ data: string }>).map((row) => JSON.parse(row.data) as ObservedIssue);
  }

  saveFull(issues: readonly ObservedIssue[], cursor: JiraCursor): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM jira_cache').run();
      this.write(issues);
      this.setCursor(cursor);
    })();
  }

  saveDelta(issues: readonly ObservedIssue[], cursor: JiraCursor): void {
    this.db.transaction(() => {
      this.write(issues);
      this.setCursor(cursor);
    })();
  }

  private write(issues: readonly ObservedIssue[]): void {
    const upsert = this.db.prepare('INSERT INTO jira_cache (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data');
    for (const issue of issues) upsert.run(issue.id, JSON.stringify(issue));
  }

  private setCursor(cursor: JiraCursor): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(CURSOR_KEY, JSON.stringify(cursor));
  }
}
