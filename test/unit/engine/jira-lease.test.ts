import { describe, expect, it } from 'vitest';
import { JiraLease, type JiraLeaseSettings } from '../../../src/engine/jira-lease.js';
import { leaseHolder } from '../../../src/ledger/lease.js';
import { silentLogger } from '../../../src/log/logger.js';
import type { WriterRecord, WriterRecordStore } from '../../../src/model/ports.js';
import { VirtualClock } from '../../../src/util/clock.js';

// The Jira-side lease on an in-memory project property: last write wins, as in Jira.

/** A project property with Jira's semantics (no conditional write), recording every access; hooks play other writers. */
class FakeProperty implements WriterRecordStore {
  record: WriterRecord | null = null;
  readonly log: string[] = [];
  /** Runs after each of our writes: another writer may write right after. */
  afterWrite: (record: WriterRecord) => void = () => {};
  /** How long each of our writes takes (virtual time). */
  writeTakesMs: () => number = () => 0;

  constructor(private readonly clock: VirtualClock) {}

  async readWriterRecord(): Promise<WriterRecord | null> {
    this.log.push(`read ${this.record?.holder?.id ?? 'free'}`);
    return this.record && structuredClone(this.record);
  }

  async writeWriterRecord(record: WriterRecord): Promise<void> {
    await this.clock.sleep(this.writeTakesMs());
    this.log.push(`write ${record.holder?.id ?? 'free'}`);
    this.record = structuredClone(record);
    this.afterWrite(record);
  }
}

const SETTINGS: JiraLeaseSettings = { ttlMs: 120_000, waitMs: 30_000, confirmMs: 2_000, settleMs: 10_000 };
const ME = { holder: 'host-a:aaaaaaaaaaaa:1:1:aa', ledger: 'ledger-a' };

function setup(settings: Partial<JiraLeaseSettings> = {}) {
  const clock = new VirtualClock(1_700_000_000_000);
  const property = new FakeProperty(clock);
  const lease = new JiraLease(property, ME, clock, silentLogger(), { ...SETTINGS, ...settings });
  return { clock, property, lease };
}

const other = (id: string, ledger: string, heartbeatAt: number, lastWrite: WriterRecord['lastWrite'] = null): WriterRecord => ({
  holder: { id, ledger, token: 'their-token' },
  heartbeatAt,
  lastWrite,
});

describe('issue 10 H4: the Jira-side lease', () => {
  it('a free lease: written, read back after the confirm wait, held while writing, released with the time of the last write', async () => {
    const { clock, property, lease } = setup();
    const start = clock.now();
    let during: WriterRecord | null = null;
    const result = await lease.hold(async (stale) => {
      during = structuredClone(property.record);
      expect(stale).toBe(false);
      return 'done';
    });
    expect(result).toBe('done');
    // Since when it holds the lease: what `status --jira` shows.
    expect(during!.holder).toMatchObject({ id: ME.holder, ledger: ME.ledger, acquiredAt: start });
    expect(property.log).toEqual([`read free`, `write ${ME.holder}`, `read ${ME.holder}`, `read ${ME.holder}`, 'write free']);
    expect(clock.sleeps).toContain(SETTINGS.confirmMs);
    expect(property.record).toEqual({ holder: null, heartbeatAt: clock.now(), lastWrite: { at: clock.now(), ledger: ME.ledger } });
    expect(clock.now() - start).toBe(SETTINGS.confirmMs);
  });

  it('a live holder of another host: waits a bounded time, writes nothing, then exits with a conflict naming the holder', async () => {
    const { clock, property, lease } = setup();
    property.record = other('host-b:bbbbbbbbbbbb:7:7:bb', 'ledger-b', clock.now());
    let ran = false;
    const error = await lease.hold(async () => void (ran = true)).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(error).toMatchObject({
      kind: 'conflict',
      service: 'jira',
      message: expect.stringContaining('another pb-jira-sync pass (host-b:bbbbbbbbbbbb:7:7:bb) is writing to this Jira project'),
    });
    expect((error as Error).message).toContain('waited 30 s (sync.leaseWaitSeconds)');
    expect(property.log.every((line) => line.startsWith('read'))).toBe(true);
    expect(property.record!.holder!.id).toBe('host-b:bbbbbbbbbbbb:7:7:bb');
  });

  it('waits for a holder that releases, then takes the lease after it', async () => {
    const { clock, property, lease } = setup();
    property.record = other('host-b:bbbbbbbbbbbb:7:7:bb', 'ledger-b', clock.now());
    const releaseAt = clock.now() + 8_000;
    const read = property.readWriterRecord.bind(property);
    property.readWriterRecord = async () => {
      if (clock.now() >= releaseAt && property.record?.holder?.id.startsWith('host-b'))
        property.record = { ...property.record, holder: null };
      return read();
    };
    await lease.hold(async () => 'ok');
    expect(clock.now()).toBeGreaterThanOrEqual(releaseAt);
    expect(property.log.filter((l) => l.startsWith('write'))).toEqual([`write ${ME.holder}`, 'write free']);
  });

  it('a stale lease (no heartbeat for the lease time) is taken over', async () => {
    const { clock, property, lease } = setup();
    property.record = other('host-b:bbbbbbbbbbbb:7:7:bb', 'ledger-b', clock.now() - SETTINGS.ttlMs - 1);
    await lease.hold(async () => 'ok');
    expect(property.log.slice(0, 2)).toEqual(['read host-b:bbbbbbbbbbbb:7:7:bb', `write ${ME.holder}`]);
  });

  it('a holder on this host whose process is gone is taken over at once', async () => {
    const { clock, property, lease } = setup();
    const dead = leaseHolder().replace(/^(.*:[0-9a-f]{12}):\d+:\d+:/, '$1:999999:0:');
    property.record = other(dead, 'ledger-b', clock.now());
    await lease.hold(async () => 'ok');
    expect(property.log[1]).toBe(`write ${ME.holder}`);
  });

  it('two writers that both saw it free: the later write wins; the earlier one reads back the other token and waits', async () => {
    const { clock, property, lease } = setup({ waitMs: 5_000 });
    // Another writer read "free" at the same moment and writes right after us: its write is the last.
    property.afterWrite = (record) => {
      if (record.holder?.id === ME.holder) property.record = other('host-b:bbbbbbbbbbbb:7:7:bb', 'ledger-b', clock.now());
    };
    let ran = false;
    await expect(lease.hold(async () => void (ran = true))).rejects.toMatchObject({ kind: 'conflict' });
    expect(ran).toBe(false);
    expect(property.log.slice(0, 3)).toEqual(['read free', `write ${ME.holder}`, 'read host-b:bbbbbbbbbbbb:7:7:bb']);
    // It never wrote again over the winner.
    expect(property.log.filter((l) => l === `write ${ME.holder}`)).toHaveLength(1);
  });

  it('a write slower than half the confirm wait is not trusted: the lease is written and confirmed again', async () => {
    const { property, lease } = setup();
    const durations = [1_500, 0];
    property.writeTakesMs = () => durations.shift() ?? 0;
    await lease.hold(async () => 'ok');
    expect(property.log.filter((l) => l === `write ${ME.holder}`)).toHaveLength(2);
  });

  it('issue 10 M6: the last write of another ledger too recent for the read: waits for search, then says the read is stale', async () => {
    const { clock, property, lease } = setup();
    const readStartedAt = clock.now();
    property.record = { holder: null, heartbeatAt: readStartedAt - 1_000, lastWrite: { at: readStartedAt - 1_000, ledger: 'ledger-old' } };
    let seen: boolean | undefined;
    await lease.hold(async (stale) => void (seen = stale), readStartedAt);
    expect(seen).toBe(true);
    expect(clock.now()).toBeGreaterThanOrEqual(readStartedAt - 1_000 + SETTINGS.settleMs);
  });

  it('issue 10 M6: no wait when the last write is this ledger’s, older than the settle window, or the pass creates nothing', async () => {
    for (const [lastWrite, readStartedAt] of [
      [{ at: 0, ledger: ME.ledger }, 'now'],
      [{ at: -SETTINGS.settleMs - 1, ledger: 'ledger-old' }, 'now'],
      [{ at: 0, ledger: 'ledger-old' }, undefined],
    ] as const) {
      const { clock, property, lease } = setup();
      const now = clock.now();
      property.record = { holder: null, heartbeatAt: now, lastWrite: { at: now + lastWrite.at, ledger: lastWrite.ledger } };
      let seen: boolean | undefined;
      await lease.hold(async (stale) => void (seen = stale), readStartedAt === 'now' ? now : undefined);
      expect(seen).toBe(false);
      expect(clock.now() - now).toBe(SETTINGS.confirmMs);
    }
  });

  it('a holder of another ledger that stopped without releasing may have written until its last heartbeat: that counts as a recent write', async () => {
    const { clock, property, lease } = setup({ ttlMs: 6_000 });
    const readStartedAt = clock.now();
    property.record = other('host-b:bbbbbbbbbbbb:7:7:bb', 'ledger-b', readStartedAt - 6_001);
    let seen: boolean | undefined;
    await lease.hold(async (stale) => void (seen = stale), readStartedAt);
    expect(seen).toBe(true);
  });

  it('heartbeats while it writes: the record says the holder is alive and may be writing now', async () => {
    const { property, lease } = setup({ ttlMs: 3_000 });
    await lease.hold(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_300));
    });
    const writes = property.log.filter((l) => l.startsWith('write'));
    expect(writes).toEqual([`write ${ME.holder}`, `write ${ME.holder}`, 'write free']);
  });
});
