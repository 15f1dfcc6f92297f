import { afterEach, describe, expect, it } from 'vitest';
import { TooManyChanges, changeRefusal } from '../../../src/engine/change-limit.js';
import type { DesiredTree } from '../../../src/model/desired.js';
import type { ActionKind, Plan, PlanAction } from '../../../src/model/plan.js';
import { runScheduledPass } from '../../../src/scheduler/scheduled-pass.js';
import { MAX_BLOCKS, MAX_HEADER_TEXT, MAX_SECTION_TEXT, slackMessage } from '../../../connectors/slack/block-kit.js';
import { startInProcess, type InProcess } from '../../helpers/in-process.js';
import { stamp, uuid } from '../../helpers/builders.js';

const base = (n: number, name = `Item ${n}`) => ({ pbId: uuid(n), pbType: 'feature', name, depth: 1, parentPbId: null });
const ref = (n: number) => ({ jiraId: String(n), jiraKey: `PBJ-${n}` });
const update = (n: number, name?: string): PlanAction => ({
  kind: 'update',
  ...base(n, name),
  ...ref(n),
  changes: [{ field: 'summary', from: 'a', to: 'b' }],
  stamp: stamp(uuid(n), 'feature'),
});
const move = (n: number): PlanAction => ({ kind: 'move', ...base(n), ...ref(n), fromParentKey: 'PBJ-1', stamp: null, subtask: false });
const adopt = (n: number): PlanAction => ({
  kind: 'adopt',
  ...base(n),
  ...ref(n),
  reason: 'found by its stamp',
  finishCreate: false,
  record: stamp(uuid(n), 'feature'),
  remoteLink: null,
});

function planOf(actions: PlanAction[]): Plan {
  const counts: Record<ActionKind, number> = { create: 0, adopt: 0, update: 0, move: 0, skip: 0 };
  for (const a of actions) counts[a.kind] += 1;
  return { actions, existing: new Map(), counts, unchanged: 0 };
}
const desired: DesiredTree = { issues: new Map(), skipped: [], warnings: [] };

describe('the mass-change guard', () => {
  it('counts issues written, not actions: an update and a move of one issue are one; adoptions change nothing', () => {
    const plan = planOf([update(1), move(1), update(2), adopt(3), adopt(4), adopt(5)]);
    expect(changeRefusal(plan, desired, 2, 'sync')).toBeNull();
    expect(changeRefusal(plan, desired, null, 'sync')).toBeNull();
    expect(changeRefusal(plan, desired, 1, 'sync')).toMatchObject({
      command: 'sync',
      limit: 1,
      issues: 2,
      counts: { create: 0, update: 2, move: 1 },
      sample: [
        { kind: 'update', jiraKey: 'PBJ-1', what: 'summary' },
        { kind: 'move', jiraKey: 'PBJ-1', what: 'new parent' },
        { kind: 'update', jiraKey: 'PBJ-2', what: 'summary' },
      ],
    });
  });

  it('the refusal names the count, the limit, what to run if it is intended, and the first changes', () => {
    const refusal = changeRefusal(planOf(Array.from({ length: 30 }, (_, i) => update(i + 1))), desired, 20, 'sync')!;
    const error = new TooManyChanges(refusal);
    expect(error.kind).toBe('too-many-changes');
    expect(error.message).toBe(
      'the plan would write 30 issues (0 to create, 30 to update, 0 to move), more than the limit of 20; nothing was written. Review it with `sync --dry-run`; if it is intended, run `sync --max-changes 30`',
    );
    expect(error.details).toHaveLength(10);
    expect(error.details[0]).toBe('update PBJ-1 "Item 1": summary');
  });

  it('its Slack message stays within Block Kit limits, escapes names, and says nothing was written', () => {
    const long = '<b>&'.repeat(400);
    const refusal = changeRefusal(planOf(Array.from({ length: 5000 }, (_, i) => update(i + 1, long))), desired, 100, 'scheduled pass')!;
    const { text, blocks } = slackMessage({ kind: 'too-many-changes', project: 'PBJ', refusal });
    expect(text).toBe('pb-jira-sync · PBJ: scheduled pass refused, 5000 issues to write (limit 100)');
    expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    const json = JSON.stringify(blocks);
    expect(json).not.toContain('<b>');
    expect(json).toContain('&lt;b&gt;&amp;');
    expect(json).toContain('*Nothing was written.* The plan would create 0, update 5000 and move 0.');
    expect(json).toContain('…and 4990 more.');
    for (const block of blocks) {
      if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(MAX_HEADER_TEXT);
      if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    }
  });
});

describe('a scheduled pass over the limit (sync.maxChanges)', () => {
  let run: InProcess;
  afterEach(async () => {
    await run?.close();
  });

  it('is refused before any write, says so to Slack once (not every tick), and says "recovered" once it goes through', async () => {
    run = await startInProcess({}, () => ({ PB_JIRA_SYNC_MAX_CHANGES: '5' }));
    expect(run.config.sync.maxChanges).toBe(5);
    const first = await runScheduledPass(run.context(), () => null);
    expect(first).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('error [too-many-changes]: the plan would write 24 issues'),
    });
    expect(run.sandbox.jira.state.issues()).toHaveLength(0);
    expect((await runScheduledPass(run.context(), () => null)).status).toBe('failed');
    const texts = () => run.sandbox.slack.messages.map((m) => m.body.text);
    expect(texts()).toEqual(['pb-jira-sync · PBJ: scheduled pass refused, 24 issues to write (limit 5)']);

    run.config.sync.maxChanges = 50;
    expect((await runScheduledPass(run.context(), () => null)).status).toBe('succeeded');
    expect(run.sandbox.jira.state.issues()).toHaveLength(24);
    const later = texts().slice(1);
    expect(later.filter((t) => t?.includes('refused'))).toEqual([]);
    expect(later).toContainEqual(expect.stringMatching(/^pb-jira-sync · PBJ: scheduled passes recovered/));
  });
});
