import { withStatus, type PlanAction } from '../../model/plan.js';
import type { PushedLink } from '../../model/link.js';
import type { IssueEdit } from '../../model/ports.js';
import { groupBy } from '../../util/multimap.js';
import { itemFailure, render, type ActionResult, type ApplyPorts, type ApplyState } from './context.js';

type Update = Extract<PlanAction, { kind: 'update' }>;
type Move = Extract<PlanAction, { kind: 'move' }>;

/** Updates and moves of one level: one request per issue, its field changes and its move together. */
export async function editLevel(actions: readonly PlanAction[], state: ApplyState, ports: ApplyPorts): Promise<void> {
  const edits = actions.filter((a): a is Update | Move => a.kind === 'update' || a.kind === 'move');
  const failures: Array<{ pbId: string; error: string }> = [];
  const pushed: PushedLink[] = [];
  await Promise.all(
    [...groupBy(edits, (a) => a.pbId)].map(async ([pbId, group]) => {
      const update = group.find((a): a is Update => a.kind === 'update');
      const move = group.find((a): a is Move => a.kind === 'move');
      const { written, ...outcome } = await editOne(update, move, state, ports);
      for (const action of group) state.report({ pbId, kind: action.kind, jiraKey: action.jiraKey, ...outcome });
      // A repair that leaves the stamp alone (stamp null) leaves the ledger alone too.
      if (!(update ?? move)?.stamp) return;
      if (outcome.outcome === 'failed') failures.push({ pbId, error: outcome.error ?? 'failed' });
      if (written) pushed.push(written);
    }),
  );
  // One transaction per level for what was written, not one per issue.
  if (pushed.length) ports.links.recordPushed(pushed, ports.clock.now());
  if (failures.length) ports.links.recordUpdateFailed(failures, ports.clock.now());
}

type EditOutcome = Pick<ActionResult, 'outcome' | 'error' | 'note'> & { written?: PushedLink };

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
    }
  }
  if (move) {
    const parent = move.parentPbId ? state.parent(move.parentPbId) : null;
    if (parent === undefined) return { outcome: 'pending', note: 'its new parent was not created in this pass; moved next pass' };
    edit.parentJiraId = parent?.jiraId ?? null;
  }
  try {
    await ports.writer.edit(edit);
    let note: string | undefined;
    let pushed = stamp;
    if (status) {
      const outcome = await ports.writer.transition(target.jiraId, status.to);
      pushed = stamp && withStatus(stamp, status.to); // attempted: see finishOne in follow-ups.ts
      if (outcome !== 'transitioned') note = `no transition to a "${status.to}" status is available`;
    }
    const written = pushed ? { pbId: target.pbId, jiraKey: target.jiraKey, pushed } : undefined;
    return { outcome: 'applied', ...(note ? { note } : {}), ...(written ? { written } : {}) };
  } catch (error) {
    const message = itemFailure(error);
    ports.logger.warn({ pbId: target.pbId, jiraKey: target.jiraKey, err: error }, 'issue edit failed');
    return { outcome: 'failed', error: message };
  }
}
