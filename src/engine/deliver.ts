import type { DeliveryPlan } from '../model/delivery.js';
import type { DesiredTree } from '../model/desired.js';
import type { ObservedTree } from '../model/observed.js';
import type { Plan } from '../model/plan.js';
import type { SourceGraph } from '../model/source.js';
import { applyDelivery, type DeliveryResult } from './apply/apply-delivery.js';
import type { ApplyResult } from './apply/context.js';
import { tallyFields } from './apply/productboard-writes.js';
import { planDelivery, type DeliveredIssue, type DeliveryInput } from './delivery-planner.js';
import type { Pass } from './pass.js';

/** The Productboard side of a sync: the writes planned and (in a real pass) what they did. */
export interface DeliveryReport {
  plan: DeliveryPlan;
  result: DeliveryResult;
}

/**
 * Delivery back into Productboard, once the pass's Jira tree is settled (creates, transitions,
 * edits and moves done; backlinks may still be under way, they change nothing planned here): the
 * keys of the issues this pass created and the statuses it moved are known only then. Planned by a
 * pure function over the Jira tree the pass read (no Jira request of its own), applied through the
 * pass's Productboard writer (a dry run's only remembers). Null when the mapping writes nothing
 * back. `scope`: a push's pass, whose plan kept only the pushed item and its ancestors.
 */
export async function deliver(
  pass: Pass,
  decided: { graph: SourceGraph; desired: DesiredTree; observed: ObservedTree; plan: Plan },
  apply: ApplyResult,
  scope?: ReadonlySet<string>,
): Promise<DeliveryReport | null> {
  const writeBack = pass.config.mapping.writeBack;
  if (!writeBack) return null;
  const { issues, keys } = treeAfterApply(decided.observed, decided.plan, apply);
  const host = pass.config.jira.host.replace(/\/+$/, '');
  const plan = planDelivery({
    writeBack,
    desired: decided.desired,
    issues,
    keys,
    written: pass.ledger?.delivered() ?? new Map(),
    browseUrl: (key) => `${host}/browse/${encodeURIComponent(key)}`,
    ...(scope ? { scope } : {}),
    ...(writeBack.status.size ? { statusLoop: statusLoopOf(pass, decided, apply, scope) } : {}),
  });
  const result = await applyDelivery(plan, {
    writer: pass.writers.delivery,
    log: pass.writers.deliveryLog,
    clock: pass.clock,
    logger: pass.logger,
    progress: pass.progress,
  });
  pass.logger.info(tallyFields(plan.writes.length, result), 'productboard delivery written');
  return { plan, result };
}

/**
 * What the status loop compares: both sides as read, the items whose Jira writes did not all happen
 * (in a push's pass, also every item outside its scope: their planned writes were left for a later
 * pass, so a Productboard status change is not recorded as synced before it reaches Jira), the
 * ledger's records.
 */
function statusLoopOf(
  pass: Pass,
  decided: { graph: SourceGraph; desired: DesiredTree; observed: ObservedTree },
  apply: ApplyResult,
  scope: ReadonlySet<string> | undefined,
): NonNullable<DeliveryInput['statusLoop']> {
  const outside = scope ? [...decided.desired.issues.keys()].filter((pbId) => !scope.has(pbId)) : [];
  return {
    pbStatus: new Map([...decided.graph.items.values()].map((item) => [item.id, item.statusName])),
    jiraRead: new Map([...decided.observed.byId.values()].map((i) => [i.key, { category: i.statusCategory, name: i.statusName ?? null }])),
    unsettled: new Set([...apply.results.filter((r) => r.outcome !== 'applied').map((r) => r.pbId), ...outside]),
    synced: pass.ledger?.statusSynced() ?? new Map(),
  };
}

/**
 * The Jira tree as this pass leaves it: the issues it read, with the creates, status transitions
 * and moves it applied. Statuses it moved are known by category only until the next read.
 */
export function treeAfterApply(
  observed: ObservedTree,
  plan: Plan,
  apply: ApplyResult,
): { issues: DeliveredIssue[]; keys: Map<string, string> } {
  const keys = new Map([...plan.existing].map(([pbId, issue]) => [pbId, issue.jiraKey]));
  const applied = new Set(apply.results.filter((r) => r.outcome === 'applied').map((r) => `${r.kind}:${r.pbId}`));
  for (const r of apply.results) if (r.kind === 'create' && r.outcome === 'applied' && r.jiraKey) keys.set(r.pbId, r.jiraKey);
  const nodes = new Map<string, DeliveredIssue>();
  for (const issue of observed.byId.values()) {
    nodes.set(issue.key, {
      key: issue.key,
      parentKey: issue.parentKey,
      statusCategory: issue.statusCategory,
      statusName: issue.statusName ?? null,
      storyPoints: issue.storyPoints ?? null,
    });
  }
  for (const action of plan.actions) {
    if (!applied.has(`${action.kind}:${action.pbId}`)) continue;
    const parentKey = action.parentPbId === null ? null : (keys.get(action.parentPbId) ?? null);
    if (action.kind === 'create') {
      const key = keys.get(action.pbId)!;
      nodes.set(key, { key, parentKey, statusCategory: action.issue.status?.category ?? 'new', statusName: null });
    }
    const node = 'jiraKey' in action ? nodes.get(action.jiraKey) : undefined;
    if (!node) continue;
    if (action.kind === 'move') node.parentKey = parentKey;
    const status = action.kind === 'update' ? action.changes.find((c) => c.field === 'status') : undefined;
    if (status?.field === 'status' && status.to !== node.statusCategory) {
      node.statusCategory = status.to;
      node.statusName = null;
    }
  }
  return { issues: [...nodes.values()], keys };
}
