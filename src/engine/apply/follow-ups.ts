import { withStatus, type PlanAction } from '../../model/plan.js';
import type { CreatedLink } from '../../model/link.js';
import type { LevelRef } from '../../model/progress.js';
import type { StatusTarget } from '../../model/status.js';
import { mapPool } from '../../util/map-pool.js';
import { startPhase } from '../phase-progress.js';
import { itemFailure, type ApplyPorts, type ApplyState } from './context.js';
import type { Created } from './create-level.js';
import type { InitialTransitions } from './initial-transitions.js';
import { chooseTransition, reachStatus, take, unreachable, type StatusOutcome } from './status-transition.js';

/**
 * Created issues whose follow-ups (remote link, transition) are under way at once. Starting all of
 * a level's at once (10,000 stories) queues 10,000 requests with everything they hold; enough to
 * keep the remote-link endpoint at its rate (100/s × a few hundred ms) is plenty.
 */
const FOLLOW_UPS_IN_FLIGHT = 128;

/**
 * What a bulk create cannot carry, for each created issue: the transition when the create did not
 * carry it, then the backlink. `settled`: every transition is done, so the issues are as this pass
 * leaves them (what Productboard is shown); the backlinks, which change nothing there, may still be
 * under way. `done`: the backlinks too, and the links recorded. A link is recorded only once both
 * are done: if the process dies before, the intent stays pending and the next pass adopts the issue
 * by its stamp *and* redoes them.
 */
export function finishCreates(
  created: readonly Created[],
  state: ApplyState,
  ports: ApplyPorts,
  transitions: InitialTransitions,
  level: LevelRef,
): { settled: Promise<void>; done: Promise<void> } {
  if (!created.length) return { settled: Promise.resolve(), done: Promise.resolve() };
  const progress = startPhase(ports, { name: 'follow-ups', ...level }, created.length);
  const statuses = mapPool(created, FOLLOW_UPS_IN_FLIGHT, (c) => transitionCreated(c, ports, transitions));
  const done = statuses.then(async (settled) => {
    const finished = await mapPool(
      created.map((c, i) => ({ created: c, ...settled[i]! })),
      FOLLOW_UPS_IN_FLIGHT,
      async (s) => {
        const link = await linkCreated(s, state, ports);
        progress.advance(1);
        return link;
      },
    );
    ports.links.recordCreated(finished, ports.clock.now());
    progress.finish({ issues: finished.length });
  });
  return { settled: statuses.then(() => undefined), done };
}

/** The created issue's status, when its create did not reach it: what was pushed, and notes. */
async function transitionCreated(
  created: Created,
  ports: ApplyPorts,
  transitions: InitialTransitions,
): Promise<{ pushed: CreatedLink['pushed']; notes: string[] }> {
  const issue = created.action.issue;
  const notes: string[] = [];
  let pushed = created.stamp;
  try {
    if (issue.status && (!created.transitionId || created.transitionRefused !== undefined)) {
      // A transition the create carried and Jira refused is handled like one that failed here:
      // said once, then looked up for this very issue.
      if (created.transitionRefused !== undefined) notes.push(`the create's transition was refused: ${created.transitionRefused}`);
      const outcome =
        created.transitionRefused !== undefined
          ? await reachStatus(ports.writer, created.jiraId, issue.status)
          : await transitionNewIssue(ports, transitions, created.jiraId, issue.issueTypeId, issue.status);
      // Recorded as pushed either way: with no transition to take, or one asking for fields, trying
      // again every pass would only repeat the same refusal; the note says why, and a change of the
      // status in Productboard tries again.
      pushed = withStatus(created.stamp, issue.status.category);
      if (!outcome.reached) notes.push(outcome.note);
    }
  } catch (error) {
    notes.push(`created, but a follow-up failed: ${itemFailure(error)}`);
  }
  return { pushed, notes };
}

/** The created issue's backlink; then its result is reported and its link is ready to record. */
async function linkCreated(
  { created, pushed, notes }: { created: Created; pushed: CreatedLink['pushed']; notes: string[] },
  state: ApplyState,
  ports: ApplyPorts,
): Promise<CreatedLink> {
  const { action } = created;
  const issue = action.issue;
  try {
    if (issue.remoteLink) await ports.writer.upsertRemoteLink(created.jiraId, action.pbId, issue.remoteLink.title, issue.remoteLink.url);
  } catch (error) {
    notes.push(`created, but a follow-up failed: ${itemFailure(error)}`);
  }
  const allNotes = [...(issue.parentNote ? [issue.parentNote] : []), ...notes];
  state.report({
    pbId: action.pbId,
    kind: 'create',
    jiraKey: created.jiraKey,
    outcome: 'applied',
    ...(allNotes.length ? { note: allNotes.join('; ') } : {}),
  });
  return { pbId: action.pbId, pbType: action.pbType, jiraId: created.jiraId, jiraKey: created.jiraKey, pushed };
}

/** A new issue's transition: the choice learned for its type, else (or if refused) a lookup for this issue. */
async function transitionNewIssue(
  ports: ApplyPorts,
  transitions: InitialTransitions,
  jiraId: string,
  issueTypeId: string,
  target: StatusTarget,
): Promise<StatusOutcome> {
  const choice = transitions.choiceFor(issueTypeId, target) ?? chooseTransition(await transitions.learnFrom(issueTypeId, jiraId), target);
  if (choice.kind !== 'take') return unreachable(choice);
  const outcome = await take(ports.writer, jiraId, choice);
  // Learned on another issue of the type: if this one refuses it, ask about this one.
  return outcome.reached ? outcome : reachStatus(ports.writer, jiraId, target);
}

type Adoption = Extract<PlanAction, { kind: 'adopt' }>;

/** Records stamped issues the ledger did not know, redoing the backlink of unfinished creates. */
export async function recordAdoptions(adopts: readonly Adoption[], state: ApplyState, ports: ApplyPorts): Promise<void> {
  if (!adopts.length) return;
  await Promise.all(
    adopts.map(async (a) => {
      if (!a.remoteLink) return;
      try {
        await ports.writer.upsertRemoteLink(a.jiraId, a.pbId, a.remoteLink.title, a.remoteLink.url);
      } catch (error) {
        itemFailure(error);
        ports.logger.warn({ pbId: a.pbId, jiraKey: a.jiraKey, err: error }, 'remote link of an adopted issue failed');
      }
    }),
  );
  ports.links.recordCreated(
    adopts.map((a) => ({ pbId: a.pbId, pbType: a.pbType, jiraId: a.jiraId, jiraKey: a.jiraKey, pushed: a.record })),
    ports.clock.now(),
  );
  for (const a of adopts) {
    state.learn(a.pbId, a);
    state.report({ pbId: a.pbId, kind: 'adopt', jiraKey: a.jiraKey, outcome: 'applied', note: a.reason });
  }
}
