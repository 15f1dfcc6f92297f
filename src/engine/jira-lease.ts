import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { SyncError, isInterruption, messageOf } from '../errors.js';
import { holderMayBeAlive } from '../ledger/lease.js';
import type { WriterRecord, WriterRecordReading, WriterRecordStore } from '../model/ports.js';
import type { Clock } from '../util/clock.js';

// The lease kept where the writes go: a Jira project property every writer reads, whatever host
// and ledger it runs with (the ledger's own lease only excludes passes sharing that ledger file).
// It also records the last write to the project, which closes the lost-ledger window: a pass
// whose ledger did not make that write cannot trust Jira's search (eventually consistent,
// docs/vendor-notes.md §2) to show its issues yet, and waits until it can.
//
// Jira has no compare-and-set on properties (docs/vendor-notes.md §10): the last PUT wins. Acquiring is therefore
// write, wait, read back: a writer holds the lease when, `confirm` after its PUT, the property
// still carries its token. A writer that saw the lease free and takes longer than `confirm / 2`
// from that read to the end of its own PUT starts again. Then two writers that both saw it free
// cannot both win: the later PUT lands less than `confirm / 2` after the earlier one, so before
// the earlier writer reads back. What is left: a writer stalled for longer than the lease time
// (its heartbeat stops) may find its lease taken over; that one notices at its next heartbeat or
// release, logs it, and the stamps (docs/vendor-notes.md §4) still let the next pass adopt what
// both wrote instead of writing it again. This assumes Jira reads a property back as last written
// (properties are stored, not indexed like search). Why `confirm / 2` is enough: writer A read the
// lease free before B's write landed, so A's write lands within `confirm / 2` of B's; whichever
// landed first reads back `confirm` after its own write, after the other's, and yields.

export interface JiraLeaseSettings {
  /** A holder whose heartbeat is older than this has stopped: its lease is taken over. */
  ttlMs: number;
  /** The longest wait for another holder before giving up with a `conflict` error. */
  waitMs: number;
  /** The wait between writing the lease and reading it back. */
  confirmMs: number;
  /** How long Jira's search may take to show a write (sync.intentSettleSeconds). */
  settleMs: number;
}

/** Why a recorded holder holds the lease no more: the rule every writer goes by before taking it over. */
export type StoppedBecause = 'no-heartbeat' | 'process-gone';

/** undefined while the holder holds the lease: it said it is alive less than `ttlMs` ago, and is no dead process on this host. */
export function stoppedBecause(record: WriterRecord, now: number, ttlMs: number): StoppedBecause | undefined {
  if (now - record.heartbeatAt >= ttlMs) return 'no-heartbeat';
  return record.holder && !holderMayBeAlive(record.holder.id) ? 'process-gone' : undefined;
}

/** The Jira lease as `status --jira` shows it, read without taking, writing or clearing it. */
export type JiraLeaseStatus =
  | { state: 'free'; lastWrite: WriterRecord['lastWrite'] }
  | {
      state: 'held' | 'stale';
      holder: string;
      ledger: string;
      /** null: written by a version that did not record it. */
      since: number | null;
      heartbeatAt: number;
      /** When another pass may take it over if the holder says nothing more. */
      expiresAt: number;
      lastWrite: WriterRecord['lastWrite'];
      stoppedBecause: StoppedBecause | null;
      ttlMs: number;
    }
  | { state: 'unreadable'; reason: string };

export function jiraLeaseStatus(reading: WriterRecordReading, now: number, ttlMs: number): JiraLeaseStatus {
  if (reading.state === 'unreadable') return { state: 'unreadable', reason: reading.reason };
  const record = reading.state === 'read' ? reading.record : null;
  if (!record?.holder) return { state: 'free', lastWrite: record?.lastWrite ?? null };
  const stopped = stoppedBecause(record, now, ttlMs) ?? null;
  return {
    state: stopped ? 'stale' : 'held',
    holder: record.holder.id,
    ledger: record.holder.ledger,
    since: record.holder.acquiredAt ?? null,
    heartbeatAt: record.heartbeatAt,
    expiresAt: record.heartbeatAt + ttlMs,
    lastWrite: record.lastWrite,
    stoppedBecause: stopped,
    ttlMs,
  };
}

/** Times a writer in a hurry may start over before saying Jira is too slow to take the lease safely. */
const MAX_ATTEMPTS = 5;

export class JiraLease {
  constructor(
    private readonly store: WriterRecordStore,
    private readonly me: { holder: string; ledger: string },
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly settings: JiraLeaseSettings,
  ) {}

  /**
   * Runs `write` holding the lease. `readStartedAt` is when a pass about to create began reading
   * Jira: if a writer of another ledger wrote too recently for that read to show it, this waits
   * until search can, and tells `write` its read is stale (read again before creating).
   */
  async hold<T>(write: (stale: boolean) => Promise<T>, readStartedAt?: number): Promise<T> {
    const { token, before } = await this.acquire();
    const heartbeat = this.heartbeat(token);
    try {
      const unseen = readStartedAt === undefined ? undefined : this.unseenWriteAt(before);
      const readyAt = unseen === undefined ? undefined : unseen + this.settings.settleMs;
      const stale = readyAt !== undefined && readStartedAt !== undefined && readyAt > readStartedAt;
      if (stale) {
        const waitMs = Math.max(0, readyAt - this.clock.now());
        this.logger.info({ waitMs }, 'another ledger wrote to the project recently: waiting for Jira search to show it');
        await this.clock.sleep(waitMs);
      }
      return await write(stale);
    } finally {
      clearInterval(heartbeat);
      await this.release(token);
    }
  }

  /** Writes the lease and reads it back until it is ours; waits for a live holder, at most `waitMs`. */
  private async acquire(): Promise<{ token: string; before: WriterRecord | null }> {
    const deadline = this.clock.now() + this.settings.waitMs;
    let hurried = 0;
    for (;;) {
      const startedAt = this.clock.now();
      const before = await this.store.readWriterRecord();
      const holder = this.liveHolder(before);
      if (holder) {
        const now = this.clock.now();
        if (now >= deadline) throw this.conflict(holder, before!);
        await this.clock.sleep(Math.min(this.pollMs(), deadline - now));
        continue;
      }
      const token = randomBytes(8).toString('hex');
      await this.store.writeWriterRecord({
        holder: { id: this.me.holder, ledger: this.me.ledger, token, acquiredAt: this.clock.now() },
        heartbeatAt: this.clock.now(),
        lastWrite: before?.lastWrite ?? null,
      });
      if (this.clock.now() - startedAt > this.settings.confirmMs / 2) {
        // Too slow to be told apart from a writer that saw the lease free at the same time: again.
        if (++hurried >= MAX_ATTEMPTS)
          throw new SyncError('transient', 'Jira answered too slowly to take the lease on the project safely; the next pass tries again', {
            service: 'jira',
          });
        continue;
      }
      await this.clock.sleep(this.settings.confirmMs);
      const after = await this.store.readWriterRecord();
      if (after?.holder?.token === token) return { token, before };
      this.logger.info({ holder: after?.holder?.id }, 'another pass took the jira lease at the same time; waiting for it');
    }
  }

  /** The holder of a lease that is neither ours, released, stopped (no heartbeat for `ttlMs`) nor a dead process on this host. */
  private liveHolder(record: WriterRecord | null): string | undefined {
    const holder = record?.holder;
    if (!holder || holder.id === this.me.holder) return undefined;
    return stoppedBecause(record, this.clock.now(), this.settings.ttlMs) ? undefined : holder.id;
  }

  /**
   * The last write this pass's ledger does not know of: the recorded one of another ledger, or,
   * after a holder of another ledger stopped without releasing, as late as it may have written.
   */
  private unseenWriteAt(before: WriterRecord | null): number | undefined {
    if (!before) return undefined;
    const times: number[] = [];
    if (before.lastWrite && before.lastWrite.ledger !== this.me.ledger) times.push(before.lastWrite.at);
    if (before.holder && before.holder.ledger !== this.me.ledger)
      times.push(Math.min(this.clock.now(), before.heartbeatAt + this.heartbeatMs()));
    return times.length ? Math.max(...times) : undefined;
  }

  /**
   * Says the holder is alive, and that it may be writing now (the last write recorded is never
   * older than the last heartbeat of a pass that writes). A lease found taken over is logged.
   */
  private heartbeat(token: string): NodeJS.Timeout {
    const timer = setInterval(() => {
      void this.refresh(token).catch((error: unknown) => {
        // A missed heartbeat is not fatal: the lease lasts `ttlMs`, and the next one may succeed.
        if (!isInterruption(error)) this.logger.warn({ error: messageOf(error) }, 'jira lease heartbeat failed');
      });
    }, this.heartbeatMs());
    timer.unref();
    return timer;
  }

  private async refresh(token: string): Promise<void> {
    const now = this.clock.now();
    const current = await this.store.readWriterRecord();
    if (current?.holder?.token !== token) {
      this.logger.error({ holder: current?.holder?.id }, 'the jira lease was taken over while this pass held it');
      return;
    }
    await this.store.writeWriterRecord({ holder: current.holder, heartbeatAt: now, lastWrite: { at: now, ledger: this.me.ledger } });
  }

  /** Gives the lease up, recording the pass's writes as the project's last. Never fails the pass: an unreleased lease expires. */
  private async release(token: string): Promise<void> {
    try {
      const current = await this.store.readWriterRecord();
      if (current?.holder?.token !== token) {
        this.logger.error({ holder: current?.holder?.id }, 'the jira lease was taken over while this pass held it');
        return;
      }
      const now = this.clock.now();
      await this.store.writeWriterRecord({ holder: null, heartbeatAt: now, lastWrite: { at: now, ledger: this.me.ledger } });
    } catch (error) {
      this.logger.warn({ error: messageOf(error) }, 'jira lease not released; it expires by itself');
    }
  }

  private conflict(holder: string, record: WriterRecord): SyncError {
    const ageSeconds = Math.round((this.clock.now() - record.heartbeatAt) / 1000);
    return new SyncError(
      'conflict',
      `another pb-jira-sync pass (${holder}) is writing to this Jira project (its last heartbeat ${ageSeconds} s ago); ` +
        `waited ${Math.round(this.settings.waitMs / 1000)} s (sync.leaseWaitSeconds). Try again when it has finished`,
      { service: 'jira' },
    );
  }

  private heartbeatMs(): number {
    return Math.max(1000, this.settings.ttlMs / 3);
  }

  private pollMs(): number {
    return Math.max(250, Math.min(5000, this.settings.ttlMs / 10));
  }
}
