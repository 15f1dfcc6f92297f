import type { DesiredTree } from '../model/desired.js';
import type { FixableFinding } from '../model/finding.js';
import type { Plan, PlanAction } from '../model/plan.js';

/**
 * `reconcile --fix` as a plan: one move per fixable finding, back under the parent the mapping
 * expects. It is applied by the same applier as a sync (and, in a dry run, to the same dry writer).
 * A repair only re-parents: it carries no stamp, so the stamp and the ledger's record stay as they are.
 */
export function repairPlan(findings: readonly FixableFinding[], desired: DesiredTree): Plan {
  const actions: PlanAction[] = findings.map((f) => ({
    kind: 'move',
    pbId: f.pbId,
    pbType: desired.issues.get(f.pbId)?.pbType ?? 'unknown',
    name: f.pbName ?? f.jiraKey,
    depth: 0,
    parentPbId: f.fix.parent?.pbId ?? null,
    jiraId: f.jiraId,
    jiraKey: f.jiraKey,
    fromParentKey: f.actualParent,
    stamp: null,
    subtask: desired.issues.get(f.pbId)?.level === -1,
  }));
  const existing = new Map(
    findings.flatMap((f) =>
      f.fix.parent ? [[f.fix.parent.pbId, { jiraId: f.fix.parent.jiraId, jiraKey: f.fix.parent.jiraKey }] as const] : [],
    ),
  );
  return { actions, additions: [], existing, counts: { create: 0, adopt: 0, update: 0, move: actions.length, skip: 0 }, unchanged: 0 };
}
