import { SyncError } from '../errors.js';
import type { ProjectAddition } from '../model/desired.js';
import type { ActionKind, Plan, PlanAction } from '../model/plan.js';
import type { Approval, ItemInputs, SavedAction, SavedPlan, StaleAction } from '../model/saved-plan.js';
import { canonicalJson } from '../util/canonical-json.js';
import { inputsIndex, mappingHash, sameAction, type PlanSources } from './plan-file.js';

const SYMBOL: Record<ActionKind, string> = { create: '+', adopt: '@', update: '~', move: '>', skip: '!' };

/**
 * `sync --plan FILE`: the saved plan, checked against the plan computed now from fresh reads of
 * both systems. Every saved action must come out the same, payload and parent included, from the
 * same Productboard inputs (what the mapping makes of the item: a rename, a re-parent or a new
 * status stales even a move whose payload does not show it; a value our own write-back put in the
 * item's fields does not), or the whole plan is refused naming each action that changed and on
 * which side; nothing stale is ever applied. Actions that came up since (not in the file) were not reviewed: they are left for the
 * next pass, and said so.
 */
export function approvePlan(saved: SavedPlan, fresh: Plan, sources: PlanSources): { plan: Plan; approval: Approval } {
  if (saved.project !== sources.project)
    throw refuse(`the plan was saved for Jira project ${saved.project}, but this configuration syncs ${sources.project}`);
  if (saved.mapping.hash !== mappingHash(sources.mapping))
    throw refuse(`the mapping (${sources.mapping.file}) changed since the plan was saved, so every action may differ`);

  const freshByKey = new Map(fresh.actions.filter((a) => a.kind !== 'skip').map((a) => [keyOf(a), a]));
  const current = inputsIndex(sources, fresh);
  const approved = new Set<string>();
  const stale: StaleAction[] = [];
  const writes = saved.actions.filter((a) => a.kind !== 'skip');
  for (const action of writes) {
    const now = freshByKey.get(keyOf(action));
    const parentSame = !action.parentPbId || sameParent(saved.existing[action.parentPbId], fresh.existing.get(action.parentPbId));
    const then = saved.inputs[action.pbId];
    const inputs = current(action.pbId);
    if (now && parentSame && sameSource(then, inputs) && sameAction(action, now)) approved.add(keyOf(action));
    else stale.push(staleAction(action, now, parentSame, then, inputs));
  }
  if (stale.length) {
    throw new SyncError(
      'stale-plan',
      `the saved plan is stale: ${stale.length} of its ${writes.length} change${writes.length === 1 ? '' : 's'} no longer match${stale.length === 1 ? 'es' : ''} what Productboard and Jira hold now; nothing was written. Save a new plan (\`sync --dry-run --out FILE\`) and review it`,
      { details: stale.map(staleLine) },
    );
  }

  const actions = fresh.actions.filter((a) => a.kind === 'skip' || approved.has(keyOf(a)));
  const counts: Record<ActionKind, number> = { create: 0, adopt: 0, update: 0, move: 0, skip: 0 };
  for (const action of actions) counts[action.kind] += 1;
  // An addition serves the items that name it: one an approved item needs was saved with it (the
  // item's inputs are the same); one only a newer item needs waits with that item.
  const savedAdditions = new Set((saved.additions ?? []).map(additionKey));
  const additions = (fresh.additions ?? []).filter((a) => savedAdditions.has(additionKey(a)));
  return {
    plan: { actions, ...(additions.length ? { additions } : {}), existing: fresh.existing, counts, unchanged: fresh.unchanged },
    approval: {
      createdAt: saved.createdAt,
      runId: saved.runId,
      leftOut: fresh.actions.filter((a) => a.kind !== 'skip' && !approved.has(keyOf(a))),
    },
  };
}

const additionKey = (a: ProjectAddition): string => `${a.kind}\u0000${a.name.toLowerCase()}`;

const keyOf = (action: Pick<PlanAction, 'kind' | 'pbId'>): string => `${action.kind}\u0000${action.pbId}`;

const sameParent = (saved: unknown, now: unknown): boolean => canonicalJson(saved ?? null) === canonicalJson(now ?? null);

/** Whether the item means the same to the plan: the hash of what the mapping made of it (never its `updatedAt`). */
const sameSource = (then: ItemInputs | undefined, now: ItemInputs): boolean =>
  (then?.productboard?.hash ?? null) === (now.productboard?.hash ?? null);

const refuse = (why: string): SyncError =>
  new SyncError(
    'stale-plan',
    `the saved plan cannot be applied: ${why}; nothing was written. Save a new plan (\`sync --dry-run --out FILE\`)`,
  );

/** Which side changed, in words: the item in Productboard, the issue in Jira, or only what the plan does with them. */
function staleAction(
  action: SavedAction,
  now: PlanAction | undefined,
  parentSame: boolean,
  then: ItemInputs | undefined,
  current: ItemInputs,
): StaleAction {
  const changed: StaleAction['changed'][number][] = [];
  const details: string[] = [];
  const pbThen = then?.productboard ?? null;
  const pbNow = current.productboard;
  if (!sameSource(then, current)) {
    changed.push('productboard');
    details.push(
      !pbNow
        ? 'no longer in Productboard (deleted, or out of the mapping)'
        : pbThen && pbThen.updatedAt !== pbNow.updatedAt
          ? `changed in Productboard (updated ${pbNow.updatedAt})`
          : 'changed in Productboard (its insights or links)',
    );
  }
  const jiraThen = then?.jira ?? null;
  const jiraNow = current.jira;
  if (canonicalJson(jiraThen) !== canonicalJson(jiraNow)) {
    changed.push('jira');
    details.push(
      !jiraNow
        ? `${jiraThen?.key ?? 'its issue'} is no longer found in Jira`
        : !jiraThen
          ? `${jiraNow.key} now exists in Jira for it`
          : `${jiraNow.key} changed in Jira`,
    );
  }
  if (!changed.length) {
    changed.push('plan');
    details.push(
      !now
        ? 'no longer planned (another pass may have done it)'
        : !parentSame
          ? 'its parent in Jira is not the one the plan saw'
          : 'the plan for it changed (the ledger or a related item changed)',
    );
  }
  const jiraKey = typeof action['jiraKey'] === 'string' ? action['jiraKey'] : (jiraNow?.key ?? jiraThen?.key ?? null);
  return { kind: action.kind, pbId: action.pbId, name: action.name, jiraKey, changed, detail: details.join('; ') };
}

const staleLine = (s: StaleAction): string =>
  `${SYMBOL[s.kind]} ${s.kind} ${s.jiraKey ? `${s.jiraKey} ` : ''}"${s.name}" (${s.pbId}): ${s.detail}`;
