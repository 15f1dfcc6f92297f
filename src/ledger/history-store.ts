import type { Database } from 'better-sqlite3';
import type { FieldDiff } from '../model/field-diff.js';
import type { HistoryEntry, RecordedEntry } from '../model/history.js';
import { runForEach } from './sql.js';

interface EntryRow {
  run_id: string;
  at: number;
  action: HistoryEntry['action'];
  outcome: HistoryEntry['outcome'];
  pb_id: string;
  pb_type: string;
  name: string;
  jira_key: string | null;
  changes: string;
  detail: string | null;
}

const COLUMNS = 'run_id, at, action, outcome, pb_id, pb_type, name, jira_key, changes, detail';

const toEntry = (row: EntryRow): RecordedEntry => ({
  runId: row.run_id,
  at: row.at,
  action: row.action,
  outcome: row.outcome,
  pbId: row.pb_id,
  pbType: row.pb_type,
  name: row.name,
  jiraKey: row.jira_key,
  changes: JSON.parse(row.changes) as FieldDiff[],
  detail: row.detail,
});

/** The per-run item log: what each run did to each item (`history`). */
export class HistoryStore {
  /** `scrub`: applied to what is stored, which may quote vendor text (Jira's error messages). */
  constructor(
    private readonly db: Database,
    private readonly scrub: (text: string) => string,
  ) {}

  /** One transaction for the whole batch. */
  record(entries: readonly HistoryEntry[], at: number): void {
    const insert = `INSERT INTO item_log (${COLUMNS})
      VALUES (@runId, @at, @action, @outcome, @pbId, @pbType, @name, @jiraKey, @changes, @detail)`;
    runForEach(this.db, insert, entries, (entry) => ({
      ...entry,
      at,
      changes: this.scrub(JSON.stringify(entry.changes)),
      detail: entry.detail === null ? null : this.scrub(entry.detail),
    }));
  }

  /** The newest runs that changed something, newest first. */
  runsWithEntries(limit: number): string[] {
    const rows = this.db.prepare('SELECT run_id FROM item_log GROUP BY run_id ORDER BY MAX(seq) DESC LIMIT ?').all(limit) as Array<{
      run_id: string;
    }>;
    return rows.map((r) => r.run_id);
  }

  /** Everything one run did, in the order it was recorded. */
  ofRun(runId: string): RecordedEntry[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM item_log WHERE run_id = ? ORDER BY seq`).all(runId) as EntryRow[]).map(toEntry);
  }

  /**
   * Everything done to one item, oldest first: by Productboard id, or by Jira key (any case), which
   * also finds the item's entries from before it had that key (a failed create).
   */
  ofItem(ref: string): RecordedEntry[] {
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM item_log WHERE pb_id = @ref
           OR pb_id IN (SELECT pb_id FROM item_log WHERE jira_key = upper(@ref))
           OR pb_id IN (SELECT pb_id FROM links WHERE jira_key = upper(@ref))
         ORDER BY seq`,
      )
      .all({ ref }) as EntryRow[];
    return rows.map(toEntry);
  }
}
