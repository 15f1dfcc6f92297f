import { accessSync, closeSync, constants, lstatSync, mkdirSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Database } from 'better-sqlite3';
import { SyncError } from '../errors.js';
import { fileKind } from '../util/small-file.js';

// The ledger path comes from the environment, so a typo can point it at anything: /dev/null, a
// config file, a directory. Everything here looks before it touches: nothing is created, opened
// for writing or chmodded until the path is known to be absent or a SQLite file, and the mode of
// an existing file is never changed (a file made read-only on purpose stays read-only).

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

const WHERE_TO = 'point ledger.path (PB_JIRA_SYNC_LEDGER) at a file of its own, e.g. /var/lib/pb-jira-sync/ledger.sqlite';

export type LedgerFile = { state: 'absent' } | { state: 'present'; size: number };

const refuse = (path: string, problem: string, remedy = WHERE_TO): SyncError =>
  new SyncError('config', `the ledger path ${path} ${problem}; ${remedy}`);

/**
 * What is at the ledger path, refusing anything that is not absent or a regular SQLite file (a
 * symbolic link is followed only to look at what it points to). `write`: a writing pass also
 * needs the file and its folder writable (SQLite keeps `-wal` and `-shm` files next to it).
 */
export function inspectLedgerPath(path: string, purpose: 'read' | 'write'): LedgerFile {
  let stats: Stats;
  let via = '';
  try {
    stats = lstatSync(path);
    if (stats.isSymbolicLink()) {
      via = ' (through a symbolic link)';
      stats = statSync(path);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !via) return { state: 'absent' };
    if (code === 'ENOENT') throw refuse(path, 'is a symbolic link to nothing');
    throw refuse(path, `cannot be used (${code ?? (error as Error).message})`);
  }
  if (!stats.isFile()) throw refuse(path, `is ${fileKind(stats)}${via}, not a ledger file`);
  if (stats.size > 0 && !hasSqliteHeader(path)) {
    throw refuse(path, `is not a SQLite database${via}, so not a pb-jira-sync ledger; nothing was changed`);
  }
  if (purpose === 'write') checkWritable(path, stats);
  return { state: 'present', size: stats.size };
}

function checkWritable(path: string, stats: Stats): void {
  // The mode bits say what the owner meant even for root, whom access() lets write anything.
  const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
  if ((stats.mode & 0o222) === 0 || !canWrite(path)) {
    throw refuse(
      path,
      `is read-only (mode ${mode}) and a pass writes to it; nothing was changed`,
      `make it writable for the user running pb-jira-sync (chmod u+w ${path}), or use \`sync --dry-run\` and \`status\`, which only read it`,
    );
  }
  const folder = dirname(realpathSync(path));
  if (!canWrite(folder)) {
    throw refuse(
      path,
      `lives in a folder this user cannot write (${folder}), where SQLite keeps ${basename(path)}-wal and -shm`,
      'make the folder writable for the user running pb-jira-sync, or move the ledger',
    );
  }
}

const canWrite = (path: string): boolean => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

function hasSqliteHeader(path: string): boolean {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, header, 0, header.length, 0) === header.length && header.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates the ledger file, mode 0600 (it maps the backlog), refusing to reuse anything that
 * appeared meanwhile. SQLite gives its `-wal` and `-shm` files the mode of the database file.
 */
export function createLedgerFile(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Created by another process between our look and now: look at it again like any existing file.
    if (code === 'EEXIST') return;
    throw refuse(path, `cannot be created (${code ?? (error as Error).message})`, 'check that its folder exists and is writable');
  }
}

/** A SQLite file is ours when it is empty (just created) or holds the ledger's tables. */
export function checkOurs(db: Database, path: string): void {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name);
  if (tables.length === 0) return;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === 0 || !tables.includes('links')) {
    throw refuse(path, `is a SQLite database of another application (tables: ${tables.slice(0, 5).join(', ')}); nothing was changed`);
  }
}

/** What to do about a damaged ledger: nothing in it is irreplaceable. */
export const damagedLedger = (path: string, reason: string, cause?: unknown): SyncError =>
  new SyncError(
    'config',
    `the ledger at ${path} is damaged (${reason}). Move it aside with its -wal and -shm files ` +
      `(mv ${path} ${path}.damaged); the next pass starts a new ledger and adopts the issues already in Jira by their stamp`,
    cause === undefined ? {} : { cause },
  );

/**
 * A SQLite failure that is about the ledger file itself, as a `config` error naming the path and
 * what to do (undefined for anything else). A damaged ledger is not fatal to the backlog: every
 * issue we created carries its stamp, so a pass without a ledger adopts them instead of creating.
 */
export function ledgerFileError(path: string, error: unknown): SyncError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  const reason = (error as Error).message;
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return damagedLedger(path, reason, error);
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    return new SyncError(
      'config',
      `cannot write the ledger at ${path} (${reason}); make the file and its folder writable for the user running pb-jira-sync`,
      { cause: error },
    );
  }
  if (code === 'SQLITE_FULL') return new SyncError('config', `the disk holding the ledger at ${path} is full`, { cause: error });
  return undefined;
}
