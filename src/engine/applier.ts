import type { Logger } from 'pino';
import { isSyncError, messageOf, stopsPass, writeRefused } from '../errors.js';
import { mapPool } from '../util/map-pool.js';
import { InitialTransitions } from './initial-transitions.js';
import { labelDelta } from './planner.js';
import { renderDescription } from '../mapping/description.js';
import { HtmlConversionError } from '../mapping/html-to-adf.js';
import type { Clock } from '../util/clock.js';
import type { LinkWriter, CreateOutcome, IssueDraft, IssueEdit, JiraReader, JiraWriter, TransitionOutcome } from '../model/ports.js';
import type { PushedLink, Link } from '../model/link.js';
import type { StatusCategory } from '../model/status.js';
import type { DesiredIssue, DesiredTree } from '../model/desired.js';
import type { ObservedIssue, ObservedTree } from '../model/observed.js';
import type { Plan, PlanAction } from '../model/plan.js';
import type { StampProperty } from '../model/stamp.js';
import type { AdfDoc } from '../model/adf.js';

/** Jira's bulk create takes at most 50 issues per call (reference/jira-api.md §2). */
export const BULK_CREATE_MAX = 50;
/** Bulk-create batches rendered and waiting for the HTTP lane at once: bounds memory, not speed. */
const BATCHES_IN_FLIGHT = 8;
/**
 * Created issues whose follow-ups (remote link, transition) are under way at once. Starting all of
 * a level's at once (10,000 stories) queues 10,000 requests with everything they hold; enough to
 * keep the remote-link endpoint at its rate (100/s × a few hundred ms) is plenty.
 */
const FOLLOW_UPS_IN_FLIGHT = 128;

/**
 * Renders an issue's description for a write. An item whose HTML cannot be converted is skipped
 * with the reason (its children wait), and the rest of the pass goes on.
 */
function render(issue: DesiredIssue, unresolved: Set<string>, results: ActionResult[], kind: ActionResult['kind'] = 'create', jiraKey: string | null = null): AdfDoc | null | false {
  if (!issue.fields.description) return null;
  try {
    return renderDescription(issue.fields.description);
  } catch (error) {
    if (!(error instanceof HtmlConversionError)) throw error;
    unresolved.add(issue.pbId);
    results.push({ pbId: issue.pbId, kind, jiraKey, outcome: 'skipped', error: `invalid-item: description: ${error.message}` });
    return false;
  }
}

export interface ActionResult {
  pbId: string;
  kind: PlanAction['kind'];
  jiraKey: string | null;
  /** skipped: the item cannot be written as it is (its description cannot be converted). */
  outcome: 'applied' | 'failed' | 'pending' | 'skipped';
  error?: string;
  note?: string;
}

export interface ApplyContext {
  plan: Plan;
  desired: DesiredTree;
  observed: ObservedTree;
  links: ReadonlyMap<string, Link>;
  writer: JiraWriter;
  reader: JiraReader;
  linkWriter: LinkWriter;
  clock: Clock;
  logger: Logger;
}

export interface ApplyResult {
  results: ActionResult[];
  applied: number;
  failed: number;
  pending: number;
  skipped: number;
}

const isFatal = stopsPass;

/**
 * Executes a plan: depth by depth, so every parent exists before its children; creates in bulk
 * (≤50 per call) after writing their intents to the ledger; edits one request per issue with the
 * update and the move merged. A failed item is recorded and reported; it never blocks the rest.
 */
export async function applyPlan(ctx: ApplyContext): Promise<ApplyResult> {
  const results: ActionResult[] = [];
  const jiraIds = new Map<string, { jiraId: string; jiraKey: string }>(ctx.plan.existing);
  const transitions = new InitialTransitions(ctx.writer);
  const unresolved = new Set<string>(); // created-or-not unknown, or failed: children must wait

  await recordAdoptions(ctx, results);

  const depths = [...new Set(ctx.plan.actions.filter((a) => a.kind !== 'skip').map((a) => a.depth))].sort((a, b) => a - b);
  // Follow-ups of one level (remote links, transitions: other Jira endpoints, other rate buckets)
  // run while the next level is created; a fatal error in them stops the pass at the next level.
  const followUps: Array<Promise<void>> = [];
  let fatal: unknown;
  try {
    for (const depth of depths) {
      if (fatal) break;
      const atDepth = ctx.plan.actions.filter((a) => a.depth === depth);
      const creates = atDepth.filter((a): a is Extract<PlanAction, { kind: 'create' }> => a.kind === 'create');
      const { followUps: finishing } = await createAll(ctx, creates, jiraIds, unresolved, results, transitions);
      followUps.push(finishing.catch((error: unknown) => void (fatal ??= error)));
      await editAll(ctx, atDepth, jiraIds, unresolved, results);
    }
  } finally {
    // Even when a level fails, the follow-ups already under way finish and record what they did
    // before the pass closes the ledger and releases the lease.
    await Promise.all(followUps);
  }
  if (fatal) throw fatal;
  return {
    results,
    applied: results.filter((r) => r.outcome === 'applied').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    pending: results.filter((r) => r.outcome === 'pending').length,
    skipped: results.filter((r) => r.outcome === 'skipped').length,
  };
}

async function recordAdoptions(ctx: ApplyContext, results: ActionResult[]): Promise<void> {
  const adopts = ctx.plan.actions.filter((a): a is Extract<PlanAction, { kind: 'adopt' }> => a.kind === 'adopt');
  if (!adopts.length) return;
  // A create from an unfinished pass may lack its remote link: upsert it (idempotent by globalId).
  await Promise.all(
    adopts
      .filter((a) => a.finishCreate)
      .map(async (a) => {
        const issue = ctx.desired.issues.get(a.pbId)!;
        try {
          if (issue.pbUrl) await ctx.writer.upsertRemoteLink(a.jiraId, issue.pbId, `Productboard: ${issue.name}`.slice(0, 255), issue.pbUrl);
        } catch (error) {
          if (isFatal(error)) throw error;
          ctx.logger.warn({ pbId: a.pbId, jiraKey: a.jiraKey, err: error }, 'remote link of an adopted issue failed');
        }
      }),
  );
  ctx.linkWriter.recordCreated(
    adopts.map((a) => {
      const observed = ctx.observed.byId.get(a.jiraId);
      return { pbId: a.pbId, pbType: a.pbType, jiraId: a.jiraId, jiraKey: a.jiraKey, pushed: observed?.stamp ?? stampFromObserved(a.pbId, a.pbType, observed) };
    }),
    ctx.clock.now(),
  );
  for (const a of adopts) results.push({ pbId: a.pbId, kind: 'adopt', jiraKey: a.jiraKey, outcome: 'applied', note: a.reason });
}

/** Without a stamp property we only know what Jira shows; that is what we treat as last pushed. */
function stampFromObserved(pbId: string, pbType: string, observed: ObservedIssue | undefined): StampProperty {
  return { v: 1, pbId, pbType, labels: [], descriptionHash: null, statusCategory: observed?.statusCategory ?? null };
}

function stampFor(issue: DesiredIssue, statusCategory: StatusCategory | null): StampProperty {
  return { v: 1, pbId: issue.pbId, pbType: issue.pbType, labels: issue.fields.labels, descriptionHash: issue.fields.descriptionHash, statusCategory };
}

async function createAll(
  ctx: ApplyContext,
  creates: ReadonlyArray<Extract<PlanAction, { kind: 'create' }>>,
  jiraIds: Map<string, { jiraId: string; jiraKey: string }>,
  unresolved: Set<string>,
  results: ActionResult[],
  transitions: InitialTransitions,
): Promise<{ followUps: Promise<void> }> {
  const ready: Array<{ issue: DesiredIssue; parentJiraId: string | null }> = [];
  for (const action of creates) {
    const issue = ctx.desired.issues.get(action.pbId)!;
    const parent = issue.parentPbId ? jiraIds.get(issue.parentPbId) : undefined;
    if (issue.parentPbId && (!parent || unresolved.has(issue.parentPbId))) {
      unresolved.add(issue.pbId);
      results.push({ pbId: issue.pbId, kind: 'create', jiraKey: null, outcome: 'pending', note: 'its parent was not created in this pass; retried next pass' });
      continue;
    }
    ready.push({ issue, parentJiraId: parent?.jiraId ?? null });
  }

  const batches: Array<typeof ready> = [];
  for (let i = 0; i < ready.length; i += BULK_CREATE_MAX) batches.push(ready.slice(i, i + BULK_CREATE_MAX));
  const ambiguous: IssueDraft[] = [];
  const created: Array<{ draft: IssueDraft; jiraId: string; jiraKey: string }> = [];

  const sendBatch = async (items: typeof ready): Promise<void> => {
    // Descriptions are rendered per batch, just before sending, and dropped after.
    const batch: IssueDraft[] = [];
    for (const { issue, parentJiraId } of items) {
      const description = render(issue, unresolved, results);
      if (description === false) continue;
      const category = issue.fields.statusCategory;
      const transitionId = category && category !== 'new' ? transitions.idFor(issue.issueTypeId, category) : undefined;
      batch.push({
        pbId: issue.pbId,
        issueTypeId: issue.issueTypeId,
        parentJiraId,
        summary: issue.fields.summary,
        description,
        labels: issue.fields.labels,
        dueDate: issue.fields.dueDate,
        // New issues start in the initial (To Do) status: only "new" is known to be true at
        // creation; a transition carried by the create is confirmed by the next pass's read.
        stamp: stampFor(issue, category === 'new' ? 'new' : null),
        ...(transitionId ? { transitionId } : {}),
      });
    }
    if (!batch.length) return;
    // Write-ahead: the intent is durable before Jira can create anything.
    ctx.linkWriter.recordIntents(batch.map((d) => ({ pbId: d.pbId, pbType: ctx.desired.issues.get(d.pbId)!.pbType })), ctx.clock.now());
    let outcomes;
    try {
      outcomes = await ctx.writer.bulkCreate(batch);
    } catch (error) {
      if (isSyncError(error) && error.kind === 'interrupted') ctx.linkWriter.clearIntents(batch.map((d) => d.pbId), ctx.clock.now());
      if (isFatal(error)) throw error;
      // Only a definite refusal means "not created" (4xx, or 429/503 retries exhausted: never
      // processed). Anything else, like a 2xx body we could not read, may have created them.
      outcomes = batch.map((d) => ({ pbId: d.pbId, ok: false as const, error: messageOf(error), ambiguous: !writeRefused(error) }));
    }
    // Sent: drop the rendered descriptions now, or a whole level's would live until its follow-ups end.
    for (const draft of batch) draft.description = null;
    // Learn each issue type's initial transitions from one new issue still in its initial status,
    // so that the batches after this one can carry their transitions.
    await learnTransitions(ctx, transitions, batch, outcomes);
    const failed: Array<{ pbId: string; pbType: string; error: string }> = [];
    for (const [index, outcome] of outcomes.entries()) {
      const draft = batch[index]!;
      if (outcome.ok) {
        created.push({ draft, jiraId: outcome.jiraId, jiraKey: outcome.jiraKey });
      } else if (outcome.ambiguous) {
        ambiguous.push(draft);
      } else {
        failed.push({ pbId: draft.pbId, pbType: ctx.desired.issues.get(draft.pbId)!.pbType, error: outcome.error });
        unresolved.add(draft.pbId);
        results.push({ pbId: draft.pbId, kind: 'create', jiraKey: null, outcome: 'failed', error: outcome.error });
      }
    }
    if (failed.length) ctx.linkWriter.recordFailed(failed, ctx.clock.now());
  };

  // The first batch goes alone: it teaches the level's issue types their initial transitions, so
  // the batches after it carry theirs in the create call (one round trip, once per level).
  const [first, ...rest] = batches;
  if (first) await sendBatch(first);
  await mapPool(rest, BATCHES_IN_FLIGHT, sendBatch);

  if (ambiguous.length) {
    // The settle window counts from when the outcome became unknown, not from the intent: retries
    // waiting out 429s can take longer than the window before the create is even sent.
    ctx.linkWriter.recordIntents(ambiguous.map((d) => ({ pbId: d.pbId, pbType: ctx.desired.issues.get(d.pbId)!.pbType })), ctx.clock.now());
    created.push(...(await resolveAmbiguous(ctx, ambiguous, unresolved, results)));
  }
  for (const c of created) jiraIds.set(c.draft.pbId, { jiraId: c.jiraId, jiraKey: c.jiraKey });
  // The link is recorded only once the follow-ups are done: if the process dies before, the intent
  // stays pending and the next pass adopts the issue by its stamp *and* finishes its follow-ups.
  return { followUps: mapPool(created, FOLLOW_UPS_IN_FLIGHT, (c) => finishCreated(ctx, c, results, transitions)).then((finished) => recordCreated(ctx, finished)) };
}

function recordCreated(ctx: ApplyContext, created: ReadonlyArray<{ draft: IssueDraft; jiraId: string; jiraKey: string; pushed: StampProperty }>): void {
  if (!created.length) return;
  ctx.linkWriter.recordCreated(
    created.map((c) => ({ pbId: c.draft.pbId, pbType: ctx.desired.issues.get(c.draft.pbId)!.pbType, jiraId: c.jiraId, jiraKey: c.jiraKey, pushed: c.pushed })),
    ctx.clock.now(),
  );
}

/**
 * A bulk create whose response was lost may have created some or all issues. Look the stamps up
 * (Jira search may lag, so "not found" is not proof): found ones are adopted, the others stay
 * pending in the ledger and the next pass decides after the settle window. Never a blind retry.
 */
async function resolveAmbiguous(ctx: ApplyContext, drafts: readonly IssueDraft[], unresolved: Set<string>, results: ActionResult[]) {
  let found: ObservedIssue[] = [];
  try {
    found = await ctx.reader.findByPbIds(drafts.map((d) => d.pbId));
  } catch (error) {
    if (isFatal(error)) throw error;
    ctx.logger.warn({ err: error }, 'stamp lookup after an ambiguous create failed');
  }
  const byPbId = new Map(found.map((o) => [o.pbId, o]));
  const adopted = [];
  for (const draft of drafts) {
    const observed = byPbId.get(draft.pbId);
    if (observed) {
      adopted.push({ draft, jiraId: observed.id, jiraKey: observed.key });
    } else {
      unresolved.add(draft.pbId);
      results.push({ pbId: draft.pbId, kind: 'create', jiraKey: null, outcome: 'pending', note: 'the create response was lost and the issue is not visible yet; the next pass checks its stamp before retrying' });
    }
  }
  return adopted;
}

/**
 * Per-issue follow-ups a bulk create cannot carry: the backlink and the initial transition.
 * Returns the stamp of what was actually written, for the ledger.
 */
async function finishCreated(ctx: ApplyContext, created: { draft: IssueDraft; jiraId: string; jiraKey: string }, results: ActionResult[], transitions: InitialTransitions) {
  const issue = ctx.desired.issues.get(created.draft.pbId)!;
  const notes: string[] = [];
  let pushed = created.draft.stamp;
  try {
    if (issue.pbUrl) await ctx.writer.upsertRemoteLink(created.jiraId, issue.pbId, `Productboard: ${issue.name}`.slice(0, 255), issue.pbUrl);
    const category = issue.fields.statusCategory;
    if (category && category !== 'new' && !created.draft.transitionId) {
      const outcome = await transitionNewIssue(ctx, transitions, created.jiraId, issue.issueTypeId, category);
      // Recorded as pushed either way: with no transition to take, retrying every pass would only
      // repeat the same lookup; the note says why, and a change in Productboard tries again.
      pushed = stampFor(issue, category);
      if (outcome !== 'transitioned') notes.push(`no transition to a "${category}" status is available`);
    }
  } catch (error) {
    if (isFatal(error)) throw error;
    notes.push(`created, but a follow-up failed: ${messageOf(error)}`);
  }
  const allNotes = [...(issue.parentNote ? [issue.parentNote] : []), ...notes];
  results.push({ pbId: issue.pbId, kind: 'create', jiraKey: created.jiraKey, outcome: 'applied', ...(allNotes.length ? { note: allNotes.join('; ') } : {}) });
  return { ...created, pushed };
}

async function learnTransitions(ctx: ApplyContext, transitions: InitialTransitions, batch: readonly IssueDraft[], outcomes: readonly CreateOutcome[]): Promise<void> {
  const samples = new Map<string, string>();
  for (const [index, outcome] of outcomes.entries()) {
    const draft = batch[index]!;
    // Learning is memoized per type: after the first batch of a type this costs no request.
    if (outcome.ok && !draft.transitionId && !samples.has(draft.issueTypeId)) samples.set(draft.issueTypeId, outcome.jiraId);
  }
  await Promise.all(
    [...samples].map(([typeId, jiraId]) =>
      transitions.learnFrom(typeId, jiraId).catch((error: unknown) => {
        if (isFatal(error)) throw error;
      }),
    ),
  );
}

/** A new issue's transition: the learned id for its type, else (or if refused) a per-issue lookup. */
async function transitionNewIssue(ctx: ApplyContext, transitions: InitialTransitions, jiraId: string, issueTypeId: string, category: StatusCategory): Promise<TransitionOutcome> {
  const id = transitions.idFor(issueTypeId, category) ?? (await transitions.learnFrom(issueTypeId, jiraId)).find((o) => o.category === category)?.id;
  if (!id) return 'no-transition';
  try {
    await ctx.writer.doTransition(jiraId, id);
    return 'transitioned';
  } catch (error) {
    if (isSyncError(error) && error.kind === 'rejected') return ctx.writer.transition(jiraId, category);
    throw error;
  }
}

async function editAll(
  ctx: ApplyContext,
  atDepth: readonly PlanAction[],
  jiraIds: ReadonlyMap<string, { jiraId: string; jiraKey: string }>,
  unresolved: ReadonlySet<string>,
  results: ActionResult[],
): Promise<void> {
  // One request per issue: its field update and its move travel together.
  const byIssue = new Map<string, PlanAction[]>();
  for (const action of atDepth) {
    if (action.kind !== 'update' && action.kind !== 'move') continue;
    byIssue.set(action.pbId, [...(byIssue.get(action.pbId) ?? []), action]);
  }
  const failures: Array<{ pbId: string; error: string }> = [];
  const pushed: PushedLink[] = [];
  await Promise.all(
    [...byIssue.entries()].map(async ([pbId, actions]) => {
      const { written, ...outcome } = await editOne(ctx, pbId, actions, jiraIds, unresolved);
      for (const action of actions) results.push({ pbId, kind: action.kind, jiraKey: 'jiraKey' in action ? action.jiraKey : null, ...outcome });
      if (outcome.outcome === 'failed') failures.push({ pbId, error: outcome.error ?? 'failed' });
      if (written) pushed.push(written);
    }),
  );
  // One transaction per level for what was written, not one per issue.
  if (pushed.length) ctx.linkWriter.recordPushed(pushed, ctx.clock.now());
  if (failures.length) ctx.linkWriter.recordUpdateFailed(failures, ctx.clock.now());
}

async function editOne(
  ctx: ApplyContext,
  pbId: string,
  actions: readonly PlanAction[],
  jiraIds: ReadonlyMap<string, { jiraId: string; jiraKey: string }>,
  unresolved: ReadonlySet<string>,
): Promise<Pick<ActionResult, 'outcome' | 'error' | 'note'> & { written?: PushedLink }> {
  const issue = ctx.desired.issues.get(pbId)!;
  const update = actions.find((a): a is Extract<PlanAction, { kind: 'update' }> => a.kind === 'update');
  const move = actions.find((a) => a.kind === 'move');
  const target = (update ?? move) as Extract<PlanAction, { kind: 'update' | 'move' }>;
  const observed = ctx.observed.byId.get(target.jiraId);
  const last = ctx.links.get(pbId)?.pushed ?? observed?.stamp ?? null;
  let statusPushed = last?.statusCategory ?? null;
  const edit: IssueEdit = { jiraId: target.jiraId, jiraKey: target.jiraKey, stamp: stampFor(issue, statusPushed) };
  const fields = new Set(update?.changes.map((c) => c.field));
  if (fields.has('summary')) edit.summary = issue.fields.summary;
  if (fields.has('description')) {
    try {
      edit.description = issue.fields.description ? renderDescription(issue.fields.description) : null;
    } catch (error) {
      if (!(error instanceof HtmlConversionError)) throw error;
      return { outcome: 'skipped', error: `invalid-item: description: ${error.message}` };
    }
  }
  if (fields.has('dueDate')) edit.dueDate = issue.fields.dueDate ?? null;
  if (fields.has('labels')) edit.labels = labelDelta(issue.fields.labels, observed?.labels ?? [], last?.labels ?? []);
  if (move) {
    if (issue.parentPbId && (unresolved.has(issue.parentPbId) || !jiraIds.has(issue.parentPbId))) {
      return { outcome: 'pending', note: 'its new parent was not created in this pass; moved next pass' };
    }
    edit.parentJiraId = issue.parentPbId ? jiraIds.get(issue.parentPbId)!.jiraId : null;
  }
  try {
    await ctx.writer.edit(edit);
    let note: string | undefined;
    if (fields.has('status') && issue.fields.statusCategory) {
      const outcome = await ctx.writer.transition(target.jiraId, issue.fields.statusCategory);
      statusPushed = issue.fields.statusCategory; // attempted: see finishCreated
      if (outcome !== 'transitioned') note = `no transition to a "${issue.fields.statusCategory}" status is available`;
    }
    const written = { pbId, jiraKey: target.jiraKey, pushed: stampFor(issue, statusPushed) };
    return note ? { outcome: 'applied', note, written } : { outcome: 'applied', written };
  } catch (error) {
    if (isFatal(error)) throw error;
    ctx.logger.warn({ pbId, jiraKey: target.jiraKey, err: error }, 'issue edit failed');
    return { outcome: 'failed', error: messageOf(error) };
  }
}
