import type { Database } from 'better-sqlite3';
import type { MetaStore } from './meta-store.js';
import type { ObservedIssue } from '../model/observed.js';

/** When the last read of the managed Jira issues began, and the last full one. */
export interface JiraCursor {
  readStartedAt: number;
  fullReadAt: number;
  project: string;
}

const CURSOR_KEY = 'jira.cursor';

/** The managed Jira issues as last read: between full reads a pass reads only what was updated since. */
export class JiraCache {
  constructor(
    private readonly db: Database,
    private readonly meta: MetaStore,
  ) {}

  cursor(): JiraCursor | undefined {
    return this.meta.getMeta<JiraCursor>(CURSOR_KEY);
  }

  load(): ObservedIssue[] {
    return (this.db.prepare('SELECT data FROM jira_cache').all() as Array<{ data: string }>).map((row) => JSON.parse(row.data) as ObservedIssue);
  }

  saveFull(issues: readonly ObservedIssue[], cursor: JiraCursor): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM jira_cache').run();
      this.write(issues);
      this.meta.setMeta(CURSOR_KEY, cursor);
    })();
  }

  saveDelta(issues: readonly ObservedIssue[], cursor: JiraCursor): void {
    this.db.transaction(() => {
      this.write(issues);
      this.meta.setMeta(CURSOR_KEY, cursor);
    })();
  }

  private write(issues: readonly ObservedIssue[]): void {
    const upsert = this.db.prepare('INSERT INTO jira_cache (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data');
    for (const issue of issues) upsert.run(issue.id, JSON.stringify(issue));
  }
}
