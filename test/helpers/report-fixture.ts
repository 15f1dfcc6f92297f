import { buildDesiredTree } from '../../src/engine/desired-tree.js';
import { resolveIssueTypes } from '../../src/mapping/resolve-issue-types.js';
import type { DesiredIssue, DesiredTree } from '../../src/model/desired.js';
import { buildObservedTree, type IssueActivity, type ObservedIssue } from '../../src/model/observed.js';
import type { SourceGraph, SourceItem, SourceNote } from '../../src/model/source.js';
import { buildReport, type ReportInputs } from '../../src/report/delivery/build-report.js';
import type { DeliveryReport, ReportStream } from '../../src/report/delivery/report-model.js';
import { catalog, graph, item, observedFrom, shippedMapping, uuid } from './builders.js';

// A small workspace for the delivery report's tests, read at a fixed instant.

export const NOW = Date.parse('2026-03-01T00:00:00Z');
export const daysAgo = (days: number): string => new Date(NOW - days * 86_400_000).toISOString();

/** Two initiatives; "Hubs" has two features (one with a subfeature), "Billing" one feature. */
export function workspace() {
  const hubs = item({ id: uuid(1), type: 'initiative', name: 'Hubs', createdAt: daysAgo(400) });
  const billing = item({ id: uuid(2), type: 'initiative', name: 'Billing', createdAt: daysAgo(300) });
  const domains = item({ id: uuid(3), type: 'feature', name: 'Custom domains', links: [{ id: hubs.id, type: 'initiative' }] });
  const themes = item({ id: uuid(4), type: 'feature', name: 'Themes', links: [{ id: hubs.id, type: 'initiative' }] });
  const dns = item({ id: uuid(5), type: 'subfeature', name: 'DNS check', parent: { id: domains.id, type: 'feature' } });
  const invoices = item({
    id: uuid(6),
    type: 'feature',
    name: 'Invoices',
    links: [{ id: billing.id, type: 'initiative' }],
    createdAt: daysAgo(50),
    updatedAt: daysAgo(45),
  });
  const orphan = item({ id: uuid(7), type: 'feature', name: 'Linked to nothing' });
  return { hubs, billing, domains, themes, dns, invoices, orphan };
}

export const note = (n: number, linkedIds: string[]): SourceNote => ({
  id: uuid(900 + n),
  name: `note ${n}`,
  url: null,
  linkedIds,
  createdAt: null,
});

export const activity = (partial: Partial<IssueActivity> = {}): IssueActivity => ({
  statusName: 'To Do',
  created: daysAgo(3),
  updated: daysAgo(1),
  flagged: false,
  blockedBy: [],
  ...partial,
});

export function desiredOf(source: SourceGraph): DesiredTree {
  const mapping = shippedMapping();
  return buildDesiredTree(source, mapping, resolveIssueTypes(mapping, catalog));
}

/** The desired tree with value streams put on some items (what mapping v2 does from a component or a field). */
export function withStreams(desired: DesiredTree, streams: Record<string, string>): DesiredTree {
  const issues = new Map<string, DesiredIssue>();
  for (const [id, issue] of desired.issues) issues.set(id, streams[id] ? { ...issue, valueStream: streams[id] } : issue);
  return { ...desired, issues };
}

export function reportInputs(source: SourceGraph, issues: ObservedIssue[], partial: Partial<ReportInputs> = {}): ReportInputs {
  return {
    project: 'PBJ',
    jiraBaseUrl: 'https://acme.atlassian.net',
    graph: source,
    desired: desiredOf(source),
    links: new Map(),
    observed: buildObservedTree(issues),
    openFindings: [],
    now: NOW,
    staleDays: 30,
    ...partial,
  };
}

export const streamNamed = (streams: readonly ReportStream[], name: string): ReportStream => {
  const found = streams.find((s) => s.name === name);
  if (!found) throw new Error(`no stream ${name} among ${streams.map((s) => s.name).join(', ')}`);
  return found;
};

/** Jira issues for the whole workspace: Epics for initiatives, Stories under them, a sub-task under Custom domains. */
export function jiraFor(
  w: ReturnType<typeof workspace>,
  extra: Record<string, Partial<Omit<ObservedIssue, 'id' | 'key' | 'pbId'>>> = {},
): ObservedIssue[] {
  const epic = (id: string, key: string, pbId: string): ObservedIssue =>
    observedFrom({ id, key, pbId, issueTypeName: 'Epic', level: 1, activity: activity(), ...extra[key] });
  const story = (id: string, key: string, pbId: string, parentId: string): ObservedIssue =>
    observedFrom({ id, key, pbId, parentId, parentKey: `PBJ-${parentId}`, activity: activity(), ...extra[key] });
  return [
    epic('1', 'PBJ-1', w.hubs.id),
    epic('2', 'PBJ-2', w.billing.id),
    story('3', 'PBJ-3', w.domains.id, '1'),
    story('4', 'PBJ-4', w.themes.id, '1'),
    observedFrom({
      id: '5',
      key: 'PBJ-5',
      pbId: w.dns.id,
      issueTypeName: 'Sub-task',
      level: -1,
      parentId: '3',
      activity: activity(),
      ...extra['PBJ-5'],
    }),
    story('6', 'PBJ-6', w.invoices.id, '2'),
  ];
}

export const allItems = (w: ReturnType<typeof workspace>): SourceItem[] => Object.values(w);

/** The workspace as a report: Jira issues for every placed item, some notes, one blocked and one stale item. */
export function sampleReport(w: ReturnType<typeof workspace> = workspace()): DeliveryReport {
  const issues = jiraFor(w, {
    'PBJ-3': { statusCategory: 'indeterminate', activity: activity({ statusName: 'In Progress', blockedBy: ['PBJ-6'] }) },
    'PBJ-4': { statusCategory: 'done', activity: activity({ statusName: 'Done' }) },
    'PBJ-6': { activity: activity({ updated: daysAgo(60), created: daysAgo(100) }) },
  });
  return buildReport(reportInputs(graph(allItems(w), [note(1, [w.domains.id]), note(2, [w.domains.id])]), issues));
}
