import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineConfig } from '../../../src/config/load-config.js';
import { DryRunFindings, DryRunLinks, DryRunNotifier, DryRunWriter } from '../../../src/engine/dry-run.js';
import { withPass, type Services } from '../../../src/engine/pass.js';
import { SyncError } from '../../../src/errors.js';
import { Ledger } from '../../../src/ledger/ledger.js';
import { silentLogger } from '../../../src/log/logger.js';
import type { Notifier } from '../../../src/model/ports.js';
import { VirtualClock } from '../../../src/util/clock.js';

const notifier: Notifier = { unavailable: null, notify: async () => ({ status: 'delivered' }) };
let sent = 0;
const services = {
  source: {
    read: async () => ({ items: new Map(), rejected: [], notes: [], archivedNoteIds: [] }),
    statusNames: async () => null,
    customFields: async () => [],
  },
  jira: {} as Services['jira'],
  delivery: {} as Services['delivery'],
  nativeLinks: { read: async () => ({ integrations: [], byPbId: new Map(), unavailable: null }) },
  notifier,
  requests: () => ({ 'GET /x': { requests: sent, retries: 0, throttled: 0 } }),
} satisfies Services;

const context = () => {
  const ledgerPath = join(mkdtempSync(join(tmpdir(), 'pbjs-pass-')), 'ledger.sqlite');
  const config = { ledgerPath, schedule: { leaseSeconds: 60 }, secrets: [] as string[] } as EngineConfig;
  return { config, services, clock: new VirtualClock(), logger: silentLogger() };
};

describe('withPass', () => {
  it('a writing pass holds the lease, records one run with its counts, and counts only its own requests', async () => {
    const ctx = context();
    sent = 5;
    const result = await withPass(ctx, { command: 'sync', dryRun: false, counts: (n: number) => ({ applied: n }) }, async (pass) => {
      expect(pass.ledger?.leases.current('pass', ctx.clock.now())).toBeDefined();
      expect(pass.writers.jira).toBe(services.jira);
      expect(pass.writers.links).toBe(pass.ledger);
      sent = 8;
      expect(pass.requests()).toEqual({ 'GET /x': { requests: 3, retries: 0, throttled: 0 } });
      return 3;
    });
    expect(result).toBe(3);
    const ledger = Ledger.open(ctx.config.ledgerPath);
    expect(ledger.recentRuns(5)).toMatchObject([{ command: 'sync', outcome: 'succeeded', counts: { applied: 3 } }]);
    expect(ledger.leases.current('pass', ctx.clock.now())).toBeUndefined();
    ledger.close();
  });

  it('records a failure with the error headline, and an interruption as interrupted', async () => {
    const ctx = context();
    const fail = (error: Error) =>
      withPass(ctx, { command: 'reconcile', dryRun: false, counts: () => ({}) }, async () => Promise.reject(error));
    await expect(
      fail(
        new SyncError('auth', 'Jira rejected the credentials (HTTP 401)', { service: 'jira', endpoint: 'GET /rest/api/3/project/{key}' }),
      ),
    ).rejects.toMatchObject({ kind: 'auth' });
    await expect(fail(new SyncError('interrupted', 'stopped by a signal'))).rejects.toMatchObject({ kind: 'interrupted' });
    const ledger = Ledger.open(ctx.config.ledgerPath);
    expect(ledger.recentRuns(5).map((r) => [r.outcome, r.error])).toEqual(
      expect.arrayContaining([
        ['failed', 'error [auth] Jira GET /rest/api/3/project/{key}: Jira rejected the credentials (HTTP 401)'],
        ['interrupted', 'error [interrupted]: stopped by a signal'],
      ]),
    );
    ledger.close();
  });

  it('refuses to start while another process holds the lease, and records nothing', async () => {
    const ctx = context();
    const other = Ledger.open(ctx.config.ledgerPath);
    other.leases.acquire('pass', 'ops-host:4242', ctx.clock.now(), 60_000);
    let ran = false;
    await expect(
      withPass(ctx, { command: 'sync', dryRun: false, counts: () => ({}) }, async () => void (ran = true)),
    ).rejects.toMatchObject({ kind: 'conflict' });
    expect(ran).toBe(false);
    expect(other.recentRuns(5)).toEqual([]);
    other.close();
  });

  it('a dry run gets writers that only remember, never creates the ledger, takes no lease and records no run', async () => {
    const ctx = context();
    await withPass(ctx, { command: 'sync', dryRun: true, counts: () => ({}) }, async (pass) => {
      expect(pass.ledger).toBeUndefined();
      expect(pass.writers.jira).toBeInstanceOf(DryRunWriter);
      expect(pass.writers.links).toBeInstanceOf(DryRunLinks);
      expect(pass.writers.findings).toBeInstanceOf(DryRunFindings);
      expect(pass.writers.notifier).toBeInstanceOf(DryRunNotifier);
      expect(await pass.writers.notifier.notify({ kind: 'pass-failing', project: 'PBJ', error: 'x', nextRun: null })).toEqual({
        status: 'not-sent',
        reason: 'dry run: not sent',
      });
    });
    expect(existsSync(ctx.config.ledgerPath)).toBe(false);
  });
});
