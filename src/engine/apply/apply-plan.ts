import type { Plan, PlanAction } from '../../model/plan.js';
import type { LevelRef } from '../../model/progress.js';
import { ApplyState, type ApplyPorts, type ApplyResult } from './context.js';
import { createLevel, type CreateAction, type Created } from './create-level.js';
import { editLevel } from './edits.js';
import { finishCreates, recordAdoptions } from './follow-ups.js';
import { HistoryJournal } from './history.js';
import { InitialTransitions } from './initial-transitions.js';

/**
 * Executes a plan: depth by depth, so every parent exists before its children; creates in bulk
 * (≤50 per call) after writing their intents to the ledger; edits one request per issue with the
 * update and the move merged. A failed item is recorded and reported; it never blocks the rest.
 * The plan carries everything: this walk decides nothing the planner has not decided.
 */
export async function applyPlan(plan: Plan, ports: ApplyPorts): Promise<ApplyResult> {
  const state = new ApplyState(plan.existing);
  const transitions = new InitialTransitions(ports.writer);
  const history = new HistoryJournal(plan, state, ports);
  // Components and versions the issues name, added first (the mapping said it may): one request each.
  for (const addition of plan.additions ?? []) await ports.writer.addToProject(addition);
  await recordAdoptions(
    plan.actions.filter((a): a is Extract<PlanAction, { kind: 'adopt' }> => a.kind === 'adopt'),
    state,
    ports,
  );

  const depths = [...new Set(plan.actions.filter((a) => a.kind !== 'skip').map((a) => a.depth))].sort((a, b) => a - b);
  // Follow-ups of one level (remote links, transitions: other Jira endpoints, other rate buckets)
  // run while the next level is created; a fatal error in them stops the pass at the next level.
  const followUps: Array<Promise<void>> = [];
  const settling: Array<Promise<void>> = [];
  const createdAll: Created[] = [];
  let fatal: unknown;
  const noteFatal = (error: unknown) => void (fatal ??= error);
  try {
    for (const [index, depth] of depths.entries()) {
      if (fatal) break;
      const atDepth = plan.actions.filter((a) => a.depth === depth);
      const creates = atDepth.filter((a): a is CreateAction => a.kind === 'create');
      // What the progress display calls this level: its place in the walk and the issue types it creates.
      const level: LevelRef = { level: index + 1, levels: depths.length, issueTypes: [...new Set(creates.map((a) => a.issueTypeName))] };
      const created = await createLevel(creates, state, ports, transitions, level);
      createdAll.push(...created);
      const finishing = finishCreates(created, state, ports, transitions, level);
      settling.push(finishing.settled.catch(noteFatal));
      followUps.push(finishing.done.catch(noteFatal));
      await editLevel(atDepth, state, ports, level);
      history.flush();
    }
    // Every issue is as this pass leaves it; only backlinks may be under way: what depends on the
    // tree (the Productboard writes) may start now.
    await Promise.all(settling);
    if (!fatal) ports.onSettled?.(state.settledSummary(createdAll));
  } finally {
    // Even when a level fails, the follow-ups already under way finish and record what they did
    // before the pass closes the ledger and releases the lease.
    await Promise.all(followUps);
    history.flush();
  }
  if (fatal) throw fatal;
  return state.summary();
}
