import type { Database } from 'better-sqlite3';

// Schema migrations, applied in order; PRAGMA user_version records how many ran.
// Append only: never edit a migration that has shipped.
const MIGRATIONS: string[] = [
  `
  CREATE TABLE links (
    pb_id       TEXT PRIMARY KEY,
    pb_type     TEXT NOT NULL,
    jira_id     TEXT,
    jira_key    TEXT,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'linked', 'failed')),
    intent_at   INTEGER,
    last_error  TEXT,
    pushed      TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX links_by_jira_id ON links (jira_id) WHERE jira_id IS NOT NULL;

  CREATE TABLE runs (
    id          TEXT PRIMARY KEY,
    command     TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER,
    outcome     TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted')),
    counts      TEXT,
    error       TEXT
  );
  CREATE INDEX runs_by_start ON runs (started_at);
  `,
  `
  -- Reconcile findings and when they were alerted: a scheduled run alerts on what is new or
  -- resolved, not on the same list every tick.
  CREATE TABLE findings (
    fingerprint       TEXT PRIMARY KEY,
    kind              TEXT NOT NULL,
    data              TEXT NOT NULL,
    first_seen        INTEGER NOT NULL,
    last_seen         INTEGER NOT NULL,
    last_alerted      INTEGER,
    resolved_at       INTEGER,
    resolved_alerted  INTEGER
  );
  CREATE INDEX findings_open ON findings (resolved_at);
  `,
  `
  -- One row per named lease: a pass holds 'pass' so two processes never run at once.
  CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    acquired_at INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
  );
  -- Small operational state (e.g. whether the last scheduled pass failed and was alerted).
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  `
  -- The last complete view of Productboard (items, items it could not read, notes), so a pass can
  -- read only what changed since the cursor (meta 'source.cursor') instead of the whole workspace.
  CREATE TABLE source_items (
    id    TEXT PRIMARY KEY,
    kind  TEXT NOT NULL CHECK (kind IN ('item', 'rejected', 'note')),
    data  TEXT NOT NULL
  );
  `,
  `
  -- The last complete view of the managed Jira issues (meta 'jira.cursor'), so a pass can read
  -- only the issues updated since the previous read.
  CREATE TABLE jira_cache (
    id    TEXT PRIMARY KEY,
    data  TEXT NOT NULL
  );
  `,
  `
  -- A pass that finished with items it could not bring into Jira (refused by Jira, or invalid in
  -- Productboard) is 'degraded', and keeps those items with their reasons. SQLite cannot change a
  -- CHECK constraint in place: the table is rebuilt (https://www.sqlite.org/lang_altertable.html#otheralter).
  CREATE TABLE runs_next (
    id          TEXT PRIMARY KEY,
    command     TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER,
    outcome     TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'degraded', 'failed', 'interrupted')),
    counts      TEXT,
    error       TEXT,
    stuck       TEXT
  );
  INSERT INTO runs_next (id, command, started_at, ended_at, outcome, counts, error)
    SELECT id, command, started_at, ended_at, outcome, counts, error FROM runs;
  DROP TABLE runs;
  ALTER TABLE runs_next RENAME TO runs;
  CREATE INDEX runs_by_start ON runs (started_at);
  `,
  `
  -- A move Jira refused (a sub-task re-parented by an edit): JSON {toParentId, error}. The planner
  -- does not send it again while the wanted parent is the same.
  ALTER TABLE links ADD COLUMN refused_move TEXT;
  `,
  `
  -- Delivery written back to Productboard: the values (JSON {jiraKey, jiraLink, jiraStatus,
  -- progress}) last written to each item's fields, recorded only once the write succeeded, so the
  -- next pass writes only what changed and repairs a write a crash prevented.
  CREATE TABLE pb_delivered (
    pb_id       TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    written_at  INTEGER NOT NULL
  );
  `,
  `
  -- The status loop (writeBack.status): per item, the status each side had when last synced (read,
  -- pushed to Jira or written back to Productboard). A side whose status differs from it changed
  -- since; the other side's status we wrote is never mistaken for a change (no ping-pong).
  CREATE TABLE status_synced (
    pb_id         TEXT PRIMARY KEY,
    pb_status     TEXT,
    jira_category TEXT,
    jira_name     TEXT,
    synced_at     INTEGER NOT NULL
  );
  `,
  `
  -- What each run did to each item (\`history\`): one row per applied or failed action, with every
  -- field before and after (JSON), written in the same batches as the links. Dry runs are recorded
  -- as runs (so \`status\` shows them) but write no item rows and never count as "last applied".
  CREATE TABLE item_log (
    seq       INTEGER PRIMARY KEY,
    run_id    TEXT NOT NULL,
    at        INTEGER NOT NULL,
    action    TEXT NOT NULL,
    outcome   TEXT NOT NULL CHECK (outcome IN ('applied', 'failed')),
    pb_id     TEXT NOT NULL,
    pb_type   TEXT NOT NULL,
    name      TEXT NOT NULL,
    jira_key  TEXT,
    changes   TEXT NOT NULL,
    detail    TEXT
  );
  CREATE INDEX item_log_by_run ON item_log (run_id, seq);
  CREATE INDEX item_log_by_pb ON item_log (pb_id, seq);
  CREATE INDEX item_log_by_key ON item_log (jira_key, seq);
  ALTER TABLE runs ADD COLUMN dry_run INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- The plugin-integration column: what each item's connection shows (JSON ConnectionState) as we
  -- last wrote it, and a person's hold (unlinked, dismissed) kept until they push again. Recorded
  -- only once Productboard took the write.
  CREATE TABLE pb_connections (
    pb_id       TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    hold        TEXT,
    written_at  INTEGER NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `ledger schema version ${current} is newer than this pb-jira-sync understands (${MIGRATIONS.length}); upgrade pb-jira-sync`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
