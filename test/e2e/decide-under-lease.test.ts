import { describe, expect, it } from 'vitest';
import type { PassContext } from '../../src/engine/pass.js';
import { parsePlanFile, planFileText, savedPlanOf } from '../../src/engine/plan-file.js';
import { runSync, type PlannedSync, type SyncOptions } from '../../src/engine/run-sync.js';
import { WRITER_PROPERTY_KEY } from '../../connectors/jira/jira-target.js';
import { seedIds } from '../../src/sandbox/index.js';
import { startingInProcess, type InProcess } from '../helpers/in-process.js';

// A pass that creates, after another ledger wrote to the project too recently for its read to show
// it, reads and decides again under the Jira lease. What it then applies is that last plan: the
// one shown before the first write (`onPlanned`), checked against the saved plan (`--plan`) and
// against the change limit (`--max-changes`). The sandbox changes while the pass waits for the
// lease, between its first decision and the one it applies.

const start = startingInProcess();
const themes = seedIds.featureWithSubfeatures;
const issueOf = (run: InProcess, pbId: string) => run.sandbox.jira.state.issues().find((i) => i.labels.includes(`pb-${pbId}`));

/** A project where a writer of another ledger just wrote: the next pass that creates reads again under the lease. */
function anotherLedgerJustWrote(run: InProcess): void {
  run.sandbox.jira.state.projectProperties.set(WRITER_PROPERTY_KEY, {
    v: 1,
    holder: null,
    heartbeatAt: run.clock.now(),
    lastWrite: { at: run.clock.now(), ledger: 'another-ledger' },
  });
}

/** The in-process context, with `meanwhile` run once at the first wait (taking the Jira lease), after the first read. */
function contextWith(run: InProcess, meanwhile: () => void): PassContext {
  const context = run.context();
  let pending: (() => void) | undefined = meanwhile;
  return {
    ...context,
    clock: {
      now: () => context.clock.now(),
      sleep: (ms, signal) => {
        pending?.();
        pending = undefined;
        return context.clock.sleep(ms, signal);
      },
    },
  };
}

async function syncWith(context: PassContext, options: SyncOptions = {}) {
  const planned: PlannedSync[] = [];
  const run = runSync(context, { dryRun: false, ...options, onPlanned: (p) => planned.push(p) });
  return { result: await run.catch((error: unknown) => error), planned };
}

const addSubfeature = (run: InProcess, name: string) =>
  run.sandbox.productboard.state.addEntity({ type: 'subfeature', name, parentId: themes });

describe('a pass that decides again under the Jira lease', () => {
  it('shows the plan it applies (the one decided under the lease), once, before the first write', async () => {
    const run = await start();
    await run.sync();
    const added = addSubfeature(run, 'Font picker');
    anotherLedgerJustWrote(run);

    const { result, planned } = await syncWith(
      contextWith(run, () => run.sandbox.productboard.state.rename(added, 'Font and icon picker')),
    );
    expect(planned).toHaveLength(1);
    const creates = planned[0]!.plan.actions.filter((a) => a.kind === 'create');
    expect(creates.map((a) => a.name)).toEqual(['Font and icon picker']);
    expect(result).toMatchObject({ plan: planned[0]!.plan, apply: { applied: 1, failed: 0 } });
    expect(issueOf(run, added)?.summary).toContain('Font and icon picker');
  });

  it('a saved plan is checked again against that plan: a change that came up meanwhile is left out, never applied unreviewed', async () => {
    const run = await start();
    await run.sync();
    const reviewed = addSubfeature(run, 'Font picker');
    const dry = await run.sync({ dryRun: true });
    const sources = {
      project: dry.project.key,
      mapping: run.config.mapping,
      graph: dry.graph,
      desired: dry.desired,
      observed: dry.observed,
    };
    const approved = parsePlanFile(planFileText(savedPlanOf(dry.plan, sources, { runId: dry.runId, createdAt: Date.now() })), 'plan.json');
    anotherLedgerJustWrote(run);

    let unreviewed = '';
    const { result, planned } = await syncWith(
      contextWith(run, () => {
        unreviewed = addSubfeature(run, 'Icon picker');
      }),
      { approved },
    );
    expect(planned).toHaveLength(1);
    expect(planned[0]!.plan.actions.filter((a) => a.kind === 'create').map((a) => a.pbId)).toEqual([reviewed]);
    expect(planned[0]!.approval?.leftOut.map((a) => [a.kind, a.pbId])).toEqual([['create', unreviewed]]);
    expect(result).toMatchObject({ apply: { applied: 1, failed: 0 } });
    expect(issueOf(run, reviewed)).toBeDefined();
    expect(issueOf(run, unreviewed)).toBeUndefined();
  });

  it('a saved plan made stale meanwhile is refused; nothing is shown and nothing is written', async () => {
    const run = await start();
    await run.sync();
    const reviewed = addSubfeature(run, 'Font picker');
    const dry = await run.sync({ dryRun: true });
    const sources = {
      project: dry.project.key,
      mapping: run.config.mapping,
      graph: dry.graph,
      desired: dry.desired,
      observed: dry.observed,
    };
    const approved = parsePlanFile(planFileText(savedPlanOf(dry.plan, sources, { runId: dry.runId, createdAt: Date.now() })), 'plan.json');
    anotherLedgerJustWrote(run);
    const issues = run.sandbox.jira.state.issues().length;

    const { result, planned } = await syncWith(
      contextWith(run, () => run.sandbox.productboard.state.rename(reviewed, 'Font and icon picker')),
      { approved },
    );
    expect(result).toMatchObject({ kind: 'stale-plan', details: [expect.stringContaining(`(${reviewed}): changed in Productboard`)] });
    expect(planned).toEqual([]);
    expect(run.sandbox.jira.state.issues()).toHaveLength(issues);
  });

  it('the change limit applies to that plan: more changes meanwhile refuse the pass before any write, and Slack is told', async () => {
    const run = await start();
    await run.sync();
    addSubfeature(run, 'Font picker');
    anotherLedgerJustWrote(run);
    const issues = run.sandbox.jira.state.issues().length;
    const [first, second] = seedIds.subfeaturesOfFeature;

    const { result, planned } = await syncWith(
      contextWith(run, () => {
        run.sandbox.productboard.state.rename(first!, 'Logo upload (SVG too)');
        run.sandbox.productboard.state.rename(second!, 'Colour palette editor');
      }),
      { maxChanges: 2 },
    );
    expect(result).toMatchObject({ kind: 'too-many-changes', refusal: { issues: 3, limit: 2 } });
    expect(planned).toEqual([]);
    expect(run.sandbox.jira.state.issues()).toHaveLength(issues);
    expect(issueOf(run, first!)?.summary).not.toContain('SVG');
    expect(run.sandbox.slack.messages.map((m) => m.body.text)).toContain('pb-jira-sync · PBJ: sync refused, 3 issues to write (limit 2)');
  });
});
