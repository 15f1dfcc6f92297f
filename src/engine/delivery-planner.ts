import type { CompiledWriteBack } from '../mapping/write-back.js';
import {
  DELIVERY_VALUES,
  type DeliveryChange,
  type DeliveryPlan,
  type DeliveryValues,
  type DeliveryWrite,
  type JiraStatus,
  type StatusSynced,
} from '../model/delivery.js';
import type { DesiredTree } from '../model/desired.js';
import { PLAIN_STATUS, type StatusCategory } from '../model/status.js';
import { percent, points, rollUp, type TreeIssue } from './progress.js';
import { statusStep } from './status-loop.js';

/** A Jira issue as the pass leaves it: what it read, with what it wrote (creates, transitions, moves). */
export interface DeliveredIssue extends TreeIssue {
  /** Null when Jira's read did not say (a just-created issue): its category's name stands in. */
  statusName: string | null;
}

export interface DeliveryInput {
  writeBack: CompiledWriteBack;
  desired: DesiredTree;
  /** The Jira tree after this pass's Jira writes. */
  issues: readonly DeliveredIssue[];
  /** The Jira key of every synced item that has an issue now. */
  keys: ReadonlyMap<string, string>;
  /** What was last written to each item (the ledger). */
  written: ReadonlyMap<string, DeliveryValues>;
  /** The issue's address from its key (`https://<site>/browse/KEY`). */
  browseUrl(key: string): string;
  /**
   * A push's pass (`serve`): only the pushed item and its ancestors are written; the others keep
   * what changed for the next pass, which still finds it different from what was last written.
   */
  scope?: ReadonlySet<string>;
  /** Status back (rules with `writeBack.status`): what the loop needs; absent when no rule opted in. */
  statusLoop?: {
    /** Each item's Productboard status as read. */
    pbStatus: ReadonlyMap<string, string | null>;
    /** Each issue's Jira status as read (before this pass's writes), by key. */
    jiraRead: ReadonlyMap<string, JiraStatus>;
    /** Items whose Jira writes this pass did not all happen. */
    unsettled: ReadonlySet<string>;
    /** The ledger's records. */
    synced: ReadonlyMap<string, StatusSynced>;
  };
}

/**
 * The Productboard writes of a pass: a pure function of the synced items, the Jira tree and what
 * was last written. One entity update per item at most, carrying only the values that changed
 * since they were last written: a pass with nothing new writes nothing.
 */
export function planDelivery(input: DeliveryInput): DeliveryPlan {
  const rolled = rollUp(input.issues);
  const byKey = new Map(input.issues.map((i) => [i.key, i]));
  const writes: DeliveryWrite[] = [];
  const plan: DeliveryPlan = { writes, unchanged: 0, synced: [], conflicts: [] };
  const items = [...input.desired.issues.values()].sort(
    (a, b) => a.depth - b.depth || a.name.localeCompare(b.name) || a.pbId.localeCompare(b.pbId),
  );
  for (const item of items) {
    if (input.scope && !input.scope.has(item.pbId)) continue;
    const key = input.keys.get(item.pbId);
    const issue = key === undefined ? undefined : byKey.get(key);
    if (key === undefined || !issue) continue;
    const rolledUp = rolled.get(key);
    const estimate = rolledUp?.points ?? null;
    const wanted: DeliveryValues = {
      jiraKey: key,
      jiraLink: input.browseUrl(key),
      ...statusOf(issue.statusName, issue.statusCategory),
      progress: percent(rolledUp?.progress ?? 0),
      // Nothing estimated at or below it: no number to show (the field keeps what it had).
      ...(estimate !== null ? { storyPoints: points(estimate) } : {}),
    };
    const last = input.written.get(item.pbId) ?? {};
    const values: DeliveryValues = {};
    const changes: DeliveryChange[] = [];
    for (const value of DELIVERY_VALUES) {
      const field = input.writeBack.fields[value];
      const to = wanted[value];
      if (field === undefined || to === undefined) continue;
      Object.assign(values, { [value]: to });
      const from = last[value] ?? null;
      if (from !== to) changes.push({ value, field, from, to });
    }
    const write: DeliveryWrite = { pbId: item.pbId, pbType: item.pbType, name: item.name, jiraKey: key, changes, values };
    const table = input.writeBack.status.get(item.pbType);
    const loop = input.statusLoop;
    if (table && loop) {
      const jiraNow = { category: issue.statusCategory, name: issue.statusName };
      const step = statusStep({
        synced: loop.synced.get(item.pbId),
        pb: loop.pbStatus.get(item.pbId) ?? null,
        jiraRead: loop.jiraRead.get(key) ?? jiraNow,
        jiraNow,
        settled: !loop.unsettled.has(item.pbId),
        table,
      });
      if (step.kind === 'write') Object.assign(write, { status: step.write, synced: step.synced });
      if (step.kind === 'record') plan.synced.push({ pbId: item.pbId, synced: step.synced });
      if (step.kind === 'record' && step.conflict)
        plan.conflicts.push({ pbId: item.pbId, name: item.name, jiraKey: key, ...step.conflict });
    }
    if (changes.length || write.status) writes.push(write);
    else plan.unchanged += 1;
  }
  return plan;
}

const statusOf = (name: string | null, category: StatusCategory | null): { jiraStatus?: string } =>
  name ? { jiraStatus: name } : category ? { jiraStatus: PLAIN_STATUS[category] } : {};
