import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { EngineConfig } from '../../../src/config/load-config.js';
import { withPass, type Services } from '../../../src/engine/pass.js';
import { inspectLedgerPath } from '../../../src/ledger/ledger-file.js';
import { Ledger } from '../../../src/ledger/ledger.js';
import { silentLogger } from '../../../src/log/logger.js';
import { VirtualClock } from '../../../src/util/clock.js';
import { statusCommand } from '../../../src/cli/commands/status.js';
import { uuid } from '../../helpers/builders.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'pbjs-ledger-path-'));

/** Everything a check must leave as it was: type, mode, owner, size, content. */
function fingerprint(path: string) {
  const stats = statSync(path);
  const content = stats.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : null;
  return { mode: stats.mode, uid: stats.uid, size: stats.size, rdev: stats.rdev, content };
}

/** Ledger.open must refuse with a config error naming the path, and leave the path and its folder as they were. */
function expectRefused(path: string, message: RegExp) {
  const before = fingerprint(path);
  const folder = join(path, '..');
  const siblings = spawnSync('ls', ['-a', folder], { encoding: 'utf8' }).stdout;
  expect(() => Ledger.open(path)).toThrow(expect.objectContaining({ kind: 'config', message: expect.stringMatching(message) }));
  expect(fingerprint(path)).toEqual(before);
  expect(spawnSync('ls', ['-a', folder], { encoding: 'utf8' }).stdout).toBe(siblings);
  expect(existsSync(`${path}-journal`)).toBe(false);
}

describe('issue 10 H5: the ledger path is checked before it is touched', () => {
  it('a character device: /dev/null itself is only read-checked, and refused; a replica (when this user may create one) too', () => {
    const before = fingerprint('/dev/null');
    expect(() => inspectLedgerPath('/dev/null', 'write')).toThrow(
      expect.objectContaining({
        kind: 'config',
        message: expect.stringContaining('the ledger path /dev/null is a character device, not a ledger file;'),
      }),
    );
    expect(() => inspectLedgerPath('/dev/null', 'read')).toThrow(/is a character device/);
    expect(fingerprint('/dev/null')).toEqual(before);
    expect(existsSync('/dev/null-journal')).toBe(false);

    // mknod needs root: as root (the review's setup) the replica goes through Ledger.open itself.
    const replica = join(tempDir(), 'devnull');
    if (spawnSync('mknod', [replica, 'c', '1', '3']).status === 0) {
      chmodSync(replica, 0o666);
      expectRefused(replica, /is a character device, not a ledger file; point ledger\.path \(PB_JIRA_SYNC_LEDGER\) at a file of its own/);
      expect(statSync(replica).mode & 0o777).toBe(0o666);
    }
  });

  it('a FIFO (or, where mkfifo is missing, a socket) is refused without blocking on it', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'ledger.sqlite');
    if (spawnSync('mkfifo', [fifo]).status === 0) {
      expectRefused(fifo, /is a FIFO \(named pipe\), not a ledger file/);
      expect(() => Ledger.openReadOnly(fifo)).toThrow(/is a FIFO \(named pipe\)/);
      return;
    }
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(fifo, resolve));
    try {
      expectRefused(fifo, /is a socket, not a ledger file/);
    } finally {
      server.close();
    }
  });

  it('a symlink to a non-ledger file: refused, the target keeps its mode and content', () => {
    const dir = tempDir();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, 'jira: { project: PBJ }\n', { mode: 0o644 });
    chmodSync(config, 0o644);
    const link = join(dir, 'ledger.sqlite');
    symlinkSync(config, link);
    expectRefused(link, /is not a SQLite database \(through a symbolic link\), so not a pb-jira-sync ledger; nothing was changed/);
    expect(statSync(config).mode & 0o777).toBe(0o644);
    expect(() => Ledger.openReadOnly(link)).toThrow(/is not a SQLite database/);
  });

  it('a deliberately read-only ledger: refused for writing with the remedy, untouched; still readable by read-only commands', () => {
    const path = join(tempDir(), 'ledger.sqlite');
    Ledger.open(path).close();
    chmodSync(path, 0o400);
    expectRefused(path, /is read-only \(mode 0400\) and a pass writes to it; nothing was changed; make it writable .*\(chmod u\+w /);
    expect(statSync(path).mode & 0o777).toBe(0o400);
    const reader = Ledger.openReadOnly(path);
    expect(reader?.linkCount()).toBe(0);
    reader?.close();
    expect(statSync(path).mode & 0o777).toBe(0o400);
  });

  it('a SQLite database of another application is refused, not migrated into', () => {
    const path = join(tempDir(), 'other.db');
    const other = new BetterSqlite3(path);
    other.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    other.close();
    expectRefused(path, /is a SQLite database of another application \(tables: customers\); nothing was changed/);
  });

  it('a directory is refused as a directory', () => {
    const path = join(tempDir(), 'ledger.sqlite');
    mkdirSync(path);
    expect(() => Ledger.open(path)).toThrow(/the ledger path .* is a directory, not a ledger file/);
  });

  it('only a file we create gets 0600; an existing ledger (or a symlink to one) keeps the mode its owner gave it', () => {
    const dir = tempDir();
    const created = join(dir, 'new', 'ledger.sqlite');
    Ledger.open(created).close();
    expect(statSync(created).mode & 0o777).toBe(0o600);
    chmodSync(created, 0o640);
    const link = join(dir, 'link.sqlite');
    symlinkSync(created, link);
    const ledger = Ledger.open(link);
    ledger.recordIntents([{ pbId: uuid(1), pbType: 'feature' }], 1);
    ledger.close();
    Ledger.open(created).close();
    expect(statSync(created).mode & 0o777).toBe(0o640);
  });
});

describe('issue 10 low: a corrupted ledger', () => {
  /** A ledger with enough rows to span many pages, then one page in the middle overwritten with garbage. */
  function damagedLedger(): string {
    const path = join(tempDir(), 'ledger.sqlite');
    const ledger = Ledger.open(path);
    ledger.recordIntents(
      Array.from({ length: 3000 }, (_, i) => ({ pbId: uuid(i + 1), pbType: 'feature' })),
      1,
    );
    ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = ledger.db.pragma('page_size', { simple: true }) as number;
    ledger.close();
    const fd = openSync(path, 'r+');
    // Forty pages from the 20th: whatever the tables before it (migrations add some), rows of links are among them.
    writeSync(fd, Buffer.alloc(pageSize * 40, 0xa5), 0, pageSize * 40, pageSize * 20);
    closeSync(fd);
    return path;
  }

  const services = {
    source: {
      read: async () => ({ items: new Map(), rejected: [], notes: [], archivedNoteIds: [] }),
      statusNames: async () => null,
      customFields: async () => [],
    },
    jira: {} as Services['jira'],
    delivery: {} as Services['delivery'],
    nativeLinks: { read: async () => ({ integrations: [], byPbId: new Map(), unavailable: null }) },
    notifier: { unavailable: null, notify: async () => ({ status: 'delivered' as const }) },
    requests: () => ({}),
  } satisfies Services;

  it('a pass that reads it fails with a config error naming the file and the remedy, not "this is a bug"', async () => {
    const path = damagedLedger();
    const config = { ledgerPath: path, schedule: { leaseSeconds: 60 }, secrets: [] as string[] } as EngineConfig;
    const context = { config, services, clock: new VirtualClock(), logger: silentLogger() };
    await expect(
      withPass(context, { command: 'sync', dryRun: true, counts: () => ({}) }, async (pass) => pass.ledger?.links()),
    ).rejects.toMatchObject({
      kind: 'config',
      message: expect.stringMatching(
        new RegExp(
          `^the ledger at ${path} is damaged \\(database disk image is malformed\\)\\. Move it aside with its -wal and -shm files \\(mv ${path} ${path}\\.damaged\\); the next pass starts a new ledger and adopts the issues already in Jira by their stamp$`,
        ),
      ),
    });
  });

  it('status says so and fails (exit 1 through the CLI), instead of reporting a healthy ledger', async () => {
    const path = damagedLedger();
    const out: string[] = [];
    const io = {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => out.push(t),
      env: { PB_JIRA_SYNC_LEDGER: path },
      cwd: process.cwd(),
    };
    await expect(statusCommand(io, { limit: 5 })).rejects.toMatchObject({
      kind: 'config',
      message: expect.stringContaining(`the ledger at ${path} is damaged`),
    });
    expect(out).toEqual([]);
  });
});
