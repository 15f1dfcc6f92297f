import { SyncError } from '../../errors.js';
import { moveRemedy, withStatus, type PlanAction } from '../../model/plan.js';
import type { PushedLink } from '../../model/link.js';
import type { IssueEdit } from '../../model/ports.js';
import type { LevelRef } from '../../model/progress.js';
import { groupBy } from '../../util/multimap.js';
import { itemFailure, render, type ActionResult, type ApplyPorts, type ApplyState } from './context.js';
import { reachStatus } from './status-transition.js';
import { startPhase } from '../phase-progress.js';

type Update = Extract<PlanAction, { kind: 'update' }>;
type Move = Extract<PlanAction, { kind: 'move' }>;

/** Updates and moves of one level: one request per issue, its field changes and its move together. */
export async function editLevel(actions: readonly PlanAction[], state: ApplyState, ports: ApplyPorts, level: LevelRef): Promise<void> {
  const edits = actions.filter((a): a is Update | Move => a.kind === 'update' || a.kind === 'move');
  const issues = groupBy(edits, (a) => a.pbId);
  if (!issues.size) return;
  const progress = startPhase(ports, { name: 'edit', ...level }, issues.size);
  let failed = 0;
  const failures: Array<{ pbId: string; error: string }> = [];
  const pushed: PushedLink[] = [];
  const refusedMoves: Array<{ pbId: string; toParentId: string | null; error: string }> = [];
  await Promise.all(
    [...issues].map(async ([pbId, group]) => {
      const update = group.find((a): a is Update => a.kind === 'update');
      const move = group.find((a): a is Move => a.kind === 'move');
      const { written, moveRefused, ...outcome } = await editOne(update, move, state, ports);
      for (const action of group) {
        // A refused move is that action's own outcome: the update it travelled with went through.
        const own = action.kind === 'move' && moveRefused ? { outcome: 'failed' as const, error: moveRefused.note } : outcome;
        state.report({ pbId, kind: action.kind, jiraKey: action.jiraKey, ...own });
      }
      const ok = outcome.outcome === 'applied' && !moveRefused;
      if (!ok) failed += 1;
      progress.advance(ok ? 1 : 0, ok ? 0 : 1);
      if (moveRefused) refusedMoves.push({ pbId, toParentId: moveRefused.toParentId, error: moveRefused.error });
      // A repair that leaves the stamp alone (stamp null) leaves the ledger alone too.
      if (!(update ?? move)?.stamp) return;
      if (outcome.outcome === 'failed') failures.push({ pbId, error: outcome.error ?? 'failed' });
      if (written) pushed.push(written);
    }),
  );
  // One transaction per level for what was written, not one per issue.
  if (pushed.length) ports.links.recordPushed(pushed, ports.clock.now());
  if (failures.length) ports.links.recordUpdateFailed(failures, ports.clock.now());
  if (refusedMoves.length) ports.links.recordMoveRefused(refusedMoves, ports.clock.now());
  progress.finish({ edited: issues.size - failed, failed });
}

type EditOutcome = Pick<ActionResult, 'outcome' | 'error' | 'note'> & {
  written?: PushedLink;
  /** Jira refused the move (a sub-task re-parented by an edit): recorded so the next passes do not repeat it. */
  moveRefused?: { toParentId: string | null; error: string; note: string };
};

async function editOne(update: Update | undefined, move: Move | undefined, state: ApplyState, ports: ApplyPorts): Promise<EditOutcome> {
  const target = (update ?? move)!;
  const stamp = update?.stamp ?? move?.stamp ?? null;
  const edit: IssueEdit = { jiraId: target.jiraId, jiraKey: target.jiraKey, ...(stamp ? { stamp } : {}) };
  let status: Extract<Update['changes'][number], { field: 'status' }> | undefined;
  for (const change of update?.changes ?? []) {
    switch (change.field) {
      case 'summary':
        edit.summary = change.to;
        break;
      case 'description': {
        const description = render(change.to);
        if (!description.ok) return { outcome: 'skipped', error: description.error };
        edit.description = description.doc;
        break;
      }
      case 'labels':
        edit.labels = { add: change.add, remove: change.remove };
        break;
      case 'dueDate':
        edit.dueDate = change.to;
        break;
      case 'status':
        status = change;
        break;
      case 'jiraField':
        // The mapping's fields travel in the same edit: no request of their own.
        edit.fields = { ...edit.fields, [change.id]: change.write };
        break;
    }
  }
  if (move) {
    const parent = move.parentPbId ? state.parent(move.parentPbId) : null;
    if (parent === undefined) return { outcome: 'pending', note: 'its new parent was not created in this pass; moved next pass' };
    edit.parentJiraId = parent?.jiraId ?? null;
  }
  try {
    const moveRefused = await send(edit, move, ports);
    const notes: string[] = [];
    let pushed = stamp;
    if (status) {
      const outcome = await reachStatus(ports.writer, target.jiraId, status.target);
      pushed = stamp && withStatus(stamp, status.to); // attempted: see transitionCreated in follow-ups.ts
      if (!outcome.reached) notes.push(outcome.note);
    }
    const written = pushed ? { pbId: target.pbId, jiraKey: target.jiraKey, pushed } : undefined;
    return {
      outcome: 'applied',
      ...(notes.length ? { note: notes.join('; ') } : {}),
      ...(written ? { written } : {}),
      ...(moveRefused ? { moveRefused } : {}),
    };
  } catch (error) {
    const message = itemFailure(error);
    ports.logger.warn({ pbId: target.pbId, jiraKey: target.jiraKey, err: error }, 'issue edit failed');
    return { outcome: 'failed', error: message };
  }
}

/**
 * Sends the edit. When Jira refuses the parent change (it moves a sub-task only through its Move
 * operation), the rest of the edit is sent without it and the refusal is returned, with the
 * remedy: retrying the same move every pass would only be refused again.
 */
async function send(edit: IssueEdit, move: Move | undefined, ports: ApplyPorts): Promise<EditOutcome['moveRefused']> {
  const outcome = await ports.writer.edit(edit);
  if (outcome.ok || !move) return undefined;
  const { parentJiraId, ...rest } = edit;
  const changesLeft = Object.keys(rest).some((k) => k !== 'jiraId' && k !== 'jiraKey' && k !== 'stamp');
  if (changesLeft) {
    const again = await ports.writer.edit(rest);
    // Without a parent in it, an edit is never refused as a move; should Jira say so anyway, the item fails.
    if (!again.ok) throw new SyncError('rejected', again.parentRefused, { service: 'jira', endpoint: 'PUT /rest/api/3/issue/{id}' });
  }
  ports.logger.warn({ pbId: move.pbId, jiraKey: move.jiraKey, error: outcome.parentRefused }, 'jira refused a move');
  return {
    toParentId: parentJiraId ?? null,
    error: outcome.parentRefused,
    note: `Jira refused to move ${move.jiraKey} by an edit (${outcome.parentRefused}); ${moveRemedy(move.subtask)}. Not tried again until its parent changes in Productboard`,
  };
}
