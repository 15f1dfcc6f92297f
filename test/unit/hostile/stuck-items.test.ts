import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_BLOCKS, MAX_HEADER_TEXT, MAX_SECTION_TEXT, slackMessage } from '../../../connectors/slack/block-kit.js';
import { Ledger } from '../../../src/ledger/ledger.js';
import type { StuckItem } from '../../../src/model/stuck-item.js';

// Issue 10 M8: the pieces behind "items Jira refuses are visible to operators" (the whole flow runs
// against the sandbox in test/e2e/hygiene.test.ts).

const stuck = (n: number, partial: Partial<StuckItem> = {}): StuckItem => ({
  pbId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  name: `Feature ${n}`,
  cause: 'rejected-by-jira',
  reason: 'customfield_10020: Team is required.',
  jiraKey: null,
  pbUrl: `https://acme.productboard.com/entity-detail/${n}`,
  ...partial,
});

describe('issue 10 M8: the stuck-items alert in Block Kit', () => {
  it('names each item with its link and Jira reason, resolved ones struck through, on one line whatever the name holds', () => {
    const payload = slackMessage({
      kind: 'items-stuck',
      project: 'PBJ',
      stuck: [stuck(1, { name: 'A <b> & line\nbreak' }), stuck(2, { cause: 'invalid-in-productboard', reason: 'empty name' })],
      resolved: [stuck(3, { jiraKey: 'PBJ-3' })],
      stuckTotal: 5,
    });
    expect(payload.text).toBe('pb-jira-sync · PBJ: 2 items not synced, 1 item resolved');
    const text = JSON.stringify(payload.blocks);
    expect(text).toContain(
      '• <https://acme.productboard.com/entity-detail/1|A &lt;b&gt; &amp; line break>: Jira refused it: customfield_10020: Team is required.',
    );
    expect(text).toContain('Feature 2>: cannot be synced as it is in Productboard: empty name');
    expect(text).toContain('• PBJ-3 · ~<https://acme.productboard.com/entity-detail/3|Feature 3>~');
    expect(text).toContain('5 items not synced in total');
  });

  it('stays within Slack limits for thousands of items, saying how many are not shown', () => {
    const many = Array.from({ length: 3000 }, (_, i) => stuck(i, { reason: 'x'.repeat(400) }));
    const payload = slackMessage({ kind: 'items-stuck', project: 'PBJ', stuck: many, resolved: [], stuckTotal: 3000 });
    expect(payload.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    for (const block of payload.blocks) {
      if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(MAX_HEADER_TEXT);
      if (block.type === 'section') expect(block.text?.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    }
    expect(JSON.stringify(payload.blocks)).toMatch(/…and \d+ more\. Run `pb-jira-sync status --json` for the full list\./);
  });
});

describe('issue 10 M8: a degraded run in the ledger', () => {
  it('a ledger written before `degraded` existed is migrated with its run history, and then records degraded runs', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pbjs-stuck-')), 'ledger.sqlite');
    // The runs table as schema 5 had it (no 'degraded', no stuck items, no dry-run flag), with one run
    // in it; links without the column a later migration adds, and none of the later tables.
    let ledger = Ledger.open(path);
    ledger.db.exec(`
      DROP TABLE item_log;
      ALTER TABLE links DROP COLUMN refused_move;
      DROP TABLE pb_delivered;
      DROP TABLE pb_connections;
      DROP TABLE status_synced;
      DROP TABLE runs;
      CREATE TABLE runs (
        id TEXT PRIMARY KEY, command TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER,
        outcome TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted')), counts TEXT, error TEXT
      );
      INSERT INTO runs VALUES ('old', 'sync', 1000, 2000, 'succeeded', '{"applied":3}', NULL);
    `);
    ledger.db.pragma('user_version = 5');
    expect(() => ledger.db.prepare("UPDATE runs SET outcome = 'degraded'").run()).toThrow(/CHECK constraint/);
    ledger.close();

    ledger = Ledger.open(path);
    ledger.startRun('new', 'scheduled pass', 3000);
    ledger.finishRun('new', 'degraded', 4000, { applied: 1, stuck: 150 }, null, [
      ...Array.from({ length: 150 }, (_, i) => stuck(i, { reason: 'Basic dXNlcjpzZWNyZXQtdG9rZW4= was refused' })),
    ]);
    const [latest, old] = ledger.recentRuns(5);
    expect(old).toMatchObject({ id: 'old', outcome: 'succeeded', counts: { applied: 3 }, stuck: null });
    expect(latest).toMatchObject({ id: 'new', outcome: 'degraded', counts: { stuck: 150 } });
    // The record stays small (the count is complete) and holds no credential a vendor echoed.
    expect(latest!.stuck).toHaveLength(100);
    expect(latest!.stuck![0]!.reason).toBe('Basic [redacted] was refused');
    ledger.close();
  });
});
