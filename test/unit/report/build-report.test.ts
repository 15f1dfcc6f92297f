import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/model/finding.js';
import { buildReport } from '../../../src/report/delivery/build-report.js';
import { graph, observedFrom } from '../../helpers/builders.js';
import {
  NOW,
  activity,
  allItems,
  daysAgo,
  desiredOf,
  jiraFor,
  note,
  reportInputs,
  streamNamed,
  withStreams,
  workspace,
} from '../../helpers/report-fixture.js';

// The delivery report's model, from fixed reads and a fixed clock.

describe('buildReport: grouping', () => {
  it('without value streams, groups under each top-level item: its tree in order, with depth, item ↔ key', () => {
    const w = workspace();
    const report = buildReport(reportInputs(graph(allItems(w)), jiraFor(w)));
    expect(report.schemaVersion).toBe(1);
    expect(report.streams.map((s) => [s.name, s.groupedBy])).toEqual([
      ['Billing', 'top-level-item'],
      ['Hubs', 'top-level-item'],
    ]);
    const hubs = streamNamed(report.streams, 'Hubs');
    expect(hubs.rows.map((r) => [r.name, r.depth, r.jira?.key])).toEqual([
      ['Hubs', 0, 'PBJ-1'],
      ['Custom domains', 1, 'PBJ-3'],
      ['DNS check', 2, 'PBJ-5'],
      ['Themes', 1, 'PBJ-4'],
    ]);
    expect(hubs.rows[0]!.jira).toMatchObject({ url: 'https://acme.atlassian.net/browse/PBJ-1', issueType: 'Epic', status: 'To Do' });
    // The feature linked to no initiative is not in Jira: listed with the plan's reason, in no stream.
    expect(report.notSynced).toEqual([expect.objectContaining({ pbId: w.orphan.id, name: 'Linked to nothing', reason: 'unparented' })]);
    expect(report.streams.flatMap((s) => s.rows).some((r) => r.pbId === w.orphan.id)).toBe(false);
  });

  it('with value streams, groups by them; a child without one follows its parent, one with its own goes to its stream as a root', () => {
    const w = workspace();
    const source = graph(allItems(w));
    const desired = withStreams(desiredOf(source), {
      [w.hubs.id]: 'Onboarding',
      [w.billing.id]: 'Onboarding',
      [w.domains.id]: 'Self-service',
    });
    const report = buildReport(reportInputs(source, jiraFor(w), { desired }));
    expect(report.streams.map((s) => [s.name, s.groupedBy])).toEqual([
      ['Onboarding', 'value-stream'],
      ['Self-service', 'value-stream'],
    ]);
    expect(streamNamed(report.streams, 'Onboarding').rows.map((r) => [r.name, r.depth])).toEqual([
      ['Billing', 0],
      ['Invoices', 1],
      ['Hubs', 0],
      ['Themes', 1],
    ]);
    // Custom domains is in a stream of its own: a root there, its subfeature (no stream of its own) under it.
    expect(streamNamed(report.streams, 'Self-service').rows.map((r) => [r.name, r.depth])).toEqual([
      ['Custom domains', 0],
      ['DNS check', 1],
    ]);
    expect(streamNamed(report.streams, 'Onboarding').counts.items).toBe(4);
  });
});

describe('buildReport: status, progress and insights', () => {
  it('progress counts done children over all children; status comes from Jira; an item without an issue is "not in Jira"', () => {
    const w = workspace();
    const issues = jiraFor(w, { 'PBJ-4': { statusCategory: 'done', activity: activity({ statusName: 'Done' }) } }).filter(
      (i) => i.key !== 'PBJ-6',
    );
    const report = buildReport(reportInputs(graph(allItems(w)), issues));
    const hubs = streamNamed(report.streams, 'Hubs');
    expect(hubs.rows[0]!.progress).toEqual({ done: 1, total: 2 });
    expect(hubs.rows.find((r) => r.name === 'Themes')).toMatchObject({ status: 'done', progress: null });
    expect(hubs.rows.find((r) => r.name === 'Custom domains')!.progress).toEqual({ done: 0, total: 1 });
    const billing = streamNamed(report.streams, 'Billing');
    expect(billing.rows.find((r) => r.name === 'Invoices')).toMatchObject({ status: 'not-in-jira', jira: null });
    expect(billing.counts.byStatus).toEqual({ todo: 1, 'in-progress': 0, done: 0, 'not-in-jira': 1 });
    expect(hubs.counts.byStatus).toEqual({ todo: 3, 'in-progress': 0, done: 1, 'not-in-jira': 0 });
  });

  it('the insights count is the number of notes linked to the item (a note linked twice counts once)', () => {
    const w = workspace();
    const notes = [note(1, [w.domains.id]), note(2, [w.domains.id, w.domains.id, w.themes.id]), note(3, [w.invoices.id])];
    const report = buildReport(reportInputs(graph(allItems(w), notes), jiraFor(w)));
    const hubs = streamNamed(report.streams, 'Hubs');
    expect(hubs.rows.find((r) => r.name === 'Custom domains')!.insights).toBe(2);
    expect(hubs.rows.find((r) => r.name === 'Themes')!.insights).toBe(1);
    expect(hubs.counts.insights).toBe(3);
    expect(report.totals.insights).toBe(4);
  });
});

describe('buildReport: backlog health', () => {
  it('ages open items from Jira creation (Productboard creation when not in Jira) into buckets; done items are not aged', () => {
    const w = workspace();
    const issues = jiraFor(w, {
      'PBJ-1': { activity: activity({ created: '2025-12-01T10:00:00.000+0000' }) }, // Jira's own offset format: 89 days
      'PBJ-3': { activity: activity({ created: daysAgo(10) }) },
      'PBJ-4': { statusCategory: 'done', activity: activity({ created: daysAgo(500), statusName: 'Done' }) },
      'PBJ-5': { activity: activity({ created: daysAgo(200) }) },
    }).filter((i) => i.key !== 'PBJ-6');
    const report = buildReport(reportInputs(graph(allItems(w)), issues));
    const hubs = streamNamed(report.streams, 'Hubs');
    expect(hubs.rows.map((r) => [r.name, r.ageDays])).toEqual([
      ['Hubs', 89],
      ['Custom domains', 10],
      ['DNS check', 200],
      ['Themes', 500],
    ]);
    expect(Object.fromEntries(hubs.ageDistribution.map((b) => [b.label, b.count]))).toEqual({
      '< 1 wk': 0,
      '1–4 wk': 1,
      '1–3 mo': 1,
      '3–6 mo': 0,
      '6–12 mo': 1,
      '> 1 yr': 0,
    });
    // Invoices is not in Jira: aged from its Productboard creation (50 days).
    expect(streamNamed(report.streams, 'Billing').rows.find((r) => r.name === 'Invoices')!.ageDays).toBe(50);
    expect(report.ageDistribution.find((b) => b.label === '1–3 mo')!.count).toBe(2);
  });

  it('stale: open and not updated for --stale-days; a done item is never stale', () => {
    const w = workspace();
    const issues = jiraFor(w, {
      'PBJ-3': { activity: activity({ updated: daysAgo(30) }) },
      'PBJ-4': { statusCategory: 'done', activity: activity({ updated: daysAgo(90), statusName: 'Done' }) },
      'PBJ-5': { activity: activity({ updated: daysAgo(29) }) },
    });
    const report = buildReport(reportInputs(graph(allItems(w)), issues));
    const hubs = streamNamed(report.streams, 'Hubs');
    expect(hubs.rows.filter((r) => r.stale).map((r) => [r.name, r.idleDays])).toEqual([['Custom domains', 30]]);
    expect(hubs.counts.stale).toBe(1);
    const longer = buildReport(reportInputs(graph(allItems(w)), issues, { staleDays: 10 }));
    expect(streamNamed(longer.streams, 'Hubs').counts.stale).toBe(2);
  });

  it('blocked: flagged, a status named like Blocked, or an unfinished "is blocked by" issue; each reason named', () => {
    const w = workspace();
    const issues = jiraFor(w, {
      'PBJ-1': { activity: activity({ flagged: true }) },
      'PBJ-3': { statusCategory: 'indeterminate', activity: activity({ statusName: 'Blocked' }) },
      'PBJ-4': { activity: activity({ blockedBy: ['PBJ-6'], flagged: true }) },
      'PBJ-6': { statusCategory: 'done', activity: activity({ statusName: 'Done', flagged: true }) },
    });
    const report = buildReport(reportInputs(graph(allItems(w)), issues));
    const hubs = streamNamed(report.streams, 'Hubs');
    expect(hubs.rows.map((r) => [r.jira!.key, r.blocked, r.blockedBy])).toEqual([
      ['PBJ-1', ['flagged'], []],
      ['PBJ-3', ['status'], []],
      ['PBJ-5', [], []],
      ['PBJ-4', ['flagged', 'link'], ['PBJ-6']],
    ]);
    expect(hubs.counts.blocked).toBe(3);
    // A done issue blocks nothing of its own: a flag left on it is not a blocked item.
    expect(streamNamed(report.streams, 'Billing').counts.blocked).toBe(0);
  });

  it('without a parent: an issue below the top level that has none in Jira; Epics never count', () => {
    const w = workspace();
    const issues = jiraFor(w, { 'PBJ-4': { parentId: null, parentKey: null } });
    const report = buildReport(reportInputs(graph(allItems(w)), issues));
    expect(report.streams.flatMap((s) => s.rows.filter((r) => r.withoutParent).map((r) => r.jira?.key))).toEqual(['PBJ-4']);
    expect(report.totals.withoutParent).toBe(1);
  });

  it('open findings go to the stream of their item with how long they have been open; the others are listed apart', () => {
    const w = workspace();
    const finding = (kind: Finding['kind'], pbId: string | null, jiraKey: string | null): Finding =>
      ({
        kind,
        pbId,
        pbName: pbId ? 'some <name>' : null,
        pbUrl: null,
        jiraId: jiraKey ? '9' : null,
        jiraKey,
        jiraUrl: null,
        expectedParent: null,
        actualParent: null,
        message: 'drifted',
        suggestion: '',
        fix: null,
      }) as Finding;
    const openFindings = [
      { finding: finding('ambiguous-parent', w.themes.id, 'PBJ-4'), firstSeen: NOW - 3 * 86_400_000 - 1000 },
      { finding: finding('untracked', null, 'PBJ-99'), firstSeen: NOW - 1000 },
    ];
    const report = buildReport(reportInputs(graph(allItems(w)), jiraFor(w), { openFindings }));
    expect(streamNamed(report.streams, 'Hubs').findings).toEqual([
      {
        kind: 'ambiguous-parent',
        pbId: w.themes.id,
        name: 'some <name>',
        jiraKey: 'PBJ-4',
        message: 'drifted',
        openSince: new Date(NOW - 3 * 86_400_000 - 1000).toISOString(),
        openDays: 3,
      },
    ]);
    expect(streamNamed(report.streams, 'Hubs').counts.openFindings).toBe(1);
    expect(report.otherFindings.map((f) => [f.kind, f.jiraKey, f.openDays])).toEqual([['untracked', 'PBJ-99', 0]]);
    expect(report.totals.openFindings).toBe(2);
  });

  it('the ledger link wins over a stamp, and an unsafe Productboard URL is dropped', () => {
    const w = workspace();
    w.themes.url = 'javascript:alert(1)';
    const issues = [...jiraFor(w), observedFrom({ id: '40', key: 'PBJ-40', pbId: w.themes.id, parentId: '1', activity: activity() })];
    const links = new Map([
      [
        w.themes.id,
        {
          pbId: w.themes.id,
          pbType: 'feature',
          jiraId: '40',
          jiraKey: 'PBJ-40',
          state: 'linked' as const,
          intentAt: null,
          lastError: null,
          pushed: null,
        },
      ],
    ]);
    const report = buildReport(reportInputs(graph(allItems(w)), issues, { links }));
    const themes = streamNamed(report.streams, 'Hubs').rows.find((r) => r.name === 'Themes')!;
    expect(themes.jira?.key).toBe('PBJ-40');
    expect(themes.pbUrl).toBeNull();
  });
});
