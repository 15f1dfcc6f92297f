import { chmodSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/ledger/ledger.js';
import { stamp, uuid } from '../../helpers/builders.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'pbjs-ledger-')), 'nested', 'ledger.sqlite');

describe('Ledger', () => {
  it('creates the file with mode 0600 in WAL mode', () => {
    const path = fresh();
    const ledger = Ledger.open(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(ledger.db.pragma('journal_mode', { simple: true })).toBe('wal');
    ledger.close();
  });

  it('records an intent before a create and the link after it, surviving a reopen', () => {
    const path = fresh();
    const pbId = uuid(1);
    let ledger = Ledger.open(path);
    ledger.recordIntents([{ pbId, pbType: 'feature' }], 1000);
    ledger.close();
    ledger = Ledger.open(path); // as after a crash
    expect(ledger.links().get(pbId)).toMatchObject({ state: 'pending', jiraId: null, intentAt: 1000 });
    ledger.recordCreated([{ pbId, pbType: 'feature', jiraId: '10001', jiraKey: 'PBJ-1', pushed: stamp(pbId, 'feature') }], 2000);
    expect(ledger.links().get(pbId)).toMatchObject({ state: 'linked', jiraId: '10001', jiraKey: 'PBJ-1', pushed: { pbId } });
    // A later intent for an item that already has an issue must not downgrade the link.
    ledger.recordIntents([{ pbId, pbType: 'feature' }], 3000);
    ledger.recordFailed([{ pbId, pbType: 'feature', error: 'x' }], 3000);
    expect(ledger.links().get(pbId)).toMatchObject({ state: 'linked', jiraId: '10001' });
    ledger.close();
  });

  it('is not created by a read-only open (dry runs leave no file behind)', () => {
    expect(Ledger.openReadOnly(fresh())).toBeUndefined();
  });

  it('keeps one Productboard id per Jira issue', () => {
    const ledger = Ledger.open(fresh());
    ledger.recordCreated([{ pbId: uuid(1), pbType: 'feature', jiraId: '1', jiraKey: 'PBJ-1', pushed: stamp(uuid(1), 'feature') }], 1);
    expect(() =>
      ledger.recordCreated([{ pbId: uuid(2), pbType: 'feature', jiraId: '1', jiraKey: 'PBJ-1', pushed: stamp(uuid(2), 'feature') }], 2),
    ).toThrow(/UNIQUE/);
    ledger.close();
  });
});

describe('Ledger upgrades', () => {
  it('a read-only open (dry run, status) never migrates an older ledger: it says to upgrade with a sync', async () => {
    const path = fresh();
    const { mkdirSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    mkdirSync(dirname(path), { recursive: true });
    const BetterSqlite3 = (await import('better-sqlite3')).default;
    const old = new BetterSqlite3(path);
    old.exec(
      'CREATE TABLE links (pb_id TEXT PRIMARY KEY, pb_type TEXT NOT NULL, jira_id TEXT, jira_key TEXT, state TEXT NOT NULL, intent_at INTEGER, last_error TEXT, pushed TEXT, attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL); CREATE TABLE runs (id TEXT PRIMARY KEY, command TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER, outcome TEXT NOT NULL, counts TEXT, error TEXT); PRAGMA user_version = 1;',
    );
    old.close();
    expect(() => Ledger.openReadOnly(path)).toThrow(
      /written by an older pb-jira-sync \(schema 1, this one uses \d+\); run `pb-jira-sync sync` once/,
    );
    const check = new BetterSqlite3(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    check.close();
    const upgraded = Ledger.open(path);
    expect(upgraded.findings.openCount()).toBe(0);
    upgraded.close();
  });
});

describe('the ledger keeps what each run did', () => {
  const entry = (pbId: string, action: 'create' | 'update' | 'move', jiraKey: string | null, runId = 'run-1') => ({
    runId,
    action,
    outcome: 'applied' as const,
    pbId,
    pbType: 'feature',
    name: 'Custom hub themes',
    jiraKey,
    changes: [{ field: 'summary', type: 'value' as const, from: 'a', to: 'b' }],
    detail: null,
  });

  it('history by run and by item: a Jira key also finds what was recorded before the item had that key', () => {
    const ledger = Ledger.open(fresh());
    ledger.startRun('run-1', 'sync', 1000);
    ledger.recordHistory([{ ...entry(uuid(1), 'create', null), outcome: 'failed', detail: 'Team is required.' }], 1100);
    ledger.finishRun('run-1', 'degraded', 1200, { failed: 1 }, null);
    ledger.startRun('run-2', 'sync', 2000);
    ledger.recordHistory([entry(uuid(1), 'create', 'PBJ-7', 'run-2'), entry(uuid(2), 'create', 'PBJ-8', 'run-2')], 2100);
    ledger.recordCreated([{ pbId: uuid(1), pbType: 'feature', jiraId: '7', jiraKey: 'PBJ-7', pushed: stamp(uuid(1), 'feature') }], 2100);
    ledger.finishRun('run-2', 'succeeded', 2200, { applied: 2 }, null);
    ledger.startRun('run-3', 'reconcile --fix', 3000);
    ledger.recordHistory([entry(uuid(1), 'move', 'PBJ-7', 'run-3')], 3100);

    expect(ledger.history.runsWithEntries(10)).toEqual(['run-3', 'run-2', 'run-1']);
    expect(ledger.history.ofRun('run-2').map((e) => [e.pbId, e.jiraKey, e.at])).toEqual([
      [uuid(1), 'PBJ-7', 2100],
      [uuid(2), 'PBJ-8', 2100],
    ]);
    const byKey = ledger.history.ofItem('pbj-7');
    expect(byKey.map((e) => [e.runId, e.action, e.outcome])).toEqual([
      ['run-1', 'create', 'failed'],
      ['run-2', 'create', 'applied'],
      ['run-3', 'move', 'applied'],
    ]);
    expect(byKey[0]).toMatchObject({ detail: 'Team is required.', changes: [{ field: 'summary', type: 'value', from: 'a', to: 'b' }] });
    expect(ledger.history.ofItem(uuid(2)).map((e) => e.jiraKey)).toEqual(['PBJ-8']);
    expect(ledger.runsMatching('run-')).toHaveLength(2);
    expect(ledger.runsMatching('run-2').map((r) => r.id)).toEqual(['run-2']);
    ledger.close();
  });

  it('a dry run is recorded in an existing ledger only, and never counts as applied', () => {
    const path = fresh();
    const run = {
      id: 'dry-1',
      command: 'sync',
      startedAt: 5000,
      endedAt: 5100,
      outcome: 'succeeded' as const,
      counts: { update: 3 },
      error: null,
      stuck: null,
    };
    expect(Ledger.recordDryRun(path, run)).toBe(false);
    expect(existsSync(path)).toBe(false);

    const ledger = Ledger.open(path);
    ledger.startRun('real', 'sync', 1000);
    ledger.finishRun('real', 'succeeded', 1100, { applied: 7 }, null);
    expect(Ledger.recordDryRun(path, { ...run, counts: { applied: 3000 } })).toBe(true);
    expect(ledger.recentRuns(5).map((r) => [r.id, r.dryRun])).toEqual([
      ['dry-1', true],
      ['real', false],
    ]);
    expect(ledger.lastApplied()).toBe(7);
    ledger.close();

    chmodSync(path, 0o444);
    try {
      expect(Ledger.recordDryRun(path, { ...run, id: 'dry-2' })).toBe(false);
    } finally {
      chmodSync(path, 0o600);
    }
  });
});
