import type { DeliveryReport } from '../engine/deliver.js';
import type { DeliveryChange, DeliveryWrite, StatusConflict, StatusWrite } from '../model/delivery.js';
import { printableLines } from '../util/untrusted-text.js';
import { limitedLines, writeResultLines } from './format-writes.js';

// The Productboard side of a sync as people read it: how many items get their delivery fields
// updated (and which values), then, when applied, what Productboard took.

/** How many writes change each value, e.g. "3 statuses". */
const VALUE_NOUNS: Record<DeliveryChange['value'], [string, string]> = {
  jiraKey: ['key', 'keys'],
  jiraLink: ['link', 'links'],
  jiraStatus: ['status', 'statuses'],
  progress: ['progress', 'progress'],
  storyPoints: ['story points', 'story points'],
};

/** The headline: "Productboard: 24 items to update (24 keys, 3 statuses, 5 progress)". */
export function deliveryHeadline(delivery: DeliveryReport): string {
  const { writes, unchanged } = delivery.plan;
  if (writes.length === 0) return `Productboard: nothing to update (${unchanged} items already show their delivery)`;
  const counts = new Map<DeliveryChange['value'], number>();
  for (const w of writes) for (const c of w.changes) counts.set(c.value, (counts.get(c.value) ?? 0) + 1);
  const parts = [...counts].map(([value, n]) => `${n} ${VALUE_NOUNS[value][n === 1 ? 0 : 1]}`);
  const statuses = writes.filter((w) => w.status).length;
  if (statuses) parts.push(`${statuses} Productboard ${statuses === 1 ? 'status' : 'statuses'}`);
  return `Productboard: ${writes.length} ${writes.length === 1 ? 'item' : 'items'} to update (${parts.join(', ')}), ${unchanged} unchanged`;
}

const describeChange = (c: DeliveryChange): string =>
  `${c.value} ${c.from === null ? '' : `${JSON.stringify(c.from)} → `}${JSON.stringify(c.value === 'progress' ? `${c.to}%` : c.to)}`;

const describeStatus = (s: StatusWrite): string =>
  `status ${s.from === null ? '' : `${JSON.stringify(s.from)} → `}${JSON.stringify(s.to)} (Jira moved to ${JSON.stringify(s.jira)})`;

const describeWrite = (w: DeliveryWrite): string =>
  `  ~ ${w.pbType} "${w.name}" (${w.jiraKey}): ${[...w.changes.map(describeChange), ...(w.status ? [describeStatus(w.status)] : [])].join(', ')}`;

const describeConflict = (c: StatusConflict): string =>
  `  ! ${JSON.stringify(c.name)} (${c.jiraKey}): status changed on both sides; Productboard's ${JSON.stringify(c.pb)} wins, Jira's move to ${JSON.stringify(c.jira)} is overridden`;

/** The plan's Productboard part: the headline and one line per item (at most `max`). */
export function formatDeliveryPlan(delivery: DeliveryReport | null, max = 200): string {
  if (!delivery) return '';
  const { writes } = delivery.plan;
  const lines = ['', deliveryHeadline(delivery), ...limitedLines(writes, describeWrite, max)];
  lines.push(...delivery.plan.conflicts.map(describeConflict));
  return printableLines(lines);
}

/** What Productboard took, after a real pass. */
export function formatDeliveryResults(delivery: DeliveryReport | null): string {
  if (!delivery) return '';
  return printableLines(writeResultLines('Productboard', delivery.result));
}

/** `--json`: every planned write with its changes, and what was done. */
export const deliveryJson = (delivery: DeliveryReport | null, dryRun: boolean) =>
  delivery && {
    writes: delivery.plan.writes.map((w) => ({
      pbId: w.pbId,
      pbType: w.pbType,
      name: w.name,
      jiraKey: w.jiraKey,
      changes: w.changes,
      ...(w.status ? { status: w.status } : {}),
    })),
    statusConflicts: delivery.plan.conflicts,
    unchanged: delivery.plan.unchanged,
    results: dryRun ? null : delivery.result,
  };
