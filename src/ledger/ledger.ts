import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { SyncError } from '../errors.js';
import { scrubSecrets } from '../util/secrets.js';
import { checkOurs, createLedgerFile, damagedLedger, inspectLedgerPath, ledgerFileError } from './ledger-file.js';
import { SCHEMA_VERSION, migrate } from './migrations.js';
import { FindingsStore } from './findings-store.js';
import { HistoryStore } from './history-store.js';
import { Leases } from './lease.js';
import { IncrementalCache } from './incremental-cache.js';
import { runForEach } from './sql.js';
import { JIRA_TABLE, SOURCE_TABLE, type SourceRow } from './views.js';
import type { MetaStore } from './meta-store.js';
import type { Link, LinkState, CreatedLink, PushedLink, RefusedMove } from '../model/link.js';
import type { ObservedIssue } from '../model/observed.js';
import type { StampProperty } from '../model/stamp.js';
import type { Connection, ConnectionHold, ConnectionRecord } from '../model/connection.js';
import type { DeliveryValues, StatusSynced } from '../model/delivery.js';
import type { HistoryEntry } from '../model/history.js';
import { isStatusCategory } from '../model/status.js';
import type { ConnectionLog, DeliveryLog, LinkWriter } from '../model/ports.js';
import type { RunOutcome, RunRecord } from '../model/run.js';
import type { StuckItem } from '../model/stuck-item.js';

/** How many stuck items a run record keeps (the count is complete): a run record stays small. */
const STUCK_KEPT = 100;

export type { RunOutcome, RunRecord } from '../model/run.js';

/** A finished run, recorded at once (a dry run's record: it holds no lease and writes nothing else). */
export type FinishedRun = Omit<RunRecord, 'outcome' | 'endedAt' | 'dryRun' | 'stuck'> & {
  outcome: Exclude<RunOutcome, 'running'>;
  endedAt: number;
  stuck: readonly StuckItem[] | null;
};

interface RunRow {
  id: string;
  command: string;
  started_at: number;
  ended_at: number | null;
  outcome: RunOutcome;
  counts: string | null;
  error: string | null;
  stuck: string | null;
  dry_run: number;
}

const RUN_COLUMNS = 'id, command, started_at, ended_at, outcome, counts, error, stuck, dry_run';

const toRun = (r: RunRow): RunRecord => ({
  id: r.id,
  command: r.command,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  outcome: r.outcome,
  counts: r.counts ? (JSON.parse(r.counts) as Record<string, number>) : null,
  error: r.error,
  stuck: r.stuck ? (JSON.parse(r.stuck) as StuckItem[]) : null,
  dryRun: r.dry_run === 1,
});

interface LinkRow {
  pb_id: string;
  pb_type: string;
  jira_id: string | null;
  jira_key: string | null;
  state: LinkState;
  intent_at: number | null;
  last_error: string | null;
  pushed: string | null;
  refused_move: string | null;
}

export interface LedgerOptions {
  /** Every form of the configured credentials: error texts are scrubbed of them before they are stored. */
  secrets?: readonly string[];
}

const LEDGER_ID_KEY = 'ledger.id';

/** The stored form of a run's results: JSON, scrubbed of secrets, stuck items capped. */
function runColumns(
  scrub: (text: string) => string,
  counts: Record<string, number> | null,
  error: string | null,
  stuck: readonly StuckItem[] | null,
) {
  const kept = (stuck ?? []).slice(0, STUCK_KEPT).map((item) => ({ ...item, reason: scrub(item.reason) }));
  return {
    counts: counts ? JSON.stringify(counts) : null,
    error: error === null ? null : scrub(error),
    stuck: kept.length ? JSON.stringify(kept) : null,
  };
}

const toLink = (row: LinkRow): Link => ({
  pbId: row.pb_id,
  pbType: row.pb_type,
  jiraId: row.jira_id,
  jiraKey: row.jira_key,
  state: row.state,
  intentAt: row.intent_at,
  lastError: row.last_error,
  pushed: row.pushed ? (JSON.parse(row.pushed) as StampProperty) : null,
  refusedMove: row.refused_move ? (JSON.parse(row.refused_move) as RefusedMove) : null,
});

/**
 * The SQLite ledger: the only code that touches the database. Every method that writes runs one
 * transaction for a whole batch (no per-row commits, no N+1 queries). WAL keeps readers (status)
 * unblocked while a pass writes, and makes a kill -9 lose at most the transaction in flight.
 */
export class Ledger implements LinkWriter, DeliveryLog, ConnectionLog, MetaStore {
  readonly findings: FindingsStore;
  /** What each run did to each item. */
  readonly history: HistoryStore;
  readonly leases: Leases;
  /** The last view of Productboard, so a pass reads only what changed. */
  readonly source: IncrementalCache<SourceRow>;
  /** The last view of the managed Jira issues. */
  readonly jira: IncrementalCache<ObservedIssue>;

  /** Error texts come from vendors and may echo a credential: scrubbed before they are stored. */
  private readonly scrub: (text: string) => string;

  private constructor(
    readonly db: Database,
    readonly path: string,
    readOnly: boolean,
    options: LedgerOptions,
  ) {
    const secrets = options.secrets ?? [];
    this.scrub = (text) => scrubSecrets(text, secrets);
    this.findings = new FindingsStore(db, this.scrub);
    this.history = new HistoryStore(db, this.scrub);
    this.leases = new Leases(db);
    this.source = new IncrementalCache(db, this, SOURCE_TABLE, readOnly);
    this.jira = new IncrementalCache(db, this, JIRA_TABLE, readOnly);
  }

  /**
   * Opens the ledger for a writing pass, creating it (mode 0600) when absent. Whatever is at the
   * path is inspected first (src/ledger/ledger-file.ts): a device, a foreign file, a read-only
   * ledger is refused with a `config` error, untouched.
   */
  static open(path: string, options: LedgerOptions = {}): Ledger {
    if (inspectLedgerPath(path, 'write').state === 'absent') {
      createLedgerFile(path);
      inspectLedgerPath(path, 'write');
    }
    let db: Database | undefined;
    try {
      db = new BetterSqlite3(path, { fileMustExist: true });
      checkOurs(db, path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      migrate(db);
      return new Ledger(db, path, false, options);
    } catch (error) {
      db?.close();
      throw asLedgerError(path, error, 'cannot open');
    }
  }

  /** Opens an existing ledger for reading only; undefined when there is none (a first run). */
  static openReadOnly(path: string, options: LedgerOptions = {}): Ledger | undefined {
    if (inspectLedgerPath(path, 'read').state === 'absent') return undefined;
    let db: Database | undefined;
    try {
      db = openForReading(path);
      db.pragma('busy_timeout = 5000');
      checkOurs(db, path);
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version === 0) {
        db.close();
        return undefined;
      }
      if (version < SCHEMA_VERSION) {
        // A read-only command must not migrate: an older scheduler may still be using this ledger.
        throw new SyncError(
          'config',
          `the ledger at ${path} was written by an older pb-jira-sync (schema ${version}, this one uses ${SCHEMA_VERSION}); run \`pb-jira-sync sync\` once with this version to upgrade it`,
        );
      }
      return new Ledger(db, path, true, options);
    } catch (error) {
      db?.close();
      throw asLedgerError(path, error, 'cannot read');
    }
  }

  /** Translates a failure of a query into a `config` error naming the file when the file itself is at fault. */
  explain(error: unknown): unknown {
    return ledgerFileError(this.path, error) ?? error;
  }

  /** SQLite's own consistency check (quick_check): a damaged file is a `config` error naming it and what to do. */
  checkIntegrity(): void {
    const rows = this.db.pragma('quick_check') as Array<{ quick_check: string }>;
    const problems = rows.map((r) => r.quick_check).filter((line) => line !== 'ok');
    if (problems.length) throw damagedLedger(this.path, problems.slice(0, 3).join('; '));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  links(): Map<string, Link> {
    const rows = this.db
      .prepare('SELECT pb_id, pb_type, jira_id, jira_key, state, intent_at, last_error, pushed, refused_move FROM links')
      .all() as LinkRow[];
    return new Map(rows.map((row) => [row.pb_id, toLink(row)]));
  }

  /** What was last written to each item's delivery fields in Productboard. */
  delivered(): Map<string, DeliveryValues> {
    const rows = this.db.prepare('SELECT pb_id, data FROM pb_delivered').all() as Array<{ pb_id: string; data: string }>;
    return new Map(rows.map((row) => [row.pb_id, JSON.parse(row.data) as DeliveryValues]));
  }

  recordDelivered(items: ReadonlyArray<{ pbId: string; values: DeliveryValues }>, at: number): void {
    const upsert = `
      INSERT INTO pb_delivered (pb_id, data, written_at) VALUES (@pbId, @data, @at)
      ON CONFLICT (pb_id) DO UPDATE SET data = @data, written_at = @at`;
    runForEach(this.db, upsert, items, (item) => ({ pbId: item.pbId, data: JSON.stringify(item.values), at }));
  }

  /** What each item's plugin-integration connection shows, as we last wrote it. */
  connections(): Map<string, ConnectionRecord> {
    const rows = this.db.prepare('SELECT pb_id, data, hold FROM pb_connections').all() as Array<{
      pb_id: string;
      data: string;
      hold: string | null;
    }>;
    return new Map(
      rows.map((row) => [row.pb_id, { connection: JSON.parse(row.data) as Connection, hold: row.hold as ConnectionHold | null }]),
    );
  }

  recordConnections(items: ReadonlyArray<{ pbId: string; record: ConnectionRecord }>, at: number): void {
    const upsert = `
      INSERT INTO pb_connections (pb_id, data, hold, written_at) VALUES (@pbId, @data, @hold, @at)
      ON CONFLICT (pb_id) DO UPDATE SET data = @data, hold = @hold, written_at = @at`;
    runForEach(this.db, upsert, items, (item) => ({
      pbId: item.pbId,
      data: JSON.stringify(item.record.connection),
      hold: item.record.hold,
      at,
    }));
  }

  /** The status each side had when last synced, per item (the status loop). */
  statusSynced(): Map<string, StatusSynced> {
    const rows = this.db.prepare('SELECT pb_id, pb_status, jira_category, jira_name FROM status_synced').all() as Array<{
      pb_id: string;
      pb_status: string | null;
      jira_category: string | null;
      jira_name: string | null;
    }>;
    return new Map(
      rows.map((row) => [
        row.pb_id,
        { pb: row.pb_status, jira: { category: isStatusCategory(row.jira_category) ? row.jira_category : null, name: row.jira_name } },
      ]),
    );
  }

  recordStatusSynced(items: ReadonlyArray<{ pbId: string; synced: StatusSynced }>, at: number): void {
    const upsert = `
      INSERT INTO status_synced (pb_id, pb_status, jira_category, jira_name, synced_at) VALUES (@pbId, @pb, @category, @name, @at)
      ON CONFLICT (pb_id) DO UPDATE SET pb_status = @pb, jira_category = @category, jira_name = @name, synced_at = @at`;
    runForEach(this.db, upsert, items, ({ pbId, synced }) => ({
      pbId,
      pb: synced.pb,
      category: synced.jira.category,
      name: synced.jira.name,
      at,
    }));
  }

  linkCount(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM links WHERE state = 'linked'").get() as { n: number }).n;
  }

  recordIntents(items: ReadonlyArray<{ pbId: string; pbType: string }>, at: number): void {
    const upsert = `
      INSERT INTO links (pb_id, pb_type, state, intent_at, attempts, created_at, updated_at)
      VALUES (@pbId, @pbType, 'pending', @at, 1, @at, @at)
      ON CONFLICT (pb_id) DO UPDATE SET state = 'pending', intent_at = @at, attempts = attempts + 1, updated_at = @at
      WHERE links.jira_id IS NULL`;
    runForEach(this.db, upsert, items, (item) => ({ ...item, at }));
  }

  recordCreated(items: readonly CreatedLink[], at: number): void {
    const upsert = `
      INSERT INTO links (pb_id, pb_type, jira_id, jira_key, state, pushed, created_at, updated_at)
      VALUES (@pbId, @pbType, @jiraId, @jiraKey, 'linked', @pushed, @at, @at)
      ON CONFLICT (pb_id) DO UPDATE SET jira_id = @jiraId, jira_key = @jiraKey, state = 'linked', last_error = NULL,
        pushed = @pushed, updated_at = @at`;
    runForEach(this.db, upsert, items, (item) => ({ ...item, pushed: JSON.stringify(item.pushed), at }));
  }

  recordFailed(items: ReadonlyArray<{ pbId: string; pbType: string; error: string }>, at: number): void {
    const upsert = `
      INSERT INTO links (pb_id, pb_type, state, last_error, created_at, updated_at)
      VALUES (@pbId, @pbType, 'failed', @error, @at, @at)
      ON CONFLICT (pb_id) DO UPDATE SET state = 'failed', last_error = @error, intent_at = NULL, updated_at = @at
      WHERE links.jira_id IS NULL`;
    runForEach(this.db, upsert, items, (item) => ({ ...item, error: this.scrub(item.error), at }));
  }

  recordPushed(items: readonly PushedLink[], at: number): void {
    const update = 'UPDATE links SET jira_key = @jiraKey, pushed = @pushed, last_error = NULL, updated_at = @at WHERE pb_id = @pbId';
    runForEach(this.db, update, items, (item) => ({ pbId: item.pbId, jiraKey: item.jiraKey, pushed: JSON.stringify(item.pushed), at }));
  }

  recordUpdateFailed(items: ReadonlyArray<{ pbId: string; error: string }>, at: number): void {
    runForEach(this.db, 'UPDATE links SET last_error = @error, updated_at = @at WHERE pb_id = @pbId', items, (item) => ({
      ...item,
      error: this.scrub(item.error),
      at,
    }));
  }

  recordMoveRefused(items: ReadonlyArray<{ pbId: string; toParentId: string | null; error: string }>, at: number): void {
    runForEach(this.db, 'UPDATE links SET refused_move = @refused, updated_at = @at WHERE pb_id = @pbId', items, (item) => ({
      pbId: item.pbId,
      refused: JSON.stringify({ toParentId: item.toParentId, error: this.scrub(item.error) } satisfies RefusedMove),
      at,
    }));
  }

  /**
   * This ledger's identity, made when it is first opened for writing: the Jira writer record
   * (src/engine/jira-lease.ts) tells whether the last write to a project is one this ledger knows.
   * A deleted ledger comes back with a new identity.
   */
  identity(): string {
    let id = this.getMeta<string>(LEDGER_ID_KEY);
    if (!id) {
      id = randomUUID();
      this.setMeta(LEDGER_ID_KEY, id);
    }
    return id;
  }

  /** Ids of issues written recently: search/jql may not show those changes yet (eventual consistency). */
  recentlyWrittenIds(since: number, limit: number): string[] {
    const rows = this.db
      .prepare(
        "SELECT jira_id FROM links WHERE state = 'linked' AND jira_id IS NOT NULL AND updated_at >= ? ORDER BY updated_at DESC LIMIT ?",
      )
      .all(since, limit) as Array<{ jira_id: string }>;
    return rows.map((r) => r.jira_id);
  }

  /** How many changes the last sync applied (its run record): roughly what the next read returns. */
  lastApplied(): number {
    const last = this.recentRuns(10).find((run) => !run.dryRun && run.counts?.applied !== undefined);
    return last?.counts?.applied ?? 0;
  }

  startRun(id: string, command: string, at: number): void {
    this.db.prepare("INSERT INTO runs (id, command, started_at, outcome) VALUES (?, ?, ?, 'running')").run(id, command, at);
  }

  /** Ends a run; a degraded one keeps its stuck items (the first STUCK_KEPT), reasons scrubbed. */
  finishRun(
    id: string,
    outcome: Exclude<RunOutcome, 'running'>,
    at: number,
    counts: Record<string, number> | null,
    error: string | null,
    stuck: readonly StuckItem[] = [],
  ): void {
    this.db
      .prepare('UPDATE runs SET outcome = @outcome, ended_at = @endedAt, counts = @counts, error = @error, stuck = @stuck WHERE id = @id')
      .run({ id, outcome, endedAt: at, ...runColumns(this.scrub, counts, error, stuck) });
  }

  /**
   * Records a finished dry run in an existing ledger of this version, creating, migrating and
   * changing nothing else: `status` lists dry runs too. Returns false when there is no such ledger
   * or it cannot be written (a read-only file or folder): a dry run never fails for its record.
   */
  static recordDryRun(path: string, run: FinishedRun, options: LedgerOptions = {}): boolean {
    let db: Database | undefined;
    try {
      // Looked at as a writer would: a ledger made read-only on purpose stays untouched.
      if (inspectLedgerPath(path, 'write').state === 'absent') return false;
      db = new BetterSqlite3(path, { fileMustExist: true });
      checkOurs(db, path);
      db.pragma('busy_timeout = 5000');
      if (db.pragma('user_version', { simple: true }) !== SCHEMA_VERSION) return false;
      const scrub = (text: string) => scrubSecrets(text, options.secrets ?? []);
      db.prepare(
        `INSERT INTO runs (id, command, started_at, ended_at, outcome, counts, error, stuck, dry_run)
         VALUES (@id, @command, @startedAt, @endedAt, @outcome, @counts, @error, @stuck, 1)`,
      ).run({ ...run, ...runColumns(scrub, run.counts, run.error, run.stuck) });
      return true;
    } catch {
      return false;
    } finally {
      db?.close();
    }
  }

  getMeta<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  setMeta(key: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }

  recentRuns(limit: number): RunRecord[] {
    return (this.db.prepare(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY started_at DESC LIMIT ?`).all(limit) as RunRow[]).map(toRun);
  }

  /** Runs whose id is `idOrPrefix` or starts with it (people type the short id `status` shows). */
  runsMatching(idOrPrefix: string): RunRecord[] {
    const rows = this.db
      .prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE substr(id, 1, length(@prefix)) = @prefix ORDER BY started_at DESC LIMIT 2`)
      .all({ prefix: idOrPrefix.toLowerCase() }) as RunRow[];
    return rows.map(toRun);
  }

  run(id: string): RunRecord | undefined {
    const row = this.db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`).get(id) as RunRow | undefined;
    return row ? toRun(row) : undefined;
  }

  recordHistory(entries: readonly HistoryEntry[], at: number): void {
    this.history.record(entries, at);
  }

  /** Forget links whose intents were resolved as never created (so the item is created afresh). */
  clearIntents(pbIds: readonly string[], at: number): void {
    const update =
      "UPDATE links SET state = 'failed', intent_at = NULL, last_error = 'previous create did not happen', updated_at = @at WHERE pb_id = @pbId AND jira_id IS NULL";
    runForEach(this.db, update, pbIds, (pbId) => ({ pbId, at }));
  }
}

/**
 * A read-only connection. A WAL database normally needs its `-shm` file, which a reader must be
 * able to create; in a folder this user cannot write (an operator reading the service's ledger),
 * read a snapshot of the file instead: what the last checkpoint holds, which after a finished
 * pass is everything. The copy's header is marked as a rollback-journal database, since an
 * in-memory database cannot be in WAL mode.
 */
function openForReading(path: string): Database {
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    db.pragma('user_version', { simple: true });
    return db;
  } catch (error) {
    db?.close();
    const code = (error as { code?: unknown }).code;
    if (code !== 'SQLITE_READONLY_DIRECTORY' && code !== 'SQLITE_CANTOPEN') throw error;
    const copy = readFileSync(path);
    // Bytes 18 and 19: file format write and read versions, 2 for WAL, 1 for a rollback journal (https://www.sqlite.org/fileformat.html).
    copy[18] = 1;
    copy[19] = 1;
    return new BetterSqlite3(copy, { readonly: true });
  }
}

const asLedgerError = (path: string, error: unknown, what: string): SyncError => {
  if (error instanceof SyncError) return error;
  return (
    ledgerFileError(path, error) ?? new SyncError('config', `${what} the ledger at ${path}: ${(error as Error).message}`, { cause: error })
  );
};
