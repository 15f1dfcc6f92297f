import { afterEach, describe, expect, it } from 'vitest';
import { seedIds } from '../../src/sandbox/index.js';
import { startE2E, type E2E } from './harness.js';

let e2e: E2E;
afterEach(async () => {
  await e2e?.close();
});

interface ReconcileJson {
  findings: Array<{
    kind: string;
    pbId: string | null;
    pbUrl: string | null;
    jiraKey: string | null;
    jiraUrl: string | null;
    expectedParent: string | null;
    actualParent: string | null;
    message: string;
  }>;
  summary: { total: number; byKind: Record<string, number>; alert: { sent: boolean; reason: string } };
}

const issueOf = (e2e: E2E, pbId: string) => e2e.sandbox.jira.state.issues().find((i) => i.labels.includes(`pb-${pbId}`))!;
const featureNamed = (e2e: E2E, name: string) => e2e.sandbox.productboard.state.list('feature').find((f) => f.name === name)!.id;

describe('reconcile against the sandbox (real CLI)', () => {
  it('reports only the seeded unparented and ambiguous items on a clean sync', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const run = await e2e.run(['reconcile', '--json']);
    expect(run.code, run.stderr).toBe(2);
    const doc = JSON.parse(run.stdout) as ReconcileJson;
    expect(doc.findings.map((f) => [f.kind, f.pbId])).toEqual([
      ['unparented', seedIds.unparentedFeature],
      ['ambiguous-parent', seedIds.ambiguousFeature],
    ]);
    const ambiguous = doc.findings[1]!;
    expect(ambiguous.message).toContain('placed under "Self-service hub customization"');
    expect(ambiguous.expectedParent).toBe(issueOf(e2e, seedIds.initiatives.selfService).key);
  });

  it('exits 0 when nothing is wrong', async () => {
    e2e = await startE2E();
    const state = e2e.sandbox.productboard.state;
    state.link(seedIds.unparentedFeature, seedIds.initiatives.partnerOnboarding);
    state.unlink(seedIds.ambiguousFeature, seedIds.initiatives.accessibility);
    expect((await e2e.run(['sync'])).code).toBe(0);
    const run = await e2e.run(['reconcile']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('No findings');
  });

  it('finds an archived feature, a deleted issue and a moved story, alerts Slack once, and --fix moves the story back', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const budgetAlerts = featureNamed(e2e, 'Budget alerts');
    const checklist = featureNamed(e2e, 'Partner welcome checklist');
    const inviteCsv = e2e.sandbox.productboard.state.list('subfeature').find((s) => s.name === 'Invite via CSV')!.id;
    const archivedStory = issueOf(e2e, budgetAlerts);
    const deleted = issueOf(e2e, inviteCsv);
    const moved = issueOf(e2e, checklist);
    const home = issueOf(e2e, seedIds.initiatives.partnerOnboarding);
    const elsewhere = issueOf(e2e, seedIds.initiatives.accessibility);

    e2e.sandbox.productboard.state.archive(budgetAlerts);
    e2e.sandbox.jira.state.deleteIssue(deleted.key);
    e2e.sandbox.jira.state.moveIssue(moved.key, elsewhere.key);
    e2e.sandbox.resetRequestLog();

    const run = await e2e.run(['reconcile', '--json', '--alert']);
    expect(run.code, run.stderr).toBe(2);
    expect(e2e.writes()).toEqual([]); // read-only towards Jira and Productboard
    const doc = JSON.parse(run.stdout) as ReconcileJson;
    expect(doc.findings.map((f) => [f.kind, f.jiraKey ?? f.pbId])).toEqual([
      ['mis-parented', moved.key],
      ['orphaned', archivedStory.key],
      ['missing-in-jira', deleted.key],
      ['unparented', seedIds.unparentedFeature],
      ['ambiguous-parent', issueOf(e2e, seedIds.ambiguousFeature).key],
    ]);
    expect(doc.findings[0]).toMatchObject({
      expectedParent: home.key,
      actualParent: elsewhere.key,
      jiraUrl: `${e2e.env.JIRA_HOST}/browse/${moved.key}`,
    });
    expect(doc.findings[0]!.pbUrl).toMatch(/^https:\/\/sandbox\.productboard\.com\//);
    expect(doc.summary).toMatchObject({ total: 5, alert: { sent: true } });

    expect(e2e.sandbox.slack.messages).toHaveLength(1);
    const message = JSON.stringify(e2e.sandbox.slack.messages[0]!.body);
    for (const key of [moved.key, archivedStory.key, deleted.key]) expect(message).toContain(key);

    // A second alert run has nothing new to say: no noise.
    const quiet = await e2e.run(['reconcile', '--alert']);
    expect(quiet.code).toBe(2);
    expect(e2e.sandbox.slack.messages).toHaveLength(1);

    const preview = await e2e.run(['reconcile', '--fix', '--dry-run']);
    expect(preview.stdout).toContain(`${moved.key} would move under ${home.key}`);
    expect(issueOf(e2e, checklist).parentKey).toBe(elsewhere.key);

    const fix = await e2e.run(['reconcile', '--fix', '--alert']);
    expect(fix.code).toBe(2);
    expect(fix.stdout).toContain(`${moved.key} moved under ${home.key}`);
    expect(issueOf(e2e, checklist).parentKey).toBe(home.key);
    // The fix resolved a finding, and Slack hears about it once.
    expect(e2e.sandbox.slack.messages).toHaveLength(2);
    expect(JSON.stringify(e2e.sandbox.slack.messages[1]!.body)).toContain('Resolved since the last alert');

    const after = JSON.parse((await e2e.run(['reconcile', '--json'])).stdout) as ReconcileJson;
    expect(after.findings.map((f) => f.kind)).toEqual(['orphaned', 'missing-in-jira', 'unparented', 'ambiguous-parent']);
  });

  it('an issue whose type was changed in Jira is a wrong-level finding that --fix leaves to a person', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const story = issueOf(e2e, featureNamed(e2e, 'Budget alerts'));
    // A person turns the Story into a Task (same level, so Jira allows it).
    const auth = `Basic ${Buffer.from(`${e2e.env.JIRA_EMAIL}:${e2e.env.JIRA_API_TOKEN}`).toString('base64')}`;
    const response = await fetch(`${e2e.env.JIRA_HOST}/rest/api/3/issue/${story.key}`, {
      method: 'PUT',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { issuetype: { name: 'Task' } } }),
    });
    expect(response.status).toBe(204);
    const doc = JSON.parse((await e2e.run(['reconcile', '--json'])).stdout) as ReconcileJson;
    expect(doc.findings[0]).toMatchObject({
      kind: 'wrong-level',
      jiraKey: story.key,
      message: expect.stringContaining('is a Task, but the mapping makes "Budget alerts" a Story'),
    });
    e2e.sandbox.resetRequestLog();
    const fix = await e2e.run(['reconcile', '--fix']);
    expect(fix.code).toBe(2);
    expect(e2e.writes()).toEqual([]);
    // sync does not fight it either: it skips the issue and says why.
    const sync = await e2e.run(['sync', '--dry-run']);
    expect(sync.stdout).toContain(`skip   Story "Budget alerts": issue-type-changed: ${story.key} is a Task`);
  });

  it('reports untracked issues when the ledger is lost, and nothing from an incomplete read', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const { rmSync } = await import('node:fs');
    rmSync(e2e.ledgerPath);
    const doc = JSON.parse((await e2e.run(['reconcile', '--json'])).stdout) as ReconcileJson;
    expect(doc.summary.byKind.untracked).toBe(24);

    e2e.sandbox.faults = { failPbPage: { route: 'POST /v2/entities/search', afterPages: 1 } };
    const config = e2e.writeConfig('http: { maxRetries: 1 }');
    const failed = await e2e.run(['reconcile', '--json', '--config', config]);
    expect(failed.code).toBe(1);
    // With --json, the failure is the one JSON document on stdout (and the same error as text on stderr).
    expect(JSON.parse(failed.stdout)).toEqual({
      schemaVersion: 1,
      error: {
        kind: 'transient',
        message: 'gave up after 1 retry (HTTP 500)',
        service: 'productboard',
        endpoint: 'POST /v2/entities/search',
        status: 500,
        details: [],
      },
    });
    expect(failed.stderr).toMatch(/error \[transient\] Productboard POST \/v2\/entities\/search: gave up after 1 retry \(HTTP 500\)/);
  });

  it('an unusable Slack webhook is reported without failing the reconcile', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    e2e.sandbox.slack.mode = 'no_service';
    const run = await e2e.run(['reconcile', '--alert=all']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('warning: Slack rejected the alert (HTTP 404 no_service): the webhook was removed or disabled');
    expect(run.stderr).not.toContain(e2e.env.SLACK_WEBHOOK_URL!);
    expect(run.stdout).not.toContain(e2e.env.SLACK_WEBHOOK_URL!);
  });
});
