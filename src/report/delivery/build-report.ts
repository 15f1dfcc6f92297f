import type { DesiredIssue, DesiredTree } from '../../model/desired.js';
import type { Finding } from '../../model/finding.js';
import type { Link } from '../../model/link.js';
import type { ObservedIssue, ObservedTree } from '../../model/observed.js';
import type { SourceGraph } from '../../model/source.js';
import { pushTo } from '../../util/multimap.js';
import { singleLine, webUrl } from '../../util/untrusted-text.js';
import { OUTPUT_SCHEMA_VERSION } from '../output-schema.js';
import {
  STATUS_BUCKETS,
  type AgeBucket,
  type BlockReason,
  type DeliveryReport,
  type ReportFinding,
  type ReportRow,
  type ReportStream,
  type StatusBucket,
  type StreamCounts,
} from './report-model.js';

const DAY_MS = 86_400_000;

/** Age buckets of open items, by lower bound in days. */
const AGE_BUCKETS: ReadonlyArray<{ label: string; fromDays: number }> = [
  { label: '< 1 wk', fromDays: 0 },
  { label: '1–4 wk', fromDays: 7 },
  { label: '1–3 mo', fromDays: 28 },
  { label: '3–6 mo', fromDays: 91 },
  { label: '6–12 mo', fromDays: 182 },
  { label: '> 1 yr', fromDays: 365 },
];

/** A Jira status whose name says it is blocked ("Blocked", "On hold – blocked"). */
const BLOCKED_STATUS = /\bblock/i;

/** What the report is built from: one pass's reads (readWorld) and the ledger's open findings. */
export interface ReportInputs {
  project: string;
  /** The Jira site, for links to issues. */
  jiraBaseUrl: string;
  graph: SourceGraph;
  desired: DesiredTree;
  links: ReadonlyMap<string, Link>;
  observed: ObservedTree;
  openFindings: ReadonlyArray<{ finding: Finding; firstSeen: number }>;
  /** ms since the epoch: ages and idle times are counted to it. */
  now: number;
  staleDays: number;
}

/**
 * The delivery report, a pure function of its inputs. Items are grouped per value stream when the
 * mapping gives them one (a child without one follows its parent), else under their top-level
 * item; each stream is the mapping's tree of its items, with Jira's status and health signals.
 */
export function buildReport(inputs: ReportInputs): DeliveryReport {
  const { desired, now } = inputs;
  const streamOf = streamAssigner(desired);
  const trees = streamTrees(inputs, streamOf);
  const findingsByStream = new Map<string, ReportFinding[]>();
  const otherFindings: ReportFinding[] = [];
  for (const open of inputs.openFindings) {
    const finding = reportFinding(open.finding, open.firstSeen, now);
    const item = open.finding.pbId ? desired.issues.get(open.finding.pbId) : undefined;
    if (item) pushTo(findingsByStream, streamOf(item).id, finding);
    else otherFindings.push(finding);
  }
  const streams: ReportStream[] = trees
    .map(({ key, rows }) => {
      const findings = findingsByStream.get(key.id) ?? [];
      return { ...key, counts: countsOf(rows, findings.length), ageDistribution: agesOf(rows), rows, findings };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const allRows = streams.flatMap((s) => s.rows);
  return {
    schemaVersion: OUTPUT_SCHEMA_VERSION,
    project: inputs.project,
    generatedAt: new Date(now).toISOString(),
    staleDays: inputs.staleDays,
    totals: countsOf(allRows, inputs.openFindings.length),
    ageDistribution: agesOf(allRows),
    streams,
    notSynced: desired.skipped
      .filter((s) => s.reason !== 'archived')
      .map((s) => ({ pbId: s.pbId, pbType: s.pbType, name: singleLine(s.name), reason: s.reason, detail: singleLine(s.detail) })),
    otherFindings,
  };
}

const byLevelThenName = (a: DesiredIssue, b: DesiredIssue): number =>
  b.level - a.level || a.name.localeCompare(b.name) || a.pbId.localeCompare(b.pbId);

/**
 * Each stream's rows in tree order: its roots (items whose parent is in another stream, or none),
 * each followed by its children of the same stream, deepest levels last, names alphabetical.
 */
function streamTrees(inputs: ReportInputs, streamOf: (issue: DesiredIssue) => StreamKey): Array<{ key: StreamKey; rows: ReportRow[] }> {
  const { desired } = inputs;
  const insights = insightCounts(inputs.graph);
  const topLevel = [...desired.issues.values()].reduce((top, i) => Math.max(top, i.level), -1);
  const children = new Map<string, DesiredIssue[]>();
  for (const issue of desired.issues.values())
    if (issue.parentPbId && desired.issues.has(issue.parentPbId)) pushTo(children, issue.parentPbId, issue);
  for (const list of children.values()) list.sort(byLevelThenName);

  const trees = new Map<string, { key: StreamKey; rows: ReportRow[] }>();
  const walk = (tree: { key: StreamKey; rows: ReportRow[] }, issue: DesiredIssue, depth: number): void => {
    const kids = children.get(issue.pbId) ?? [];
    const done = kids.filter((k) => issueOf(inputs, k.pbId)?.statusCategory === 'done').length;
    const progress = kids.length ? { done, total: kids.length } : null;
    tree.rows.push(rowFor(inputs, issue, depth, { topLevel, insights: insights.get(issue.pbId) ?? 0, progress }));
    for (const child of kids) if (streamOf(child).id === tree.key.id) walk(tree, child, depth + 1);
  };
  for (const issue of [...desired.issues.values()].sort(byLevelThenName)) {
    const key = streamOf(issue);
    const parent = issue.parentPbId ? desired.issues.get(issue.parentPbId) : undefined;
    if (parent && streamOf(parent).id === key.id) continue; // drawn under its parent
    const tree = trees.get(key.id) ?? { key, rows: [] };
    trees.set(key.id, tree);
    walk(tree, issue, 0);
  }
  return [...trees.values()];
}

type StreamKey = Pick<ReportStream, 'id' | 'name' | 'groupedBy'>;

/**
 * Which stream an item is in: its own value stream, else its parent's (a child the mapping gives
 * none follows its parent), else its top-level item's. Memoised: a large tree asks for every item.
 */
function streamAssigner(desired: DesiredTree): (issue: DesiredIssue) => StreamKey {
  const memo = new Map<string, StreamKey>();
  const assign = (issue: DesiredIssue, seen: Set<string>): StreamKey => {
    const known = memo.get(issue.pbId);
    if (known) return known;
    const parent = issue.parentPbId ? desired.issues.get(issue.parentPbId) : undefined;
    const stream: StreamKey = issue.valueStream
      ? { id: `stream:${singleLine(issue.valueStream)}`, name: singleLine(issue.valueStream), groupedBy: 'value-stream' as const }
      : parent && !seen.has(parent.pbId)
        ? assign(parent, seen.add(issue.pbId))
        : { id: `item:${issue.pbId}`, name: singleLine(issue.name), groupedBy: 'top-level-item' as const };
    memo.set(issue.pbId, stream);
    return stream;
  };
  return (issue) => assign(issue, new Set());
}

/** The issue that stands for an item: the ledger's link, else the stamped issue Jira returned. */
function issueOf(inputs: ReportInputs, pbId: string): ObservedIssue | undefined {
  const jiraId = inputs.links.get(pbId)?.jiraId;
  return (jiraId ? inputs.observed.byId.get(jiraId) : undefined) ?? inputs.observed.byPbId.get(pbId)?.[0];
}

function rowFor(
  inputs: ReportInputs,
  issue: DesiredIssue,
  depth: number,
  context: { topLevel: number; insights: number; progress: ReportRow['progress'] },
): ReportRow {
  const { topLevel, insights, progress } = context;
  const observed = issueOf(inputs, issue.pbId);
  const source = inputs.graph.items.get(issue.pbId);
  const activity = observed?.activity;
  const status = bucketOf(observed);
  const created = daysSince(activity?.created ?? source?.createdAt, inputs.now);
  const idle = daysSince(activity?.updated ?? source?.updatedAt, inputs.now);
  const blocked: BlockReason[] = [];
  if (activity?.flagged) blocked.push('flagged');
  if (activity?.statusName && BLOCKED_STATUS.test(activity.statusName)) blocked.push('status');
  if (activity?.blockedBy.length) blocked.push('link');
  const level = observed?.level ?? issue.level;
  const hasParent = observed ? observed.parentId !== null : issue.parentPbId !== null;
  return {
    pbId: issue.pbId,
    pbType: issue.pbType,
    name: singleLine(issue.name),
    pbUrl: webUrl(issue.pbUrl),
    parentPbId: issue.parentPbId,
    depth,
    jira: observed
      ? {
          key: observed.key,
          url: `${inputs.jiraBaseUrl}/browse/${encodeURIComponent(observed.key)}`,
          issueType: singleLine(observed.issueTypeName),
          status: activity?.statusName ? singleLine(activity.statusName) : null,
        }
      : null,
    status,
    progress,
    insights,
    ageDays: created,
    idleDays: idle,
    stale: status !== 'done' && idle !== null && idle >= inputs.staleDays,
    blocked: status === 'done' ? [] : blocked,
    blockedBy: status === 'done' ? [] : [...(activity?.blockedBy ?? [])],
    withoutParent: level < topLevel && level >= 0 && !hasParent,
  };
}

function bucketOf(observed: ObservedIssue | undefined): StatusBucket {
  if (!observed) return 'not-in-jira';
  if (observed.statusCategory === 'done') return 'done';
  if (observed.statusCategory === 'indeterminate') return 'in-progress';
  return 'todo';
}

/** Whole days from an instant to now; null when unknown or unreadable. */
function daysSince(instant: string | null | undefined, now: number): number | null {
  if (!instant) return null;
  const at = Date.parse(normaliseOffset(instant));
  return Number.isFinite(at) ? Math.max(0, Math.floor((now - at) / DAY_MS)) : null;
}

/** Jira writes offsets without a colon (`+0000`), which ISO 8601 parsers may refuse: `+00:00`. */
const normaliseOffset = (instant: string): string => instant.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');

function insightCounts(graph: SourceGraph): Map<string, number> {
  const counts = new Map<string, number>();
  for (const note of graph.notes) for (const id of new Set(note.linkedIds)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

function countsOf(rows: readonly ReportRow[], openFindings: number): StreamCounts {
  const byStatus = Object.fromEntries(STATUS_BUCKETS.map((b) => [b, 0])) as Record<StatusBucket, number>;
  for (const row of rows) byStatus[row.status] += 1;
  return {
    items: rows.length,
    byStatus,
    blocked: rows.filter((r) => r.blocked.length > 0).length,
    stale: rows.filter((r) => r.stale).length,
    withoutParent: rows.filter((r) => r.withoutParent).length,
    openFindings,
    insights: rows.reduce((n, r) => n + r.insights, 0),
  };
}

/** How old the open (not done) items are. */
function agesOf(rows: readonly ReportRow[]): AgeBucket[] {
  const buckets = AGE_BUCKETS.map((b) => ({ ...b, count: 0 }));
  for (const row of rows) {
    if (row.status === 'done' || row.ageDays === null) continue;
    const index = buckets.findLastIndex((b) => row.ageDays! >= b.fromDays);
    buckets[index]!.count += 1;
  }
  return buckets;
}

function reportFinding(finding: Finding, firstSeen: number, now: number): ReportFinding {
  return {
    kind: finding.kind,
    pbId: finding.pbId,
    name: finding.pbName === null ? null : singleLine(finding.pbName),
    jiraKey: finding.jiraKey,
    message: singleLine(finding.message),
    openSince: new Date(firstSeen).toISOString(),
    openDays: Math.max(0, Math.floor((now - firstSeen) / DAY_MS)),
  };
}
