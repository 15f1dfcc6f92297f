import type { Connection, ConnectionColor, ConnectionPlan, ConnectionRecord, ConnectionWrite } from '../model/connection.js';
import { sameConnection } from '../model/connection.js';
import type { DesiredTree } from '../model/desired.js';
import { PLAIN_STATUS, type StatusCategory } from '../model/status.js';
import type { DeliveredIssue } from './delivery-planner.js';
import { percent, rollUpProgress } from './progress.js';

export interface ConnectionInput {
  desired: DesiredTree;
  /** The Jira tree after this pass's Jira writes (treeAfterApply). */
  issues: readonly DeliveredIssue[];
  /** The Jira key of every synced item that has an issue now. */
  keys: ReadonlyMap<string, string>;
  /** Items Jira refused in this pass, with Jira's reason. */
  refused: ReadonlyMap<string, string>;
  /** What each item's connection shows now, as last written (the ledger). */
  written: ReadonlyMap<string, ConnectionRecord>;
  browseUrl(key: string): string;
  /** A push's pass: only these items are considered (the pushed one and its ancestors). */
  scope?: ReadonlySet<string>;
}

/** The spec's limits: label and hoverLabel 1–20 characters, tooltip 1–50, message 1–255. */
const LIMITS = { label: 20, hoverLabel: 20, tooltip: 50, message: 255 } as const;

const COLORS: Record<StatusCategory, ConnectionColor> = { new: 'gray', indeterminate: 'blue', done: 'green' };

/**
 * The connection writes of a pass: a pure function of the same inputs as the delivery plan, plus
 * what Jira refused and what the column last showed. A synced item with an issue is `connected`
 * (its status as label, key and progress on hover, a link to the issue); one Jira refused is
 * `error` with Jira's reason; an item that left the sync is reset. Only what changed is written,
 * and a person's unlink or dismiss is honoured until they push again.
 */
export function planConnections(input: ConnectionInput): ConnectionPlan {
  const progress = rollUpProgress(input.issues);
  const byKey = new Map(input.issues.map((i) => [i.key, i]));
  const inScope = (pbId: string) => !input.scope || input.scope.has(pbId);
  const writes: ConnectionWrite[] = [];
  let unchanged = 0;
  const items = [...input.desired.issues.values()]
    .filter((item) => inScope(item.pbId))
    .sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name) || a.pbId.localeCompare(b.pbId));
  for (const item of items) {
    const key = input.keys.get(item.pbId) ?? null;
    const issue = key === null ? undefined : byKey.get(key);
    const reason = input.refused.get(item.pbId);
    const wanted: Connection | null =
      reason !== undefined
        ? { state: 'error', message: clip(`Jira refused ${key ?? 'the issue'}: ${reason}`, LIMITS.message) }
        : key !== null && issue
          ? connected(key, issue, percent(progress.get(key) ?? 0), input.browseUrl(key))
          : null; // not in Jira yet and not refused (a create waiting for Jira's search): leave the column as it is
    if (wanted === null) continue;
    const last = input.written.get(item.pbId);
    const to = held(wanted, last);
    if (sameConnection(last?.connection ?? { state: 'initial' }, to)) unchanged += 1;
    else {
      const record = { connection: to, hold: to.state === 'initial' ? (last?.hold ?? null) : null };
      writes.push({ pbId: item.pbId, name: item.name, jiraKey: key, from: last?.connection ?? null, to, record });
    }
  }
  // Items whose connection we wrote and that the mapping no longer syncs: their button resets.
  for (const [pbId, record] of [...input.written].sort(([a], [b]) => a.localeCompare(b))) {
    if (input.desired.issues.has(pbId) || !inScope(pbId) || record.connection.state === 'initial') continue;
    // A push on an item the mapping does not sync: its pass answers with the reason (run-push.ts), not a bare reset.
    if (input.scope && record.connection.state === 'progress') continue;
    const name = input.desired.skipped.find((s) => s.pbId === pbId)?.name ?? pbId;
    const reset: Connection = { state: 'initial' };
    writes.push({ pbId, name, jiraKey: null, from: record.connection, to: reset, record: { connection: reset, hold: null } });
  }
  return { writes, unchanged };
}

/** A person's unlink keeps the button reset; a dismissed error stays dismissed until something else is to be shown. */
function held(wanted: Connection, last: ConnectionRecord | undefined): Connection {
  if (last?.hold === 'unlinked') return { state: 'initial' };
  if (last?.hold === 'dismissed' && wanted.state === 'error') return { state: 'initial' };
  return wanted;
}

function connected(key: string, issue: DeliveredIssue, done: number, targetUrl: string): Connection {
  const status = issue.statusName ?? (issue.statusCategory ? PLAIN_STATUS[issue.statusCategory] : 'Unknown');
  return {
    state: 'connected',
    label: clip(status, LIMITS.label),
    hoverLabel: clip(`${key} · ${done}%`, LIMITS.hoverLabel),
    tooltip: clip(`${key}: ${status}, ${done}% done`, LIMITS.tooltip),
    color: COLORS[issue.statusCategory ?? 'new'],
    targetUrl,
  };
}

/** Within a length limit, marking the cut. */
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
