import { mkdtempSync, statSync } from 'node:fs';
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
