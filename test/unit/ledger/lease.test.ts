import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holderMayBeAlive, leaseHolder } from '../../../src/ledger/lease.js';
import { Ledger } from '../../../src/ledger/ledger.js';

/** Fields of /proc/<pid>/stat after the command name: [0] state, [19] start time. */
const statOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};
const startTimeOf = (pid: number) => statOf(pid)[19]!;
const stateOf = (pid: number) => statOf(pid)[0]!;

const open = () => Ledger.open(join(mkdtempSync(join(tmpdir(), 'pbjs-lease-')), 'ledger.sqlite'));
const alive = leaseHolder();
const scope = alive.split(':')[1]!;

describe('pass lease', () => {
  it('names each process uniquely, even two with the same hostname and PID, with its start time', () => {
    expect(alive).toMatch(new RegExp(`^${hostname()}:[0-9a-f]{12}:${process.pid}:${startTimeOf(process.pid)}:[0-9a-f]{8}$`));
  });

  it('is exclusive until it expires, and renewable by its holder only', () => {
    const ledger = open();
    expect(ledger.leases.acquire('pass', alive, 1000, 60_000)).toEqual({ acquired: true });
    expect(ledger.leases.acquire('pass', 'other-host:1', 2000, 60_000)).toEqual({ acquired: false, holder: alive, expiresAt: 61_000 });
    expect(ledger.leases.renew('pass', 'other-host:1', 3000, 60_000)).toBe(false);
    expect(ledger.leases.renew('pass', alive, 3000, 60_000)).toBe(true);
    expect(ledger.leases.acquire('pass', 'other-host:1', 62_000, 60_000)).toMatchObject({ acquired: false });
    expect(ledger.leases.acquire('pass', 'other-host:1', 63_001, 60_000)).toEqual({ acquired: true });
    ledger.close();
  });

  it('can be taken over at once from a holder on this host whose process is gone', () => {
    const ledger = open();
    const dead = `${hostname()}:${scope}:2147483646:abcd1234`;
    expect(holderMayBeAlive(dead)).toBe(false);
    expect(holderMayBeAlive(alive)).toBe(true);
    expect(holderMayBeAlive(`another-host:${scope}:2147483646:abcd1234`)).toBe(true);
    // Same hostname, other PID namespace (another container on a shared volume): not judged.
    expect(holderMayBeAlive(`${hostname()}:000000000000:2147483646:abcd1234`)).toBe(true);
    // A holder written by an earlier version (no start time) is judged by its PID alone.
    expect(holderMayBeAlive(`${hostname()}:${scope}:${process.pid}:abcd1234`)).toBe(true);
    ledger.leases.acquire('pass', dead, 1000, 60_000);
    expect(ledger.leases.acquire('pass', alive, 2000, 60_000)).toEqual({ acquired: true });
    ledger.close();
  });

  it('is taken over from a holder whose PID now belongs to another process (PID reused)', () => {
    const ledger = open();
    const reused = `${hostname()}:${scope}:${process.pid}:${Number(startTimeOf(process.pid)) - 1}:abcd1234`;
    expect(holderMayBeAlive(reused)).toBe(false);
    ledger.leases.acquire('pass', reused, 1000, 60_000);
    expect(ledger.leases.acquire('pass', alive, 2000, 60_000)).toEqual({ acquired: true });
    ledger.close();
  });

  it('is taken over from a holder that died but was not reaped (a zombie)', async () => {
    // `sh` starts a child and execs `sleep`, which never reaps it. The test kills the child only once `sh` has become
    // `sleep`, so the child stays a zombie whatever the machine's load: no step depends on how long another takes.
    const parent = spawn('sh', ['-c', 'sleep 600 & echo $!; exec sleep 600'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let pid: number | undefined;
    const until = Date.now() + 30_000;
    const waitUntil = async (condition: () => boolean) => {
      while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    };
    try {
      pid = Number((await new Promise<Buffer>((resolve) => parent.stdout.once('data', resolve))).toString().trim());
      const start = startTimeOf(pid);
      const parentPid = parent.pid!;
      await waitUntil(() => readFileSync(`/proc/${parentPid}/cmdline`, 'utf8').startsWith('sleep\0'));
      process.kill(pid, 'SIGKILL');
      await waitUntil(() => stateOf(pid!) === 'Z');
      expect(stateOf(pid)).toBe('Z');
      const zombie = `${hostname()}:${scope}:${pid}:${start}:abcd1234`;
      expect(holderMayBeAlive(zombie)).toBe(false);
      const ledger = open();
      ledger.leases.acquire('pass', zombie, 1000, 60_000);
      expect(ledger.leases.acquire('pass', alive, 2000, 60_000)).toEqual({ acquired: true });
      ledger.close();
    } finally {
      // The child first (a zombie ignores the signal; a child left alive by a failed step does not), while it is still
      // certainly there; then `sleep`, whose end lets the zombie be reaped.
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
      parent.kill('SIGKILL');
    }
  });

  it('hold() refuses with a conflict naming the holder, and releases when done', async () => {
    const ledger = open();
    ledger.leases.acquire('pass', 'ops-host:7', Date.now(), 60_000);
    await expect(ledger.leases.hold('pass', alive, Date, 60_000, async () => 1)).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('another pass (ops-host:7) is running'),
    });
    ledger.leases.release('pass', 'ops-host:7');
    await expect(ledger.leases.hold('pass', alive, Date, 60_000, async () => 42)).resolves.toBe(42);
    expect(ledger.leases.current('pass', Date.now())).toBeUndefined();
    ledger.close();
  });
});
