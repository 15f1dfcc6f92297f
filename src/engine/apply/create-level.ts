import { isInterruption, messageOf, stopsPass, writeRefused } from '../../errors.js';
import type { ObservedIssue } from '../../model/observed.js';
import type { NewIssue, PlanAction } from '../../model/plan.js';
import type { LevelRef } from '../../model/progress.js';
import type { CreateOutcome, IssueDraft } from '../../model/ports.js';
import type { StampProperty } from '../../model/stamp.js';
import { mapPool } from '../../util/map-pool.js';
import { startPhase } from '../phase-progress.js';
import { render, type ApplyPorts, type ApplyState, type IssueAt } from './context.js';
import type { InitialTransitions } from './initial-transitions.js';

/** Jira's bulk create takes at most 50 issues per call. */
export const BULK_CREATE_MAX = 50;
/** Bulk-create batches rendered and waiting for the HTTP lane at once: bounds memory, not speed. */
const BATCHES_IN_FLIGHT = 8;

export type CreateAction = Extract<PlanAction, { kind: 'create' }>;

/** A create that was sent: the transition it carried, if any, and the stamp it wrote. */
interface Sent {
  action: CreateAction;
  transitionId: string | undefined;
  stamp: StampProperty;
}

/** A create that Jira did (or that was found by its stamp), waiting for its follow-ups. */
export interface Created extends IssueAt, Sent {
  /** Jira's reason when it refused the transition the create carried (the issue is in its initial status). */
  transitionRefused?: string;
}

/**
 * Creates one level of the tree: ready items in bulk batches (≤50), each batch's intents written to
 * the ledger before it is sent. Returns what was created; failures are recorded and reported, and
 * creates of unknown outcome are resolved by their stamp, never blindly retried.
 */
export async function createLevel(
  creates: readonly CreateAction[],
  state: ApplyState,
  ports: ApplyPorts,
  transitions: InitialTransitions,
  level: LevelRef,
): Promise<Created[]> {
  if (!creates.length) return [];
  const progress = startPhase(ports, { name: 'create', ...level }, creates.length);
  let refused = 0;
  const ready: Array<{ action: CreateAction; parentJiraId: string | null }> = [];
  for (const action of creates) {
    const parent = action.parentPbId ? state.parent(action.parentPbId) : undefined;
    if (action.parentPbId && !parent) {
      state.hold(action.pbId);
      state.report({
        pbId: action.pbId,
        kind: 'create',
        jiraKey: null,
        outcome: 'pending',
        note: 'its parent was not created in this pass; retried next pass',
      });
      continue;
    }
    ready.push({ action, parentJiraId: parent?.jiraId ?? null });
  }
  const batches: Array<typeof ready> = [];
  for (let i = 0; i < ready.length; i += BULK_CREATE_MAX) batches.push(ready.slice(i, i + BULK_CREATE_MAX));

  const created: Created[] = [];
  const ambiguous: Sent[] = [];
  const send = async (batch: typeof ready) => {
    const outcome = await sendBatch(batch, state, ports, transitions);
    created.push(...outcome.created);
    ambiguous.push(...outcome.ambiguous);
    refused += outcome.refused;
    progress.advance(outcome.created.length, outcome.refused);
  };
  // The first batch goes alone: it teaches the level's issue types their initial transitions, so
  // the batches after it carry theirs in the create call (one round trip, once per level).
  const [first, ...rest] = batches;
  if (first) await send(first);
  await mapPool(rest, BATCHES_IN_FLIGHT, send);

  if (ambiguous.length) {
    // The settle window counts from when the outcome became unknown, not from the intent: retries
    // waiting out 429s can take longer than the window before the create is even sent.
    ports.links.recordIntents(
      ambiguous.map(({ action }) => ({ pbId: action.pbId, pbType: action.pbType })),
      ports.clock.now(),
    );
    const found = await resolveAmbiguous(ambiguous, state, ports);
    created.push(...found);
    progress.advance(found.length);
  }
  for (const c of created) state.learn(c.action.pbId, c);
  // Waiting: a parent not created, or an outcome Jira has not shown yet; both are retried next pass.
  progress.finish({ created: created.length, failed: refused, waiting: creates.length - created.length - refused });
  return created;
}

/** Renders one batch, records its intents, sends it, and sorts the outcomes. */
async function sendBatch(
  items: ReadonlyArray<{ action: CreateAction; parentJiraId: string | null }>,
  state: ApplyState,
  ports: ApplyPorts,
  transitions: InitialTransitions,
): Promise<{ created: Created[]; ambiguous: Sent[]; refused: number }> {
  // Descriptions are rendered per batch, just before sending, and dropped after.
  const sent: Array<{ action: CreateAction; draft: IssueDraft }> = [];
  for (const { action, parentJiraId } of items) {
    const draft = draftOf(action, parentJiraId, transitions, ports.screens);
    if ('error' in draft) {
      state.hold(action.pbId);
      state.report({ pbId: action.pbId, kind: 'create', jiraKey: null, outcome: 'skipped', error: draft.error });
    } else sent.push({ action, draft });
  }
  if (!sent.length) return { created: [], ambiguous: [], refused: items.length };
  const drafts = sent.map((s) => s.draft);
  // Write-ahead: the intent is durable before Jira can create anything.
  ports.links.recordIntents(
    sent.map(({ action }) => ({ pbId: action.pbId, pbType: action.pbType })),
    ports.clock.now(),
  );
  const outcomes = await bulkCreate(sent, ports);
  // Sent: drop the rendered descriptions now, or a whole level's would live until its follow-ups end.
  for (const draft of drafts) draft.description = null;
  // Learn each issue type's initial transitions from one new issue still in its initial status,
  // so that the batches after this one can carry their transitions.
  await learnTransitions(drafts, outcomes, transitions);

  const created: Created[] = [];
  const ambiguous: Sent[] = [];
  const failed: Array<{ pbId: string; pbType: string; error: string }> = [];
  for (const [index, outcome] of outcomes.entries()) {
    const { action, draft } = sent[index]!;
    const what: Sent = { action, transitionId: draft.transitionId, stamp: draft.stamp };
    if (outcome.ok)
      created.push({
        ...what,
        jiraId: outcome.jiraId,
        jiraKey: outcome.jiraKey,
        ...(outcome.transitionRefused !== undefined ? { transitionRefused: outcome.transitionRefused } : {}),
      });
    else if (outcome.ambiguous) ambiguous.push(what);
    else {
      failed.push({ pbId: action.pbId, pbType: action.pbType, error: outcome.error });
      state.hold(action.pbId);
      state.report({ pbId: action.pbId, kind: 'create', jiraKey: null, outcome: 'failed', error: outcome.error });
    }
  }
  if (failed.length) ports.links.recordFailed(failed, ports.clock.now());
  return { created, ambiguous, refused: items.length - created.length - ambiguous.length };
}

/**
 * The planned issue, rendered, under its parent's Jira id, carrying its transition when known, and
 * fitted to its type's create screen: the `jira.fields` by field id, and without the fields the
 * screen does not show. A description left out is not recorded as written, so an edit writes it later.
 */
function draftOf(
  action: CreateAction,
  parentJiraId: string | null,
  transitions: InitialTransitions,
  screens: ApplyPorts['screens'],
): IssueDraft | { error: string } {
  const issue: NewIssue = action.issue;
  const fit = screens?.get(issue.issueTypeId);
  const omitDescription = fit?.omit.has('description') ?? false;
  const description = omitDescription ? ({ ok: true, doc: null } as const) : render(issue.fields.description);
  if (!description.ok) return { error: description.error };
  const transitionId = issue.status ? transitions.idFor(issue.issueTypeId, issue.status) : undefined;
  const fields = Object.entries(issue.fields.jiraFields ?? {}).map(([key, value]) => [fit?.fieldIds.get(key) ?? key, value] as const);
  return {
    pbId: action.pbId,
    issueTypeId: issue.issueTypeId,
    parentJiraId,
    summary: issue.fields.summary,
    description: description.doc,
    labels: issue.fields.labels,
    dueDate: fit?.omit.has('duedate') ? undefined : issue.fields.dueDate,
    stamp: omitDescription ? { ...issue.stamp, descriptionHash: null } : issue.stamp,
    fields: Object.fromEntries(fields),
    ...(transitionId ? { transitionId } : {}),
  };
}

/** Sends a batch; a failure of the whole call becomes one outcome per draft. */
async function bulkCreate(sent: ReadonlyArray<{ action: CreateAction; draft: IssueDraft }>, ports: ApplyPorts): Promise<CreateOutcome[]> {
  const drafts = sent.map((s) => s.draft);
  try {
    return await ports.writer.bulkCreate(drafts);
  } catch (error) {
    const now = ports.clock.now();
    // Stopped before or while sending: the intents go back to "not created".
    if (isInterruption(error))
      ports.links.clearIntents(
        drafts.map((d) => d.pbId),
        now,
      );
    // A definite refusal that also ends the pass (a 401 after the first batch): nothing was
    // created, so the items are failed now, not left pending for the settle window.
    else if (stopsPass(error) && writeRefused(error))
      ports.links.recordFailed(
        sent.map(({ action }) => ({ pbId: action.pbId, pbType: action.pbType, error: messageOf(error) })),
        now,
      );
    if (stopsPass(error)) throw error;
    // Only a definite refusal means "not created" (4xx, or 429 retries exhausted: never
    // processed). Anything else, like a 2xx body we could not read, may have created them.
    return drafts.map((d) => ({ pbId: d.pbId, ok: false as const, error: messageOf(error), ambiguous: !writeRefused(error) }));
  }
}

async function learnTransitions(
  drafts: readonly IssueDraft[],
  outcomes: readonly CreateOutcome[],
  transitions: InitialTransitions,
): Promise<void> {
  const samples = new Map<string, string>();
  for (const [index, outcome] of outcomes.entries()) {
    const draft = drafts[index]!;
    // Learning is memoized per type: after the first batch of a type this costs no request.
    if (outcome.ok && !draft.transitionId && !samples.has(draft.issueTypeId)) samples.set(draft.issueTypeId, outcome.jiraId);
  }
  await Promise.all(
    [...samples].map(([typeId, jiraId]) =>
      transitions.learnFrom(typeId, jiraId).catch((error: unknown) => {
        if (stopsPass(error)) throw error;
      }),
    ),
  );
}

/**
 * A bulk create whose response was lost may have created some or all issues. Look the stamps up
 * (Jira search may lag, so "not found" is not proof): found ones are adopted, the others stay
 * pending in the ledger and the next pass decides after the settle window. Never a blind retry.
 */
async function resolveAmbiguous(sent: readonly Sent[], state: ApplyState, ports: ApplyPorts): Promise<Created[]> {
  let found: ObservedIssue[] = [];
  try {
    found = await ports.reader.findByPbIds(sent.map(({ action }) => action.pbId));
  } catch (error) {
    if (stopsPass(error)) throw error;
    ports.logger.warn({ err: error }, 'stamp lookup after an ambiguous create failed');
  }
  const byPbId = new Map(found.map((o) => [o.pbId, o]));
  const adopted: Created[] = [];
  for (const what of sent) {
    const { action } = what;
    const observed = byPbId.get(action.pbId);
    if (observed) {
      // The transition it carried is taken as done: if it was not, the issue's status differs from
      // what the stamp records, and the next pass plans the transition again.
      adopted.push({ ...what, jiraId: observed.id, jiraKey: observed.key });
    } else {
      state.hold(action.pbId);
      state.report({
        pbId: action.pbId,
        kind: 'create',
        jiraKey: null,
        outcome: 'pending',
        note: 'the create response was lost and the issue is not visible yet; the next pass checks its stamp before retrying',
      });
    }
  }
  return adopted;
}
