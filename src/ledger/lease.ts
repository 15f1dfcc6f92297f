import type { Database } from 'better-sqlite3';

import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { SyncError } from '../errors.js';

export type LeaseResult = { acquired: true } | { acquired: false; holder: string; expiresAt: number };

/** The lease every writing pass takes, scheduled or not: never two passes at once. */
export const PASS_LEASE = 'pass';

/**
 * Where PIDs mean the same thing: this boot of this kernel and this PID namespace. Containers that
 * share a hostname and a ledger volume have different ones, so they never judge each other's PIDs.
 * 'unknown' where /proc is not there: then only the lease's expiry decides.
 */
function pidScope(): string {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const pidns = readlinkSync('/proc/self/ns/pid');
    return createHash('sha256').update(`${boot}|${pidns}`).digest('hex').slice(0, 12);
  } catch {
    return 'unknown';
  }
}

/** What the kernel says of a process: its state letter and start time (clock ticks after boot). */
function processStat(pid: number): { state: string; startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: split after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, startTime: fields[19]! };
  } catch {
    return undefined;
  }
}

const SCOPE = pidScope();
const NONCE = randomBytes(4).toString('hex');
const START_TIME = processStat(process.pid)?.startTime ?? '0';

/**
 * Identifies this process in a lease: host, PID scope, PID, the process's start time (so a reused
 * PID is told apart), and a nonce no other process shares.
 */
export const leaseHolder = (): string => `${hostname()}:${SCOPE}:${process.pid}:${START_TIME}:${NONCE}`;

/**
 * Whether a lease holder may still be running. In our own PID scope we can ask the kernel: a
 * holder whose process is gone (kill -9, a crash), is a zombie nobody reaped yet, or whose PID now
 * belongs to a process started at another time holds nothing, and waiting out its lease would
 * only delay the recovery. Anywhere else we cannot know, so the lease's expiry decides.
 */
export function holderMayBeAlive(holder: string): boolean {
  const match = /^(.*):([0-9a-f]{12}):(\d+):(?:(\d+):)?[0-9a-f]+$/.exec(holder);
  if (!match || match[1] !== hostname() || match[2] !== SCOPE || SCOPE === 'unknown') return true;
  const pid = Number(match[3]);
  const recordedStart = match[4];
  const stat = processStat(pid);
  if (!stat) {
    // No /proc entry: gone, unless /proc cannot be read at all (then ask kill(0) as before).
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== 'ESRCH';
    }
  }
  if (stat.state === 'Z' || stat.state === 'X') return false;
  // Holders written before the start time was recorded only have the PID to go by.
  return recordedStart === undefined || recordedStart === '0' || stat.startTime === recordedStart;
}

export interface LeaseInfo {
  holder: string;
  acquiredAt: number;
  expiresAt: number;
}

/**
 * A lease in the ledger: whoever holds an unexpired row runs the pass. Acquisition is one
 * IMMEDIATE transaction, so two processes racing for it cannot both win; a holder that died
 * (kill -9) simply lets its lease expire.
 */
export class Leases {
  constructor(
    private readonly db: Database,
    private readonly mayBeAlive: (holder: string) => boolean = holderMayBeAlive,
  ) {}

  acquire(name: string, holder: string, now: number, ttlMs: number): LeaseResult {
    const tx = this.db.transaction((): LeaseResult => {
      const row = this.db.prepare('SELECT holder, expires_at FROM leases WHERE name = ?').get(name) as
        { holder: string; expires_at: number } | undefined;
      if (row && row.holder !== holder && row.expires_at > now && this.mayBeAlive(row.holder))
        return { acquired: false, holder: row.holder, expiresAt: row.expires_at };
      this.db
        .prepare(
          'INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at',
        )
        .run(name, holder, now, now + ttlMs);
      return { acquired: true };
    });
    return tx.immediate();
  }

  /** Extends a lease we hold; false when it was lost (expired and taken by another process). */
  renew(name: string, holder: string, now: number, ttlMs: number): boolean {
    return this.db.prepare('UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?').run(now + ttlMs, name, holder).changes === 1;
  }

  release(name: string, holder: string): void {
    this.db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
  }

  /**
   * Runs `work` holding the lease, renewing it while it runs. Throws a `conflict` error naming the
   * holder when another process has it.
   */
  async hold<T>(name: string, holder: string, clock: { now(): number }, ttlMs: number, work: () => Promise<T>): Promise<T> {
    const result = this.acquire(name, holder, clock.now(), ttlMs);
    if (!result.acquired) {
      throw new SyncError(
        'conflict',
        `another pass (${result.holder}) is running; its lease ends by ${new Date(result.expiresAt).toISOString()}`,
      );
    }
    const heartbeat = setInterval(
      () => {
        // A renewal that throws (SQLite busy) must not crash the process; the next one may succeed,
        // and a lease that does lapse is caught by the holder check of whoever takes it.
        try {
          this.renew(name, holder, clock.now(), ttlMs);
        } catch {
          // ignored on purpose, see above
        }
      },
      Math.max(1000, ttlMs / 3),
    );
    heartbeat.unref();
    try {
      return await work();
    } finally {
      clearInterval(heartbeat);
      this.release(name, holder);
    }
  }

  current(name: string, now: number): LeaseInfo | undefined {
    const row = this.db.prepare('SELECT holder, acquired_at, expires_at FROM leases WHERE name = ?').get(name) as
      { holder: string; acquired_at: number; expires_at: number } | undefined;
    return row && row.expires_at > now ? { holder: row.holder, acquiredAt: row.acquired_at, expiresAt: row.expires_at } : undefined;
  }
}
