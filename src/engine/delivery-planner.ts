import type { CompiledWriteBack } from '../mapping/write-back.js';
import { DELIVERY_VALUES, type DeliveryChange, type DeliveryPlan, type DeliveryValues, type DeliveryWrite } from '../model/delivery.js';
import type { DesiredTree } from '../model/desired.js';
import { PLAIN_STATUS, type StatusCategory } from '../model/status.js';
import { percent, rollUpProgress, type TreeIssue } from './progress.js';

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
}

/**
 * The Productboard writes of a pass: a pure function of the synced items, the Jira tree and what
 * was last written. One entity update per item at most, carrying only the values that changed
 * since they were last written: a pass with nothing new writes nothing.
 */
export function planDelivery(input: DeliveryInput): DeliveryPlan {
  const progress = rollUpProgress(input.issues);
  const byKey = new Map(input.issues.map((i) => [i.key, i]));
  const writes: DeliveryWrite[] = [];
  let unchanged = 0;
  const items = [...input.desired.issues.values()].sort(
    (a, b) => a.depth - b.depth || a.name.localeCompare(b.name) || a.pbId.localeCompare(b.pbId),
  );
  for (const item of items) {
    const key = input.keys.get(item.pbId);
    const issue = key === undefined ? undefined : byKey.get(key);
    if (key === undefined || !issue) continue;
    const wanted: DeliveryValues = {
      jiraKey: key,
      jiraLink: input.browseUrl(key),
      ...statusOf(issue.statusName, issue.statusCategory),
      progress: percent(progress.get(key) ?? 0),
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
    if (changes.length) writes.push({ pbId: item.pbId, pbType: item.pbType, name: item.name, jiraKey: key, changes, values });
    else unchanged += 1;
  }
  return { writes, unchanged };
}

const statusOf = (name: string | null, category: StatusCategory | null): { jiraStatus?: string } =>
  name ? { jiraStatus: name } : category ? { jiraStatus: PLAIN_STATUS[category] } : {};
