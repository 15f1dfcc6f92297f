import { describe, expect, it, vi } from 'vitest';
import { applyPlan } from '../../../src/engine/apply/apply-plan.js';
import { BULK_CREATE_MAX } from '../../../src/engine/apply/create-level.js';
import { SyncError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/log/logger.js';
import type { HistoryEntry } from '../../../src/model/history.js';
import type { CreatedLink, PushedLink } from '../../../src/model/link.js';
import type { ObservedIssue } from '../../../src/model/observed.js';
import type { ActionKind, FieldChange, NewIssue, Plan, PlanAction } from '../../../src/model/plan.js';
import type {
  CreateOutcome,
  EditOutcome,
  IssueDraft,
  IssueEdit,
  JiraWriter,
  LinkWriter,
  TransitionOption,
} from '../../../src/model/ports.js';
import type { ProgressEvent, ProgressListener } from '../../../src/model/progress.js';
import type { StatusCategory, StatusTarget } from '../../../src/model/status.js';
import { VirtualClock } from '../../../src/util/clock.js';
import { observedFrom, stamp, uuid } from '../../helpers/builders.js';

// The applier on in-memory fakes: what it sends to Jira, what it records in the ledger, what it reports.

/** A Jira that creates, edits and transitions in memory; each behaviour can be overridden per test. */
class FakeJira implements JiraWriter {
  readonly batches: IssueDraft[][] = [];
  readonly edits: IssueEdit[] = [];
  readonly remoteLinks: string[] = [];
  readonly transitions: Array<{ jiraId: string; to: string; fields?: unknown }> = [];
  /** Issues whose transitions were looked up, in order. */
  readonly optionLookups: string[] = [];
  readonly lookups: string[][] = [];
  /** Issues a lookup by stamp finds. */
  readonly stamped: ObservedIssue[] = [];
  private next = 100;
  outcome: (draft: IssueDraft, n: number) => CreateOutcome = (draft, n) => ({
    pbId: draft.pbId,
    ok: true,
    jiraId: String(n),
    jiraKey: `PBJ-${n}`,
  });
  /** Jira refuses the create of this one item (a definite refusal, not an ambiguous one); the others go through. */
  refuse(pbId: string, error: string): void {
    const created = this.outcome;
    this.outcome = (draft, n) => (draft.pbId === pbId ? { pbId, ok: false, error, ambiguous: false } : created(draft, n));
  }
  options: TransitionOption[] = [option('31', 'done', 'Done')];
  /** Errors the next transitions fail with, in order. */
  doTransitionErrors: Error[] = [];
  editOutcome: (edit: IssueEdit) => EditOutcome = () => ({ ok: true });
  remoteLinkError: (jiraId: string) => Error | undefined = () => undefined;

  async bulkCreate(drafts: readonly IssueDraft[]): Promise<CreateOutcome[]> {
    this.batches.push([...drafts.map((d) => ({ ...d }))]);
    return drafts.map((draft) => this.outcome(draft, this.next++));
  }
  async edit(edit: IssueEdit): Promise<EditOutcome> {
    this.edits.push(edit);
    return this.editOutcome(edit);
  }
  async transitionOptions(jiraId: string): Promise<TransitionOption[]> {
    this.optionLookups.push(jiraId);
    return this.options;
  }
  async doTransition(jiraId: string, transitionId: string, fields: Record<string, unknown> = {}): Promise<void> {
    const error = this.doTransitionErrors.shift();
    if (error) throw error;
    this.transitions.push({ jiraId, to: transitionId, ...(Object.keys(fields).length ? { fields } : {}) });
  }
  async statusName(jiraId: string): Promise<string | null> {
    const last = this.transitions.findLast((t) => t.jiraId === jiraId);
    return this.options.find((o) => o.id === last?.to)?.toStatus ?? null;
  }
  async upsertRemoteLink(jiraId: string): Promise<void> {
    const error = this.remoteLinkError(jiraId);
    if (error) throw error;
    this.remoteLinks.push(jiraId);
  }
  async addToProject(): Promise<void> {}
  async findByPbIds(pbIds: readonly string[]): Promise<ObservedIssue[]> {
    this.lookups.push([...pbIds]);
    return this.stamped.filter((o) => o.pbId && pbIds.includes(o.pbId));
  }
}

/** A ledger that remembers every call, in order. */
class FakeLinks implements LinkWriter {
  readonly calls: string[] = [];
  readonly created: CreatedLink[] = [];
  readonly failed: Array<{ pbId: string; error: string }> = [];
  readonly pushed: PushedLink[] = [];
  recordIntents(items: ReadonlyArray<{ pbId: string }>): void {
    this.calls.push(`intents ${items.map((i) => i.pbId).join(',')}`);
  }
  recordCreated(items: readonly CreatedLink[]): void {
    this.calls.push(`created ${items.map((i) => i.pbId).join(',')}`);
    this.created.push(...items);
  }
  recordFailed(items: ReadonlyArray<{ pbId: string; error: string }>): void {
    this.calls.push(`failed ${items.map((i) => i.pbId).join(',')}`);
    this.failed.push(...items);
  }
  recordPushed(items: readonly PushedLink[]): void {
    this.pushed.push(...items);
  }
  recordUpdateFailed(items: ReadonlyArray<{ pbId: string; error: string }>): void {
    this.calls.push(`update-failed ${items.map((i) => i.pbId).join(',')}`);
  }
  readonly refusedMoves: Array<{ pbId: string; toParentId: string | null; error: string }> = [];
  recordMoveRefused(items: ReadonlyArray<{ pbId: string; toParentId: string | null; error: string }>): void {
    this.calls.push(`move-refused ${items.map((i) => i.pbId).join(',')}`);
    this.refusedMoves.push(...items);
  }
  clearIntents(pbIds: readonly string[]): void {
    this.calls.push(`cleared ${pbIds.join(',')}`);
  }
  /** Kept apart from `calls`: the history is asserted on its own. */
  readonly history: HistoryEntry[] = [];
  recordHistory(entries: readonly HistoryEntry[]): void {
    this.history.push(...entries);
  }
}

/** A transition to a status of `category` named `toStatus`, without a screen unless `required` fields are given. */
function option(
  id: string,
  category: StatusCategory,
  toStatus: string,
  required: TransitionOption['requiredFields'] = [],
): TransitionOption {
  return { id, name: toStatus, category, toStatus, hasScreen: required.length > 0, requiredFields: required };
}

/** The status a Productboard status of `category` asks for. */
const target = (category: StatusCategory, pbStatus = 'Released', otherNames: string[] = []): StatusTarget => ({
  category,
  pbStatus,
  otherNames,
});

const base = (pbId: string, depth: number, parentPbId: string | null) => ({
  pbId,
  pbType: depth === 0 ? 'initiative' : 'feature',
  name: `Item ${pbId.slice(-4)}`,
  depth,
  parentPbId,
});

function create(pbId: string, depth: number, parentPbId: string | null, issue: Partial<NewIssue> = {}): PlanAction {
  return {
    kind: 'create',
    ...base(pbId, depth, parentPbId),
    issueTypeName: depth === 0 ? 'Epic' : 'Story',
    reason: 'new in Productboard',
    issue: {
      issueTypeId: depth === 0 ? '1' : '2',
      fields: { summary: `Item ${pbId.slice(-4)}`, description: null, labels: ['pb-jira-sync', `pb-${pbId}`] },
      status: null,
      stamp: stamp(pbId, 'feature', { statusCategory: null }),
      remoteLink: { title: `Productboard: Item ${pbId.slice(-4)}`, url: `https://pb.test/${pbId}` },
      parentNote: null,
      ...issue,
    },
  };
}

function planOf(actions: PlanAction[], existing: Array<[string, string]> = []): Plan {
  const counts: Record<ActionKind, number> = { create: 0, adopt: 0, update: 0, move: 0, skip: 0 };
  for (const a of actions) counts[a.kind] += 1;
  return { actions, existing: new Map(existing.map(([pbId, id]) => [pbId, { jiraId: id, jiraKey: `PBJ-${id}` }])), counts, unchanged: 0 };
}

function apply(plan: Plan, jira = new FakeJira(), links = new FakeLinks(), progress?: ProgressListener) {
  const ports = { writer: jira, reader: jira, links, clock: new VirtualClock(), logger: silentLogger(), runId: 'run-1', progress };
  const done = applyPlan(plan, ports);
  return { done, jira, links };
}

const epic = uuid(1);
const story = uuid(2);
const other = uuid(3);
const otherStory = uuid(4);

describe('applyPlan: creates', () => {
  it('creates parents before children, each level in bulk after its intents, and links each issue after its backlink', async () => {
    const { done, jira, links } = apply(planOf([create(epic, 0, null), create(story, 1, epic)]));
    const result = await done;
    expect(result).toMatchObject({ applied: 2, failed: 0, pending: 0, skipped: 0 });
    expect(jira.batches.map((b) => b.map((d) => [d.pbId, d.parentJiraId]))).toEqual([[[epic, null]], [[story, '100']]]);
    expect([...links.calls].sort()).toEqual([`created ${epic}`, `created ${story}`, `intents ${epic}`, `intents ${story}`].sort());
    for (const pbId of [epic, story]) expect(links.calls.indexOf(`intents ${pbId}`)).toBeLessThan(links.calls.indexOf(`created ${pbId}`));
    expect(jira.remoteLinks.sort()).toEqual(['100', '101']);
    expect(links.created.map((c) => [c.pbId, c.jiraKey])).toEqual([
      [epic, 'PBJ-100'],
      [story, 'PBJ-101'],
    ]);
  });

  it('settles once every issue exists and reached its status, while backlinks are still under way; links are recorded after them', async () => {
    const jira = new FakeJira();
    let release!: () => void;
    const backlinksHeld = new Promise<void>((resolve) => (release = resolve));
    const upsert = jira.upsertRemoteLink.bind(jira);
    jira.upsertRemoteLink = async (jiraId: string) => {
      await backlinksHeld;
      await upsert(jiraId);
    };
    const links = new FakeLinks();
    const settledWith: Array<{ applied: number; remoteLinks: number; transitions: number; recorded: number }> = [];
    const done = applyPlan(planOf([create(epic, 0, null), create(story, 1, epic, { status: target('done') })]), {
      writer: jira,
      reader: jira,
      links,
      clock: new VirtualClock(),
      logger: silentLogger(),
      runId: 'run-1',
      onSettled: (settled) =>
        settledWith.push({
          applied: settled.applied,
          remoteLinks: jira.remoteLinks.length,
          transitions: jira.transitions.length,
          recorded: links.created.length,
        }),
    });
    await vi.waitFor(() => expect(settledWith).toHaveLength(1));
    // Both issues created and the story moved to Done; no backlink sent yet, nothing recorded yet.
    expect(settledWith[0]).toEqual({ applied: 2, remoteLinks: 0, transitions: 1, recorded: 0 });
    release();
    expect(await done).toMatchObject({ applied: 2 });
    expect(jira.remoteLinks.sort()).toEqual(['100', '101']);
    expect(links.created).toHaveLength(2);
  });

  it('partial bulk failure: the rejected item is recorded with its message and its child waits; the rest is created', async () => {
    const jira = new FakeJira();
    jira.refuse(epic, 'customfield_10020: Team is required.');
    const { done, links } = apply(
      planOf([create(epic, 0, null), create(other, 0, null), create(story, 1, epic), create(otherStory, 1, other)]),
      jira,
    );
    const result = await done;
    expect(result).toMatchObject({ applied: 2, failed: 1, pending: 1 });
    expect(result.results.find((r) => r.pbId === epic)).toEqual({
      pbId: epic,
      kind: 'create',
      jiraKey: null,
      outcome: 'failed',
      error: 'customfield_10020: Team is required.',
    });
    expect(result.results.find((r) => r.pbId === story)).toMatchObject({
      outcome: 'pending',
      note: expect.stringContaining('its parent was not created'),
    });
    expect(links.failed).toEqual([{ pbId: epic, pbType: 'initiative', error: 'customfield_10020: Team is required.' }]);
    expect(jira.batches.flat().map((d) => d.pbId)).not.toContain(story);
    expect(links.created.map((c) => c.pbId).sort()).toEqual([other, otherStory].sort());
  });

  it('ambiguous create found by its stamp: adopted without a second create, follow-ups done, children created under it', async () => {
    const jira = new FakeJira();
    jira.outcome = (draft) =>
      draft.pbId === epic
        ? { pbId: draft.pbId, ok: false, error: 'no response (ECONNRESET)', ambiguous: true }
        : { pbId: draft.pbId, ok: true, jiraId: '200', jiraKey: 'PBJ-200' };
    jira.stamped.push(observedFrom({ id: '77', key: 'PBJ-77', pbId: epic }));
    const { done, links } = apply(planOf([create(epic, 0, null), create(story, 1, epic)]), jira);
    const result = await done;
    expect(result).toMatchObject({ applied: 2, failed: 0, pending: 0 });
    expect(jira.lookups).toEqual([[epic]]);
    expect(jira.batches.flat().filter((d) => d.pbId === epic)).toHaveLength(1);
    expect(jira.batches[1]).toMatchObject([{ pbId: story, parentJiraId: '77' }]);
    expect(jira.remoteLinks).toContain('77');
    // The settle window counts from when the outcome became unknown: the intent is written again.
    expect(links.calls.filter((c) => c === `intents ${epic}`)).toHaveLength(2);
    expect(links.created.find((c) => c.pbId === epic)).toMatchObject({ jiraId: '77', jiraKey: 'PBJ-77' });
  });

  it('ambiguous create not found: left pending (never retried blindly), its children wait, nothing marked failed', async () => {
    const jira = new FakeJira();
    jira.outcome = (draft) => ({ pbId: draft.pbId, ok: false, error: 'HTTP 500', ambiguous: true });
    const { done, links } = apply(planOf([create(epic, 0, null), create(story, 1, epic)]), jira);
    const result = await done;
    expect(result).toMatchObject({ applied: 0, failed: 0, pending: 2 });
    expect(result.results.find((r) => r.pbId === epic)).toMatchObject({
      outcome: 'pending',
      note: expect.stringContaining('the next pass checks its stamp before retrying'),
    });
    expect(jira.batches).toHaveLength(1);
    expect(links.failed).toEqual([]);
    expect(links.created).toEqual([]);
    expect(links.calls).toEqual([`intents ${epic}`, `intents ${epic}`]);
  });

  it('a whole batch refused (rate limit exhausted) fails its items; an error of unknown outcome makes them ambiguous', async () => {
    const refused = new FakeJira();
    refused.bulkCreate = async () => {
      throw new SyncError('rate-limit', 'gave up after 8 retries (HTTP 429)');
    };
    const first = await apply(planOf([create(epic, 0, null)]), refused).done;
    expect(first).toMatchObject({ failed: 1, pending: 0 });

    const unknown = new FakeJira();
    unknown.bulkCreate = async () => {
      throw new SyncError('invalid-response', 'unexpected response: issues: expected array');
    };
    const second = await apply(planOf([create(epic, 0, null)]), unknown).done;
    expect(second).toMatchObject({ failed: 0, pending: 1 });
    expect(unknown.lookups).toEqual([[epic]]);
  });

  it('an interrupted bulk create clears its intents and stops the pass', async () => {
    const jira = new FakeJira();
    const stop = new SyncError('interrupted', 'stopped by a signal before the request was sent');
    jira.bulkCreate = async () => {
      throw stop;
    };
    const { done, links } = apply(planOf([create(epic, 0, null)]), jira);
    await expect(done).rejects.toBe(stop);
    expect(links.calls).toEqual([`intents ${epic}`, `cleared ${epic}`]);
  });

  it('a fatal error in follow-ups stops the pass; the level is not recorded as linked, so the next pass adopts and finishes it', async () => {
    const jira = new FakeJira();
    const denied = new SyncError('auth', 'Jira rejected the credentials (HTTP 401)');
    jira.remoteLinkError = () => denied;
    const { done, links } = apply(planOf([create(epic, 0, null), create(story, 1, epic)]), jira);
    await expect(done).rejects.toBe(denied);
    expect(links.created).toEqual([]);
    expect(links.calls[0]).toBe(`intents ${epic}`);
  });

  it('a follow-up that fails for this item only is noted; the issue is linked', async () => {
    const jira = new FakeJira();
    jira.remoteLinkError = () => new SyncError('transient', 'gave up after 4 retries (HTTP 502)');
    const result = await apply(planOf([create(epic, 0, null)]), jira).done;
    expect(result.results).toEqual([
      {
        pbId: epic,
        kind: 'create',
        jiraKey: 'PBJ-100',
        outcome: 'applied',
        note: 'created, but a follow-up failed: gave up after 4 retries (HTTP 502)',
      },
    ]);
  });

  it('a transition refused at create falls back to a per-issue lookup; the status is recorded as pushed', async () => {
    const jira = new FakeJira();
    jira.doTransitionErrors = [new SyncError('rejected', 'request rejected (HTTP 400)')];
    const { done, links } = apply(planOf([create(epic, 0, null, { status: target('done') })]), jira);
    const result = await done;
    expect(result.results).toEqual([{ pbId: epic, kind: 'create', jiraKey: 'PBJ-100', outcome: 'applied' }]);
    // Learned once for the type, refused for this issue, then looked up for this very issue.
    expect(jira.optionLookups).toEqual(['100', '100']);
    expect(jira.transitions).toEqual([{ jiraId: '100', to: '31' }]);
    expect(links.created[0]!.pushed.statusCategory).toBe('done');
  });

  it('with no transition to the status, the issue is created and the result says why', async () => {
    const jira = new FakeJira();
    jira.options = [];
    const result = await apply(planOf([create(epic, 0, null, { status: target('indeterminate', 'In progress') })]), jira).done;
    expect(result.results[0]).toMatchObject({
      outcome: 'applied',
      note: 'no transition to a "indeterminate" status is available from its current status',
    });
  });

  it('the first batch of a level teaches the transition; the batches after it carry it in the create call', async () => {
    const jira = new FakeJira();
    const many = Array.from({ length: BULK_CREATE_MAX + 3 }, (_, i) => create(uuid(500 + i), 0, null, { status: target('done') }));
    const result = await apply(planOf(many), jira).done;
    expect(result.applied).toBe(many.length);
    expect(jira.batches.map((b) => b.length)).toEqual([BULK_CREATE_MAX, 3]);
    expect(jira.batches[0]!.every((d) => d.transitionId === undefined)).toBe(true);
    expect(jira.batches[1]!.every((d) => d.transitionId === '31')).toBe(true);
    // Only the first batch's issues need a transition call of their own.
    expect(jira.transitions).toHaveLength(BULK_CREATE_MAX);
  });

  it('issue 9 §9: a transition the create carried and Jira refused is noted and looked up for the issue; the status is recorded as pushed', async () => {
    const jira = new FakeJira();
    jira.outcome = (draft, n) => ({
      pbId: draft.pbId,
      ok: true,
      jiraId: String(n),
      jiraKey: `PBJ-${n}`,
      ...(draft.transitionId ? { transitionRefused: 'resolution: Resolution is required.' } : {}),
    });
    const many = Array.from({ length: BULK_CREATE_MAX + 1 }, (_, i) => create(uuid(700 + i), 0, null, { status: target('done') }));
    const { done, links } = apply(planOf(many), jira);
    const result = await done;
    const carried = jira.batches[1]![0]!;
    expect(carried.transitionId).toBe('31');
    const refused = result.results.find((r) => r.pbId === carried.pbId)!;
    expect(refused).toMatchObject({ outcome: 'applied', note: "the create's transition was refused: resolution: Resolution is required." });
    const id = links.created.find((c) => c.pbId === carried.pbId)!.jiraId;
    expect(jira.optionLookups.filter((j) => j === id)).toHaveLength(1);
    expect(jira.transitions).toContainEqual({ jiraId: id, to: '31' });
    expect(links.created.find((c) => c.pbId === carried.pbId)!.pushed.statusCategory).toBe('done');
  });

  it('issue 10 low 2.18: a definite refusal that stops the pass (401 on a bulk create) records its items failed, not pending', async () => {
    const jira = new FakeJira();
    const denied = new SyncError('auth', 'Jira rejected the credentials (HTTP 401)');
    jira.bulkCreate = async () => {
      throw denied;
    };
    const { done, links } = apply(planOf([create(epic, 0, null), create(other, 0, null)]), jira);
    await expect(done).rejects.toBe(denied);
    expect(links.calls).toEqual([`intents ${epic},${other}`, `failed ${epic},${other}`]);
    expect(links.failed.map((f) => f.error)).toEqual([denied.message, denied.message]);
  });

  it('an item whose description cannot be converted is skipped with the reason; the rest of its batch is sent', async () => {
    const bad = create(epic, 0, null, {
      fields: {
        summary: 'Bad',
        labels: [],
        description: { html: `<p>${'<b>'.repeat(5000)}deep</p>`, name: 'Bad', url: null, sourceLink: false, insights: null },
      },
    });
    const { done, jira } = apply(planOf([bad, create(other, 0, null)]));
    const result = await done;
    expect(result.results.find((r) => r.pbId === epic)).toMatchObject({
      outcome: 'skipped',
      error: expect.stringMatching(/^invalid-item: description: /),
    });
    expect(jira.batches.flat().map((d) => d.pbId)).toEqual([other]);
  });
});

describe('applyPlan: edits, moves, adoptions', () => {
  const stampOf = stamp(story, 'feature', { labels: ['pb-jira-sync', `pb-${story}`, 'web'], statusCategory: 'new' });
  const updateOf = (changes: FieldChange[]): PlanAction => ({
    kind: 'update',
    ...base(story, 1, other),
    jiraId: '12',
    jiraKey: 'PBJ-12',
    stamp: stampOf,
    changes,
  });
  const moveOf = (subtask = false): PlanAction => ({
    kind: 'move',
    ...base(story, 1, other),
    jiraId: '12',
    jiraKey: 'PBJ-12',
    fromParentKey: 'PBJ-11',
    stamp: stampOf,
    subtask,
  });

  it('an update and a move of one issue travel in one edit, with the labels as add/remove and the stamp', async () => {
    const actions: PlanAction[] = [
      updateOf([
        { field: 'summary', from: 'Old', to: 'New' },
        { field: 'labels', add: ['web'], remove: ['mobile'] },
        { field: 'status', from: 'new', to: 'done', target: target('done') },
      ]),
      moveOf(),
    ];
    const { done, jira, links } = apply(planOf(actions, [[other, '14']]));
    const result = await done;
    expect(jira.edits).toEqual([
      { jiraId: '12', jiraKey: 'PBJ-12', stamp: stampOf, summary: 'New', labels: { add: ['web'], remove: ['mobile'] }, parentJiraId: '14' },
    ]);
    expect(jira.optionLookups).toEqual(['12']);
    expect(jira.transitions).toEqual([{ jiraId: '12', to: '31' }]);
    expect(result.results.map((r) => [r.kind, r.outcome])).toEqual([
      ['update', 'applied'],
      ['move', 'applied'],
    ]);
    expect(links.pushed).toEqual([{ pbId: story, jiraKey: 'PBJ-12', pushed: { ...stampOf, statusCategory: 'done' } }]);
  });

  it('a move under a parent not created in this pass waits for the next pass', async () => {
    const jira = new FakeJira();
    jira.outcome = (draft) => ({ pbId: draft.pbId, ok: false, error: 'rejected', ambiguous: false });
    const actions: PlanAction[] = [create(other, 0, null), moveOf()];
    const result = await apply(planOf(actions), jira).done;
    expect(result.results.find((r) => r.kind === 'move')).toMatchObject({
      outcome: 'pending',
      note: 'its new parent was not created in this pass; moved next pass',
    });
    expect(jira.edits).toEqual([]);
  });

  it('a repair move (no stamp) re-parents only: no stamp sent, nothing recorded in the ledger', async () => {
    const { done, jira, links } = apply(
      planOf(
        [{ kind: 'move', ...base(story, 0, epic), jiraId: '12', jiraKey: 'PBJ-12', fromParentKey: 'PBJ-14', stamp: null, subtask: false }],
        [[epic, '11']],
      ),
    );
    await done;
    expect(jira.edits).toEqual([{ jiraId: '12', jiraKey: 'PBJ-12', parentJiraId: '11' }]);
    expect(links.pushed).toEqual([]);
  });

  it('issue 9 §10: a move Jira refuses: the rest of the edit is sent without it, the refusal recorded with the remedy', async () => {
    const jira = new FakeJira();
    jira.editOutcome = (edit) =>
      edit.parentJiraId !== undefined ? { ok: false, parentRefused: "parent: Field 'parent' cannot be set." } : { ok: true };
    const actions: PlanAction[] = [updateOf([{ field: 'summary', from: 'Old', to: 'New' }]), moveOf(true)];
    const { done, links } = apply(planOf(actions, [[other, '14']]), jira);
    const result = await done;
    expect(jira.edits.map((e) => [e.summary, e.parentJiraId])).toEqual([
      ['New', '14'],
      ['New', undefined],
    ]);
    expect(result.results).toEqual([
      { pbId: story, kind: 'update', jiraKey: 'PBJ-12', outcome: 'applied' },
      {
        pbId: story,
        kind: 'move',
        jiraKey: 'PBJ-12',
        outcome: 'failed',
        error: expect.stringContaining("move it in Jira with the issue's Move action (⋯ menu → Move)"),
      },
    ]);
    expect(links.refusedMoves).toEqual([{ pbId: story, toParentId: '14', error: "parent: Field 'parent' cannot be set." }]);
    expect(links.pushed).toHaveLength(1);
  });

  it('a failed edit is recorded on the link and reported; a fatal one stops the pass', async () => {
    const jira = new FakeJira();
    jira.edit = async () => {
      throw new SyncError('rejected', 'request rejected (HTTP 400): summary: too long');
    };
    const update: PlanAction = {
      kind: 'update',
      ...base(story, 1, null),
      jiraId: '12',
      jiraKey: 'PBJ-12',
      stamp: stampOf,
      changes: [{ field: 'summary', from: 'a', to: 'b' }],
    };
    const { done, links } = apply(planOf([update]), jira);
    expect((await done).results).toEqual([
      { pbId: story, kind: 'update', jiraKey: 'PBJ-12', outcome: 'failed', error: 'request rejected (HTTP 400): summary: too long' },
    ]);
    expect(links.calls).toEqual([`update-failed ${story}`]);

    const denied = new FakeJira();
    denied.edit = async () => {
      throw new SyncError('permission', 'Jira refused access (HTTP 403)');
    };
    await expect(apply(planOf([update]), denied).done).rejects.toMatchObject({ kind: 'permission' });
  });

  it('an adoption records what the plan says was last written and redoes the backlink of an unfinished create', async () => {
    const record = stamp(epic, 'initiative');
    const adopt: PlanAction = {
      kind: 'adopt',
      ...base(epic, 0, null),
      jiraId: '11',
      jiraKey: 'PBJ-11',
      reason: 'found by its stamp',
      finishCreate: true,
      record,
      remoteLink: { title: 'Productboard: Epic', url: 'https://pb.test/e' },
    };
    const { done, jira, links } = apply(planOf([adopt, create(story, 1, epic)], [[epic, '11']]));
    const result = await done;
    expect(jira.remoteLinks).toContain('11');
    expect(links.created[0]).toEqual({ pbId: epic, pbType: 'initiative', jiraId: '11', jiraKey: 'PBJ-11', pushed: record });
    expect(jira.batches[0]).toMatchObject([{ pbId: story, parentJiraId: '11' }]);
    expect(result).toMatchObject({ applied: 2 });
  });
});

describe('applyPlan: the history of what it did', () => {
  it('records every applied and failed action with each field before → after, one batch per level, under the run', async () => {
    const jira = new FakeJira();
    jira.refuse(otherStory, 'customfield_10020: Team is required.');
    const renamed: PlanAction = {
      kind: 'update',
      ...base(story, 1, epic),
      jiraId: '12',
      jiraKey: 'PBJ-12',
      stamp: stamp(story, 'feature'),
      changes: [
        { field: 'summary', from: 'Old', to: 'New' },
        { field: 'labels', add: ['theming'], remove: ['old'] },
      ],
    };
    const moved: PlanAction = {
      kind: 'move',
      ...base(story, 1, epic),
      jiraId: '12',
      jiraKey: 'PBJ-12',
      fromParentKey: 'PBJ-9',
      stamp: null,
      subtask: false,
    };
    const links = new FakeLinks();
    let batches = 0;
    const record = links.recordHistory.bind(links);
    links.recordHistory = (entries) => {
      batches += 1;
      record(entries);
    };
    const { done } = apply(planOf([create(epic, 0, null), renamed, moved, create(otherStory, 1, epic)]), jira, links);
    await done;
    // Batched by level (and what the follow-ups finish at the end), never one write per item.
    expect(batches).toBeLessThanOrEqual(3);
    expect(batches).toBeLessThan(links.history.length);
    expect(links.history).toEqual([
      {
        runId: 'run-1',
        action: 'create',
        outcome: 'applied',
        pbId: epic,
        pbType: 'initiative',
        name: `Item ${epic.slice(-4)}`,
        jiraKey: 'PBJ-100',
        changes: [
          { field: 'issueType', type: 'value', from: null, to: 'Epic' },
          { field: 'summary', type: 'value', from: null, to: `Item ${epic.slice(-4)}` },
        ],
        detail: null,
      },
      expect.objectContaining({
        action: 'create',
        outcome: 'failed',
        pbId: otherStory,
        jiraKey: null,
        changes: expect.arrayContaining([{ field: 'parent', type: 'value', from: null, to: 'PBJ-100' }]),
        detail: 'customfield_10020: Team is required.',
      }),
      expect.objectContaining({
        action: 'update',
        outcome: 'applied',
        jiraKey: 'PBJ-12',
        changes: [
          { field: 'summary', type: 'value', from: 'Old', to: 'New' },
          { field: 'labels', type: 'set', add: ['theming'], remove: ['old'] },
        ],
      }),
      expect.objectContaining({
        action: 'move',
        outcome: 'applied',
        jiraKey: 'PBJ-12',
        changes: [{ field: 'parent', type: 'value', from: 'PBJ-9', to: 'PBJ-100' }],
      }),
    ]);
  });

  it('a dry run remembers its history in memory and writes none (the same pipeline with the writer swapped)', async () => {
    const { DryRunLinks, DryRunWriter } = await import('../../../src/engine/dry-run.js');
    const links = new DryRunLinks();
    const writer = new DryRunWriter();
    await applyPlan(planOf([create(epic, 0, null)]), {
      writer,
      reader: new FakeJira(),
      links,
      clock: new VirtualClock(),
      logger: silentLogger(),
      runId: 'dry',
    });
    expect(links.history.map((e) => [e.action, e.outcome, e.jiraKey])).toEqual([['create', 'applied', '(new #1)']]);
  });
});

describe('applyPlan: progress', () => {
  it('reports each level of a multi-level create as it goes: creates with counts, then that level’s follow-ups, the next level after', async () => {
    const stories = [uuid(20), uuid(21), uuid(22)];
    const [refused, ...createdStories] = stories as [string, string, string];
    const subTasks = [uuid(30), uuid(31)];
    const subTaskOf = (pbId: string, parent: string): PlanAction => ({
      ...(create(pbId, 2, parent) as Extract<PlanAction, { kind: 'create' }>),
      issueTypeName: 'Sub-task',
    });
    const jira = new FakeJira();
    jira.refuse(refused, 'customfield_10020: Team is required.');
    const events: ProgressEvent[] = [];
    const plan = planOf([
      create(epic, 0, null),
      ...stories.map((s) => create(s, 1, epic)),
      // One sub-task under the story Jira refuses waits for the next pass; the other is created.
      subTaskOf(subTasks[0]!, refused),
      subTaskOf(subTasks[1]!, createdStories[0]),
    ]);
    const result = await apply(plan, jira, new FakeLinks(), (event) => events.push(event)).done;
    expect(result).toMatchObject({ applied: 4, failed: 1, pending: 1 });

    const of = (name: string, level: number) =>
      events.filter((e) => e.phase.name === name && 'level' in e.phase && e.phase.level === level).map(({ at: _at, ...e }) => e);
    const phase = (name: 'create' | 'follow-ups', level: number, issueTypes: string[]) => ({ name, level, levels: 3, issueTypes });
    expect(of('create', 1)).toEqual([
      { kind: 'started', phase: phase('create', 1, ['Epic']), total: 1 },
      { kind: 'advanced', phase: phase('create', 1, ['Epic']), done: 1, failed: 0, total: 1 },
      { kind: 'finished', phase: phase('create', 1, ['Epic']), counts: { created: 1, failed: 0, waiting: 0 }, durationMs: 0 },
    ]);
    expect(of('create', 2)).toEqual([
      { kind: 'started', phase: phase('create', 2, ['Story']), total: 3 },
      { kind: 'advanced', phase: phase('create', 2, ['Story']), done: 2, failed: 1, total: 3 },
      { kind: 'finished', phase: phase('create', 2, ['Story']), counts: { created: 2, failed: 1, waiting: 0 }, durationMs: 0 },
    ]);
    expect(of('create', 3)).toEqual([
      { kind: 'started', phase: phase('create', 3, ['Sub-task']), total: 2 },
      { kind: 'advanced', phase: phase('create', 3, ['Sub-task']), done: 1, failed: 0, total: 2 },
      { kind: 'finished', phase: phase('create', 3, ['Sub-task']), counts: { created: 1, failed: 0, waiting: 1 }, durationMs: 0 },
    ]);
    // Follow-ups: one step per created issue, then the level's count.
    expect(of('follow-ups', 2).map((e) => (e.kind === 'advanced' ? e.done : e.kind))).toEqual(['started', 1, 2, 'finished']);
    expect(of('follow-ups', 2).at(-1)).toMatchObject({ counts: { issues: 2 } });
    expect(of('follow-ups', 1).at(-1)).toMatchObject({ counts: { issues: 1 } });
    expect(of('follow-ups', 3).at(-1)).toMatchObject({ counts: { issues: 1 } });
    // A level is created only once the one above it has finished; every phase started is finished.
    const index = (name: string, level: number, kind: string) =>
      events.findIndex((e) => e.kind === kind && e.phase.name === name && 'level' in e.phase && e.phase.level === level);
    expect(index('create', 1, 'finished')).toBeLessThan(index('create', 2, 'started'));
    expect(index('create', 2, 'finished')).toBeLessThan(index('create', 3, 'started'));
    expect(events.filter((e) => e.kind === 'started')).toHaveLength(events.filter((e) => e.kind === 'finished').length);
    // Nothing to update or move: no edit phase.
    expect(events.some((e) => e.phase.name === 'edit')).toBe(false);
  });

  it('reports a level’s updates and moves: one step per issue, failures counted', async () => {
    const jira = new FakeJira();
    jira.editOutcome = (edit) => {
      if (edit.jiraId === '13') throw new SyncError('rejected', 'Field summary is too long.', { service: 'jira', status: 400 });
      return { ok: true };
    };
    const update = (pbId: string, jiraId: string): PlanAction => ({
      kind: 'update',
      ...base(pbId, 1, epic),
      jiraId,
      jiraKey: `PBJ-${jiraId}`,
      stamp: stamp(pbId, 'feature'),
      changes: [{ field: 'summary', from: 'Old', to: 'New' }],
    });
    const events: ProgressEvent[] = [];
    await apply(planOf([update(story, '12'), update(otherStory, '13')], [[epic, '11']]), jira, new FakeLinks(), (event) =>
      events.push(event),
    ).done;
    expect(events.map((e) => [e.kind, e.phase.name])).toEqual([
      ['started', 'edit'],
      ['advanced', 'edit'],
      ['advanced', 'edit'],
      ['finished', 'edit'],
    ]);
    expect(events[0]).toMatchObject({ phase: { level: 1, levels: 1, issueTypes: [] }, total: 2 });
    expect(events[2]).toMatchObject({ done: 1, failed: 1 });
    expect(events[3]).toMatchObject({ counts: { edited: 1, failed: 1 } });
  });
});
