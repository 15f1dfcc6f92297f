import type { OUTPUT_SCHEMA_VERSION } from '../output-schema.js';
// The delivery report as data: what `report` shows a delivery manager and stakeholders, per value
// stream. Built by build-report.ts from one pass's reads; every format renders this one model, and
// `report --format json` prints it as it is (docs/schemas/report.schema.json documents it).

/** Where an item stands: its Jira status category, or not in Jira yet. */
export type StatusBucket = 'todo' | 'in-progress' | 'done' | 'not-in-jira';
export const STATUS_BUCKETS: readonly StatusBucket[] = ['todo', 'in-progress', 'done', 'not-in-jira'];
export const STATUS_LABELS: Readonly<Record<StatusBucket, string>> = {
  todo: 'To do',
  'in-progress': 'In progress',
  done: 'Done',
  'not-in-jira': 'Not in Jira',
};

/** Why an item counts as blocked: Jira's Flagged field, a status named like "Blocked", an open "is blocked by" link. */
export type BlockReason = 'flagged' | 'status' | 'link';

/** One Productboard item and its Jira issue, as a row of its stream's tree (rows come in tree order). */
export interface ReportRow {
  pbId: string;
  pbType: string;
  name: string;
  /** Productboard's page for the item; null when it gave none that is a safe web link. */
  pbUrl: string | null;
  /** Productboard id of the parent the mapping wants (null for a root of the mapping's tree). */
  parentPbId: string | null;
  /** Depth within this stream's tree (0: a root of the stream). */
  depth: number;
  jira: { key: string; url: string; issueType: string; status: string | null } | null;
  status: StatusBucket;
  /** Done children / all children; null for an item without children. */
  progress: { done: number; total: number } | null;
  /** Linked Productboard notes: how often customers asked for it. */
  insights: number;
  /** Days since the issue was created in Jira (since the item was created in Productboard when not in Jira). */
  ageDays: number | null;
  /** Days since the last update (Jira's, or Productboard's when not in Jira). */
  idleDays: number | null;
  /** Open and not updated for the report's stale period. */
  stale: boolean;
  blocked: BlockReason[];
  /** Keys of the unfinished issues it "is blocked by". */
  blockedBy: string[];
  /** Below the top level of the hierarchy, yet without a parent (a Story without an Epic). */
  withoutParent: boolean;
}

export interface ReportFinding {
  kind: string;
  pbId: string | null;
  name: string | null;
  jiraKey: string | null;
  message: string;
  /** When reconcile first saw it (ISO 8601). */
  openSince: string;
  openDays: number;
}

export interface AgeBucket {
  label: string;
  /** Lower bound in days (inclusive); the upper bound is the next bucket's. */
  fromDays: number;
  count: number;
}

export interface StreamCounts {
  items: number;
  byStatus: Record<StatusBucket, number>;
  blocked: number;
  stale: number;
  withoutParent: number;
  openFindings: number;
  insights: number;
}

export interface ReportStream {
  /** Stable within a report: the value stream's name, or the top-level item's Productboard id. */
  id: string;
  name: string;
  /** `value-stream`: the mapping put the items in a stream; `top-level-item`: grouped under their top-level item. */
  groupedBy: 'value-stream' | 'top-level-item';
  counts: StreamCounts;
  /** Ages of the open items (not done). */
  ageDistribution: AgeBucket[];
  rows: ReportRow[];
  findings: ReportFinding[];
}

/** A mapped item that is not in Jira for a reason the plan names (no parent, its parent skipped...). */
export interface NotSyncedItem {
  pbId: string;
  pbType: string;
  name: string;
  reason: string;
  detail: string;
}

export interface DeliveryReport {
  schemaVersion: typeof OUTPUT_SCHEMA_VERSION;
  project: string;
  /** ISO 8601. */
  generatedAt: string;
  staleDays: number;
  totals: StreamCounts;
  ageDistribution: AgeBucket[];
  streams: ReportStream[];
  notSynced: NotSyncedItem[];
  /** Open findings about no item of any stream (an untracked issue, an item no longer mapped). */
  otherFindings: ReportFinding[];
}
