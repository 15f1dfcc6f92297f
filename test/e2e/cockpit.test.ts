import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedIds } from '../../src/sandbox/index.js';
import { repoPath } from '../helpers/builders.js';
import { checkedDocument } from '../helpers/output-schemas.js';
import { startE2E, type E2E } from './harness.js';

// The delivery manager's path through the real CLI against the sandbox: dry run → save → review →
// apply exactly what was reviewed (or nothing, when it went stale), the mass-change guard, exit
// codes CI can gate on, and the history of what each run changed. Every JSON document is checked
// against its schema under docs/schemas/.

let e2e: E2E;
afterEach(async () => {
  await e2e?.close();
});

const themes = seedIds.featureWithSubfeatures;
const issueOf = (pbId: string) => e2e.sandbox.jira.state.issues().find((i) => i.labels.includes(`pb-${pbId}`))!;

interface SyncDoc {
  dryRun: boolean;
  planFile: string | null;
  approval: { createdAt: string; runId: string; leftOut: Array<{ kind: string; pbId: string; name: string }> } | null;
  plan: { counts: Record<string, number>; actions: Array<{ kind: string; pbId: string; jiraKey?: string }> };
  results: { applied: number; failed: number } | null;
}

interface ErrorDoc {
  error: { kind: string; message: string; details: string[] };
}

describe('saved plans: dry run → save → review → apply', () => {
  it('plan-out / plan-in: the saved plan is applied exactly as reviewed, and cannot be applied twice', async () => {
    e2e = await startE2E();
    const planFile = join(e2e.dir, 'plan.json');
    const saved = await e2e.run(['sync', '--dry-run', '--out', planFile, '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    const dry = checkedDocument<SyncDoc>('sync', saved.stdout);
    expect(dry.planFile).toBe(planFile);
    expect(e2e.writes()).toEqual([]);
    expect(existsSync(e2e.ledgerPath)).toBe(false);
    const file = checkedDocument<{ createdAt: string; runId: string; counts: Record<string, number>; actions: unknown[] }>(
      'plan-file',
      readFileSync(planFile, 'utf8'),
    );
    expect(file.counts).toEqual({ create: 24, adopt: 0, update: 0, move: 0, skip: 3 });
    expect(file.actions).toHaveLength(27);

    const applied = await e2e.run(['sync', '--plan', planFile, '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    const doc = checkedDocument<SyncDoc>('sync', applied.stdout);
    expect(doc.approval).toEqual({ createdAt: file.createdAt, runId: file.runId, leftOut: [] });
    expect(doc.results).toMatchObject({ applied: 24, failed: 0 });
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(24);

    // Applied once: every create is now an existing issue, so the same file is stale.
    e2e.sandbox.resetRequestLog();
    const again = await e2e.run(['sync', '--plan', planFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('error [stale-plan]: the saved plan is stale: 24 of its 24 changes no longer match');
    expect(again.stderr).toMatch(/\+ create (PBJ-\d+) "Custom hub themes" \(.+\): \1 now exists in Jira for it/);
    expect(e2e.writes()).toEqual([]);
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(24);
  });

  it('a plan made stale in Productboard is refused, naming the item and the side; nothing is written', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    e2e.sandbox.productboard.state.rename(themes, 'Custom hub themes and fonts');
    const planFile = join(e2e.dir, 'plan.json');
    const saved = await e2e.run(['sync', '--dry-run', '--out', planFile]);
    expect(saved.stdout).toMatch(
      /~ update PBJ-\d+ "Custom hub themes and fonts"\n\s+summary: +"Custom hub themes" → "Custom hub themes and fonts"/,
    );
    expect(saved.stdout).toContain(
      `Plan saved to ${planFile}. Review it, then apply exactly it with: pb-jira-sync sync --plan ${planFile}`,
    );

    // The product manager renames it again while the plan waits for approval.
    e2e.sandbox.productboard.state.rename(themes, 'Custom hub themes, fonts and icons');
    e2e.sandbox.resetRequestLog();
    const refused = await e2e.run(['sync', '--plan', planFile]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('error [stale-plan]: the saved plan is stale: 1 of its 1 change no longer matches');
    expect(refused.stderr).toMatch(
      new RegExp(
        `~ update ${issueOf(themes).key} "Custom hub themes and fonts" \\(${themes}\\): changed in Productboard \\(updated \\d{4}-`,
      ),
    );
    expect(e2e.writes()).toEqual([]);
    expect(issueOf(themes).summary).toBe('Custom hub themes');

    const asJson = await e2e.run(['sync', '--plan', planFile, '--json']);
    expect(asJson.code).toBe(1);
    const error = checkedDocument<ErrorDoc>('error', asJson.stdout);
    expect(error.error.kind).toBe('stale-plan');
    expect(error.error.details).toEqual([expect.stringContaining(`(${themes}): changed in Productboard`)]);
  });

  it('a plan made stale in Jira is refused, naming the issue; nothing is written', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    e2e.sandbox.productboard.state.rename(themes, 'Custom hub themes and fonts');
    const planFile = join(e2e.dir, 'plan.json');
    expect((await e2e.run(['sync', '--dry-run', '--out', planFile])).code).toBe(0);

    // An engineer retitles the issue in Jira in the meantime: the reviewed "from" is no longer true.
    const key = issueOf(themes).key;
    e2e.sandbox.jira.state.setSummary(key, 'Themes (engineering title)');
    e2e.sandbox.resetRequestLog();
    const refused = await e2e.run(['sync', '--plan', planFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`~ update ${key} "Custom hub themes and fonts" (${themes}): ${key} changed in Jira`);
    expect(refused.stderr).not.toContain('changed in Productboard');
    expect(e2e.writes()).toEqual([]);
    expect(issueOf(themes).summary).toBe('Themes (engineering title)');
  });

  it('only what was reviewed is applied: a change made after the plan was saved waits for the next pass', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const other = seedIds.releasedFeature;
    const otherName = issueOf(other).summary;
    e2e.sandbox.productboard.state.rename(themes, 'Custom hub themes and fonts');
    const planFile = join(e2e.dir, 'plan.json');
    expect((await e2e.run(['sync', '--dry-run', '--out', planFile])).code).toBe(0);
    e2e.sandbox.productboard.state.rename(other, `${otherName} v2`);

    const applied = await e2e.run(['sync', '--plan', planFile]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Plan for Jira project PBJ \(applying the plan saved \d{4}-.+\)/);
    expect(applied.stdout).toContain(
      `Not in the approved plan, left for the next pass (1): changes since it was saved\n  ~ update ${issueOf(other).key} "${otherName} v2"`,
    );
    expect(issueOf(themes).summary).toBe('Custom hub themes and fonts');
    expect(issueOf(other).summary).toBe(otherName);

    const next = await e2e.run(['sync', '--dry-run', '--json']);
    expect(
      checkedDocument<SyncDoc>('sync', next.stdout)
        .plan.actions.filter((a) => a.kind === 'update')
        .map((a) => a.pbId),
    ).toEqual([other]);
  });

  it('our own write-back between save and apply does not stale a plan; a rename of its item does', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const nothing = join(e2e.dir, 'nothing.json');
    expect((await e2e.run(['sync', '--dry-run', '--out', nothing])).code).toBe(0);
    e2e.sandbox.productboard.state.rename(themes, 'Custom hub themes and fonts');
    const planFile = join(e2e.dir, 'plan.json');
    expect((await e2e.run(['sync', '--dry-run', '--out', planFile])).code).toBe(0);

    // A sub-task is done in Jira; a pass that leaves the rename out (it applies the empty plan)
    // writes the new progress into the planned item's Productboard fields, bumping its updatedAt.
    const sub = seedIds.subfeaturesOfFeature.find((id) => issueOf(id).status.categoryKey !== 'done')!;
    e2e.sandbox.jira.state.setStatusByCategory(issueOf(sub).key, 'done');
    const updatedAt = e2e.sandbox.productboard.state.get(themes)!.updatedAt;
    const between = await e2e.run(['sync', '--plan', nothing]);
    expect(between.code, between.stderr).toBe(0);
    expect(between.stdout).toContain('Not in the approved plan, left for the next pass (1)');
    expect(e2e.sandbox.productboard.state.get(themes)!.customFields['Delivery progress']).toBe(67);
    expect(e2e.sandbox.productboard.state.get(themes)!.updatedAt).not.toBe(updatedAt);
    expect(issueOf(themes).summary).toBe('Custom hub themes');

    const applied = await e2e.run(['sync', '--plan', planFile]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(issueOf(themes).summary).toBe('Custom hub themes and fonts');

    // The other way: a rename of the planned item between save and apply stales it.
    e2e.sandbox.productboard.state.rename(themes, 'Custom hub themes, fonts and icons');
    expect((await e2e.run(['sync', '--dry-run', '--out', planFile])).code).toBe(0);
    e2e.sandbox.productboard.state.rename(themes, 'Themes');
    const refused = await e2e.run(['sync', '--plan', planFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`(${themes}): changed in Productboard (updated`);
    expect(issueOf(themes).summary).toBe('Custom hub themes and fonts');
  });

  it('a plan file that is not one, or saved for another mapping, is refused before any write', async () => {
    e2e = await startE2E();
    const planFile = join(e2e.dir, 'plan.json');
    expect((await e2e.run(['sync', '--dry-run', '--out', planFile])).code).toBe(0);

    writeFileSync(join(e2e.dir, 'broken.json'), '{"schemaVersion": 1, "actions": "none"}');
    e2e.sandbox.resetRequestLog();
    const broken = await e2e.run(['sync', '--plan', join(e2e.dir, 'broken.json')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/error \[config\]: .*broken\.json is not a plan file saved by `sync --dry-run --out`\n {2}createdAt: /);
    expect(e2e.sandbox.requests).toEqual([]);

    const mapping = join(e2e.dir, 'mapping.yaml');
    writeFileSync(mapping, readFileSync(repoPath('mappings/default.yaml'), 'utf8').replace('name: Story', 'name: Task'));
    const config = e2e.writeConfig('', mapping);
    const other = await e2e.run(['sync', '--plan', planFile, '--config', config]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('error [stale-plan]: the saved plan cannot be applied: the mapping');
    expect(other.stderr).toContain('changed since the plan was saved');
    expect(e2e.writes()).toEqual([]);

    const misuse = await e2e.run(['sync', '--out', planFile]);
    expect(misuse.code).toBe(1);
    expect(misuse.stderr).toContain('--out saves a plan for review: use it with --dry-run');
  });
});

describe('the mass-change guard', () => {
  it('--max-changes refuses a pass that would write more issues, before any write, and alerts Slack', async () => {
    e2e = await startE2E();
    const refused = await e2e.run(['sync', '--max-changes', '10']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'error [too-many-changes]: the plan would write 24 issues (24 to create, 0 to update, 0 to move), more than the limit of 10; nothing was written',
    );
    expect(refused.stderr).toContain('run `sync --max-changes 24`');
    expect(e2e.writes()).toEqual([]);
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(0);
    const messages = e2e.sandbox.slack.messages;
    expect(messages).toHaveLength(1);
    expect(messages[0]!.body.text).toBe('pb-jira-sync · PBJ: sync refused, 24 issues to write (limit 10)');
    const blocks = JSON.stringify(messages[0]!.body.blocks);
    expect(blocks).toContain('*Nothing was written.* The plan would create 24, update 0 and move 0.');
    expect(blocks).toContain('…and 14 more.');

    const status = checkedDocument<{ runs: Array<{ outcome: string; error: string }> }>(
      'status',
      (await e2e.run(['status', '--json'])).stdout,
    );
    expect(status.runs[0]).toMatchObject({ outcome: 'failed', error: expect.stringContaining('error [too-many-changes]') });

    // Within the limit, the same pass goes through; the config's default applies to every sync.
    expect((await e2e.run(['sync', '--max-changes', '24'])).code).toBe(0);
    for (const id of seedIds.subfeaturesOfFeature) e2e.sandbox.productboard.state.rename(id, `Renamed ${id.slice(0, 4)}`);
    const guarded = e2e.writeConfig('sync: { maxChanges: 2 }');
    e2e.sandbox.resetRequestLog();
    const mass = await e2e.run(['sync', '--config', guarded]);
    expect(mass.code).toBe(1);
    expect(mass.stderr).toContain('the plan would write 3 issues (0 to create, 3 to update, 0 to move), more than the limit of 2');
    expect(e2e.writes()).toEqual([]);
    expect(e2e.sandbox.slack.messages).toHaveLength(2);
    const dry = await e2e.run(['sync', '--config', guarded, '--dry-run']);
    expect(dry.code, 'a dry run writes nothing: it is never refused').toBe(0);
    expect((await e2e.run(['sync', '--config', guarded, '--max-changes', '3'])).code).toBe(0);
  });
});

describe('exit codes CI can gate on', () => {
  it('sync --dry-run --detailed-exitcode: 2 when changes are pending, 0 when there is nothing to do, 1 on error', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync', '--dry-run', '--detailed-exitcode'])).code).toBe(2);
    expect((await e2e.run(['sync', '--dry-run'])).code, 'plain exit codes are unchanged').toBe(0);
    expect((await e2e.run(['sync'])).code).toBe(0);
    const clean = await e2e.run(['sync', '--dry-run', '--detailed-exitcode', '--summary']);
    expect(clean.code).toBe(0);
    // The second pass reads only what changed since the first: the plan says so, with when everything is read again.
    const stamp = / \d{4}-\d\d-\d\d \d\d:\d\d UTC/g;
    expect(clean.stdout.replace(stamp, ' <time>')).toBe(
      'Plan for Jira project PBJ (dry run: nothing will be written)\n  0 to create, 0 to update, 0 to move, 0 to adopt, 3 skipped, 24 unchanged\n  Read only what changed (Productboard since <time>, Jira since <time>); everything is read again after <time>, or now with --full-read\n\nSkipped: 1 archived, 1 parent-not-synced, 1 unparented\n\nProductboard: nothing to update (24 items already show their delivery)\n',
    );
    // Only Productboard has something to catch up on (a sub-task done in Jira changes progress): pending too.
    const sub = seedIds.subfeaturesOfFeature.find((id) => issueOf(id).status.categoryKey !== 'done')!;
    e2e.sandbox.jira.state.setStatusByCategory(issueOf(sub).key, 'done');
    const deliveryOnly = await e2e.run(['sync', '--dry-run', '--detailed-exitcode', '--summary']);
    expect(deliveryOnly.stdout).toContain('0 to create, 0 to update, 0 to move, 0 to adopt');
    expect(deliveryOnly.stdout).toContain('Productboard: 3 items to update');
    expect(deliveryOnly.code).toBe(2);
    expect((await e2e.run(['sync'])).code).toBe(0);
    e2e.sandbox.jira.state.moveIssue(issueOf(themes).key, issueOf(seedIds.initiatives.costReporting).key);
    expect((await e2e.run(['sync', '--dry-run', '--detailed-exitcode'])).code).toBe(2);
    const failing = await e2e.run(['sync', '--dry-run', '--detailed-exitcode'], { JIRA_API_TOKEN: 'wrong' });
    expect(failing.code).toBe(1);
    const misuse = await e2e.run(['sync', '--detailed-exitcode']);
    expect(misuse.code).toBe(1);
    expect(misuse.stderr).toContain('--detailed-exitcode tells whether a dry run found changes to make: use it with --dry-run');
  });
});

describe('history', () => {
  it('after a rename and a move: what each run changed, field by field, by item and by run, without credentials', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const key = issueOf(themes).key;
    const from = issueOf(seedIds.initiatives.selfService).key;
    const to = issueOf(seedIds.initiatives.costReporting).key;
    e2e.sandbox.productboard.state.rename(themes, 'Custom hub themes and fonts');
    e2e.sandbox.productboard.state.unlink(themes, seedIds.initiatives.selfService);
    e2e.sandbox.productboard.state.link(themes, seedIds.initiatives.costReporting);
    expect((await e2e.run(['sync', '--dry-run'])).code).toBe(0);
    expect((await e2e.run(['sync'])).code).toBe(0);

    // No credentials needed, like status.
    const bare = { PATH: process.env.PATH ?? '', PB_JIRA_SYNC_LEDGER: e2e.ledgerPath };
    const byItem = await e2e.run(['history', '--item', key.toLowerCase()], bare);
    expect(byItem.code, byItem.stderr).toBe(0);
    const lines = byItem.stdout.split('\n');
    expect(lines[0]).toMatch(/^Run [0-9a-f]{8} {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}sync {2}succeeded {2}\(2 changes\)$/);
    expect(byItem.stdout).toContain(
      `  ~ updated ${key} feature "Custom hub themes and fonts"\n      summary:     "Custom hub themes" → "Custom hub themes and fonts"\n      description: changed in Productboard`,
    );
    expect(byItem.stdout).toContain(`  > moved ${key} feature "Custom hub themes and fonts"\n      parent: ${from} → ${to}`);
    // The first run's create comes after (newest run first), with what it wrote.
    expect(byItem.stdout).toMatch(
      new RegExp(
        `\\+ created ${key} feature "Custom hub themes"\\n {6}issue type: +"Story"\\n {6}parent: +${from}\\n {6}summary: +"Custom hub themes"`,
      ),
    );

    const doc = checkedDocument<{
      runs: Array<{ id: string; command: string; entries: Array<{ action: string; changes: unknown[] }> }>;
    }>('history', (await e2e.run(['history', '--item', themes, '--json'], bare)).stdout);
    expect(doc.runs.map((r) => r.entries.map((e) => e.action))).toEqual([['update', 'move'], ['create']]);
    expect(doc.runs[0]!.entries[1]!.changes).toEqual([{ field: 'parent', type: 'value', from, to }]);

    // The runs of `status` (the dry run included) lead to `history --run`.
    const status = checkedDocument<{ runs: Array<{ id: string; dryRun: boolean; command: string }> }>(
      'status',
      (await e2e.run(['status', '--json'], bare)).stdout,
    );
    expect(status.runs.map((r) => [r.command, r.dryRun])).toEqual([
      ['sync', false],
      ['sync', true],
      ['sync', false],
    ]);
    const byRun = checkedDocument<{ runs: Array<{ id: string; entries: unknown[] }> }>(
      'history',
      (await e2e.run(['history', '--run', status.runs[2]!.id.slice(0, 8), '--json'], bare)).stdout,
    );
    expect(byRun.runs).toHaveLength(1);
    expect(byRun.runs[0]!.entries).toHaveLength(24);
    const unknown = await e2e.run(['history', '--run', 'ffffffff', '--json'], bare);
    expect(unknown.code).toBe(1);
    expect(checkedDocument<ErrorDoc>('error', unknown.stdout).error.message).toContain('no run ffffffff in the ledger');
  });

  it('a reconcile --fix move is in the history too', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const key = issueOf(themes).key;
    const epic = issueOf(seedIds.initiatives.selfService).key;
    const wrong = issueOf(seedIds.initiatives.accessibility).key;
    e2e.sandbox.jira.state.moveIssue(key, wrong);
    expect((await e2e.run(['reconcile', '--fix'])).code).toBe(2);
    const doc = checkedDocument<{ runs: Array<{ command: string; entries: Array<{ action: string; changes: unknown[] }> }> }>(
      'history',
      (await e2e.run(['history', '--item', key, '--json'])).stdout,
    );
    expect(doc.runs[0]).toMatchObject({
      command: 'reconcile --fix',
      entries: [{ action: 'move', changes: [{ field: 'parent', type: 'value', from: wrong, to: epic }] }],
    });
  });
});

describe('status and the JSON documents', () => {
  it('status lists the open findings with their age; reconcile --json and status --json match their schemas', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const reconcile = await e2e.run(['reconcile', '--json']);
    expect(reconcile.code).toBe(2);
    checkedDocument('reconcile', reconcile.stdout);
    const text = await e2e.run(['status']);
    expect(text.stdout).toMatch(/findings {3}2 open \(the oldest for \d+s\)/);
    expect(text.stdout).toMatch(/open findings \(oldest first\)\n {2}ambiguous-parent open \d+s +PBJ-\d+ "High-contrast theme": /);
    expect(text.stdout).toMatch(/ {2}unparented {7}open \d+s +"Offline docs bundle": /);
    const doc = checkedDocument<{
      findings: Array<{ kind: string; firstSeen: string; ageSeconds: number }>;
      runs: Array<{ startedAt: string }>;
    }>('status', (await e2e.run(['status', '--json'])).stdout);
    expect(doc.findings.map((f) => f.kind)).toEqual(['ambiguous-parent', 'unparented']);
    expect(Date.parse(doc.findings[0]!.firstSeen)).toBeLessThanOrEqual(Date.now());
    expect(doc.runs[0]!.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('with --json, a usage or configuration error is exactly one JSON document on stdout, with the usual exit code', async () => {
    e2e = await startE2E();
    const usage = await e2e.run(['sync', '--max-changes', 'many', '--json']);
    expect(usage.code).toBe(1);
    expect(checkedDocument<ErrorDoc>('error', usage.stdout).error).toMatchObject({
      kind: 'config',
      message: expect.stringContaining('--max-changes'),
    });
    const config = await e2e.run(['reconcile', '--json'], { JIRA_PROJECT: 'lower' });
    expect(config.code).toBe(1);
    const error = checkedDocument<ErrorDoc>('error', config.stdout).error;
    expect(error.kind).toBe('config');
    expect(error.details).toEqual([expect.stringContaining('jira.project')]);
    expect(config.stderr).toContain('error [config]: the configuration has 1 problem');
  });
});
