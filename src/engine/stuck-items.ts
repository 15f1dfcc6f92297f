import type { DesiredTree } from '../model/desired.js';
import type { Plan } from '../model/plan.js';
import type { StuckItem } from '../model/stuck-item.js';
import type { ApplyResult } from './apply/context.js';

/**
 * The items a sync could not bring into Jira and will not by itself: those Jira refused (a failed
 * create or edit, retried every pass with the same answer) and those that cannot be written as
 * Productboard has them (`invalid-item` skips, descriptions that cannot be converted). Skips that
 * are decisions (archived, unparented, awaiting search...) are not stuck: the plan and reconcile
 * name them. One entry per item, in plan order.
 */
export function stuckItems(report: { desired: DesiredTree; plan: Plan; apply: ApplyResult }): StuckItem[] {
  const { desired, plan, apply } = report;
  const stuck = new Map<string, StuckItem>();
  const add = (item: Omit<StuckItem, 'pbUrl'>) => {
    // Items Productboard returned without an id are each their own entry.
    const key = item.pbId || `\u0000${stuck.size}`;
    if (!stuck.has(key)) stuck.set(key, { ...item, pbUrl: desired.issues.get(item.pbId)?.pbUrl ?? null });
  };
  for (const action of plan.actions)
    if (action.kind === 'skip' && action.reason === 'invalid-item')
      add({ pbId: action.pbId, name: action.name, cause: 'invalid-in-productboard', reason: action.detail, jiraKey: null });
  for (const result of apply.results) {
    if (result.outcome !== 'failed' && result.outcome !== 'skipped') continue;
    add({
      pbId: result.pbId,
      name: desired.issues.get(result.pbId)?.name ?? result.pbId,
      cause: result.outcome === 'failed' ? 'rejected-by-jira' : 'invalid-in-productboard',
      reason: result.error ?? result.note ?? 'no reason given',
      jiraKey: result.jiraKey,
    });
  }
  return [...stuck.values()];
}
