import { afterEach, describe, expect, it } from 'vitest';
import { statusCommand } from '../../src/cli/commands/status.js';
import type { CliIo } from '../../src/cli/context.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { formatPlan } from '../../src/report/format-plan.js';
import { formatSlackMessage } from '../../src/report/format-slack.js';
import { syncReportJson } from '../../src/report/plan-json.js';
import { seedIds } from '../../src/sandbox/index.js';
import { runScheduledPass } from '../../src/scheduler/scheduled-pass.js';
import { startInProcess, type InProcess } from '../helpers/in-process.js';
import { schemaProblems } from '../helpers/output-schemas.js';
import { issuesByPbId, startE2E, type E2E } from './harness.js';

// Hostile item data from Productboard (control characters, unsafe links, self-links, thousands of
// tags) and items Jira refuses, through the real engine against the sandbox: what reaches Jira, what
// the operator sees, and what Slack is told.

let runs: InProcess[] = [];
let e2e: E2E | undefined;
afterEach(async () => {
  await Promise.all(runs.map((r) => r.close()));
  runs = [];
  await e2e?.close();
  e2e = undefined;
});
const start = async () => {
  const run = await startInProcess();
  runs.push(run);
  return run;
};

const issueOf = (run: InProcess, pbId: string) => {
  const key = issuesByPbId(run.sandbox).get(pbId)?.[0];
  return key ? run.sandbox.jira.state.getIssue(key) : undefined;
};

/** `status` as the CLI runs it, on this run's ledger, its output captured. */
async function status(run: InProcess, json: boolean): Promise<string> {
  let out = '';
  const io: CliIo = { stdout: (text) => (out += text), stderr: () => undefined, env: run.env, cwd: process.cwd() };
  expect(await statusCommand(io, { json, limit: 5 })).toBe(0);
  if (json) expect(schemaProblems('status', JSON.parse(out))).toEqual([]);
  return out;
}

describe('issue 9 §12 / issue 10 M3: a name with a newline or escape codes syncs instead of being refused forever (2.31)', () => {
  it('the summary Jira gets is one clean line, the pass has no failure, and the next pass has nothing to do', async () => {
    const run = await start();
    const pb = run.sandbox.productboard.state;
    pb.rename(seedIds.featureWithSubfeatures, 'First line\r\nsecond line \u001b[31mred\u001b[0m\u0007 \u202Eevil');
    pb.setTags(seedIds.featureWithSubfeatures, ['ux\u0000', 'two\nwords']);
    const first = await run.sync();
    expect(first.apply).toMatchObject({ failed: 0, pending: 0 });
    const issue = issueOf(run, seedIds.featureWithSubfeatures)!;
    expect(issue.summary).toBe('First line second line red evil');
    expect(issue.labels).toEqual(expect.arrayContaining(['ux', 'two-words']));
    expect(issue.remoteLinks.map((l) => l.object.title)).toEqual(['Productboard: First line second line red evil']);
    const second = await run.sync();
    expect(second.plan.counts).toMatchObject({ create: 0, update: 0, move: 0 });
  });
});

describe('issue 10 M4 (M9): a javascript: link from Productboard never reaches Jira (2.33)', () => {
  it('the issue is created without that backlink or description link, and the plan warns once, naming the item', async () => {
    const run = await start();
    const id = seedIds.featureWithSubfeatures;
    run.sandbox.productboard.state.corruptions.set(id, (json) => ({
      ...json,
      links: { ...(json['links'] as object), html: 'javascript:alert(document.domain)//' },
    }));
    const report = await run.sync();
    expect(report.apply).toMatchObject({ failed: 0 });
    const issue = issueOf(run, id)!;
    expect(issue.remoteLinks).toEqual([]);
    expect(JSON.stringify(issue.description)).not.toContain('javascript:');
    expect(report.desired.warnings).toEqual([
      { pbId: id, name: 'Custom hub themes', message: 'its link is not an http(s) URL: left out of Jira (no backlink)' },
    ]);
    expect(formatPlan(report)).toContain(`Warnings (1)\n  - "Custom hub themes" ${id}: its link is not an http(s) URL`);
    expect(syncReportJson(report).plan.warnings).toHaveLength(1);
    expect(schemaProblems('sync', syncReportJson(report))).toEqual([]);
    // Every other item keeps its backlink to Productboard.
    expect(issueOf(run, seedIds.ambiguousFeature)!.remoteLinks[0]?.object.url).toMatch(/^https:\/\//);
  });
});

describe('issue 10 M8: items Jira refuses are visible to operators', () => {
  it('a scheduled pass with refused and invalid items is degraded, alerts once with the reasons, stays quiet, and says resolved', async () => {
    const run = await start();
    const jira = run.sandbox.jira.state;
    const pb = run.sandbox.productboard.state;
    jira.createRules.push((draft) => (draft.summary.includes('SSO') ? { customfield_10020: 'Team is required.' } : null));
    pb.rename(seedIds.releasedFeature, '\u0007\u202E');
    const stuckMessages = () =>
      run.sandbox.slack.messages.map((m) => formatSlackMessage(m.body)).filter((text) => /not synced|resolved/.test(text.split('\n')[0]!));

    const first = await runScheduledPass(run.context(), () => null);
    expect(first.status).toBe('degraded');
    expect(first.status === 'degraded' && first.stuck).toEqual([
      expect.objectContaining({
        pbId: seedIds.releasedFeature,
        cause: 'invalid-in-productboard',
        reason: expect.stringMatching(/printable/),
      }),
      expect.objectContaining({
        pbId: seedIds.inProgressFeature,
        cause: 'rejected-by-jira',
        reason: 'customfield_10020: Team is required.',
      }),
    ]);
    const ledger = Ledger.openReadOnly(run.config.ledgerPath)!;
    expect(ledger.recentRuns(1)).toMatchObject([{ command: 'scheduled pass', outcome: 'degraded', counts: { stuck: 2, failed: 1 } }]);
    expect(ledger.recentRuns(1)[0]!.stuck).toHaveLength(2);
    ledger.close();

    const told = stuckMessages();
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('┃ pb-jira-sync · PBJ: 2 items not synced');
    expect(told[0]).toContain('Partner SSO (SAML): Jira refused it: customfield_10020: Team is required.');
    expect(told[0]).toMatch(/invalid|cannot be synced as it is in Productboard: its name has no printable characters/);

    const text = await status(run, false);
    expect(text).toMatch(/health {5}DEGRADED since \S+: 2 items not synced, retried every pass: /);
    expect(text).toContain('"Partner SSO (SAML)" (customfield_10020: Team is required.)');
    expect(text).not.toContain('\u0007');
    expect(text).not.toContain('\u202E');
    expect(text).toMatch(/scheduled pass {3}degraded/);
    const json = JSON.parse(await status(run, true)) as { health: { state: string; stuck: { count: number; items: unknown[] } } };
    expect(json.health).toMatchObject({ state: 'degraded', stuck: { count: 2 } });
    expect(json.health.stuck.items).toHaveLength(2);

    // The same items keep failing: no second message.
    expect((await runScheduledPass(run.context(), () => null)).status).toBe('degraded');
    expect(stuckMessages()).toHaveLength(1);

    // Someone fixes the screen and the name: the items go through, and Slack hears it once.
    jira.createRules.length = 0;
    pb.rename(seedIds.releasedFeature, 'Usage dashboard per community');
    expect((await runScheduledPass(run.context(), () => null)).status).toBe('succeeded');
    const all = stuckMessages();
    expect(all).toHaveLength(2);
    expect(all[1]).toContain('┃ pb-jira-sync · PBJ: 2 items resolved');
    expect(all[1]).toContain('Partner SSO (SAML)');
    expect(JSON.parse(await status(run, true))).toMatchObject({ health: { state: 'ok', stuck: null } });
    expect((await runScheduledPass(run.context(), () => null)).status).toBe('succeeded');
    expect(stuckMessages()).toHaveLength(2);
  });

  it('a manual sync with a refused item still exits 1 (as documented), and is recorded as degraded (real CLI)', async () => {
    e2e = await startE2E();
    e2e.sandbox.jira.state.createRules.push((draft) => (draft.summary.includes('SSO') ? { customfield_10020: 'Team is required.' } : null));
    const sync = await e2e.run(['sync']);
    expect(sync.code, sync.stderr).toBe(1);
    expect(sync.stdout).toContain('failed create "Partner SSO (SAML)": customfield_10020: Team is required.');
    const shown = await e2e.run(['status']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/health {5}DEGRADED since .*: 1 item not synced, retried every pass: "Partner SSO \(SAML\)"/);
    expect(shown.stdout).toMatch(/sync {13}degraded/);
  });
});

describe('issue 10 low 2.37: every skip the counts include appears in the text plan', () => {
  it('a feature linked to itself as "initiative" is skipped as invalid and printed, like every other skip', async () => {
    const run = await start();
    const id = seedIds.featureWithSubfeatures;
    run.sandbox.productboard.state.corruptions.set(id, (json) => ({
      ...json,
      relationships: { data: [{ type: 'link', target: { id, type: 'initiative' } }], links: { next: null } },
    }));
    const report = await run.sync({ dryRun: true });
    expect(report.plan.actions.find((a) => a.pbId === id)).toMatchObject({
      kind: 'skip',
      reason: 'invalid-item',
      detail: `its linked initiative ${id} is the item itself`,
    });
    const text = formatPlan(report);
    expect(text).toContain(`! skip   feature "Custom hub themes": invalid-item: its linked initiative ${id} is the item itself`);
    const skipLines = text.split('\n').filter((line) => /^\s+! skip /.test(line));
    expect(skipLines).toHaveLength(report.plan.counts.skip);
  });
});

describe('issue 10 low 2.40: an item with thousands of tags is written within the stamp property limit', () => {
  it('5,000 tags: the issue is created with a bounded stamp and a warning, and labels people add are never removed', async () => {
    const run = await start();
    const id = seedIds.featureWithSubfeatures;
    const pb = run.sandbox.productboard.state;
    pb.setTags(
      id,
      Array.from({ length: 5000 }, (_, i) => `customer-segment-${String(i).padStart(4, '0')}`),
    );
    const first = await run.sync();
    expect(first.apply).toMatchObject({ failed: 0, pending: 0 });
    const issue = issueOf(run, id)!;
    expect(Buffer.byteLength(JSON.stringify(issue.properties['pb-jira-sync']))).toBeLessThanOrEqual(32_768);
    expect(issue.labels.filter((l) => l.startsWith('customer-segment-'))).toHaveLength(100);
    expect(first.desired.warnings).toEqual([
      {
        pbId: id,
        name: 'Custom hub themes',
        message: "5000 tags: only the first 100 become labels (a Jira issue's stamp has room for no more)",
      },
    ]);

    // A person adds a label; Productboard's tags change: ours follow, theirs stays.
    run.sandbox.jira.state.setLabels(issue.key, [...issue.labels, 'escalated-by-support']);
    pb.setTags(id, ['theming', ...Array.from({ length: 5000 }, (_, i) => `customer-segment-${String(i + 50).padStart(4, '0')}`)]);
    const second = await run.sync();
    expect(second.apply).toMatchObject({ failed: 0 });
    const after = issueOf(run, id)!;
    expect(after.labels).toContain('escalated-by-support');
    expect(after.labels).toContain('theming');
    expect(after.labels).not.toContain('customer-segment-0000');
    expect(after.labels.filter((l) => l.startsWith('customer-segment-'))).toHaveLength(99);
    expect((await run.sync()).plan.counts).toMatchObject({ update: 0, create: 0 });
  });
});

describe('delivery-manager review D1: the ambiguous-parent choice is named in the dry-run plan', () => {
  it('the dry run names the initiatives and the one chosen, in text and --json', async () => {
    const run = await start();
    const report = await run.sync({ dryRun: true });
    const note =
      'linked to 2 initiatives ("Accessibility", "Self-service hub customization"); placed under "Self-service hub customization" (earliest-created)';
    expect(formatPlan(report)).toContain(`+ create Story "High-contrast theme": ${note}`);
    const action = syncReportJson(report).plan.actions.find((a) => a.pbId === seedIds.ambiguousFeature);
    expect(action).toMatchObject({ kind: 'create', parentChoice: note });
    expect(schemaProblems('sync', syncReportJson(report))).toEqual([]);
    // Items with one candidate carry none.
    expect(syncReportJson(report).plan.actions.find((a) => a.pbId === seedIds.featureWithSubfeatures)).toMatchObject({
      parentChoice: null,
    });
  });
});
