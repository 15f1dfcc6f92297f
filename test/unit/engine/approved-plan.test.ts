import { describe, expect, it } from 'vitest';
import { approvePlan } from '../../../src/engine/approved-plan.js';
import { buildDesiredTree } from '../../../src/engine/desired-tree.js';
import { parsePlanFile, planFileText, savedPlanOf, type PlanSources } from '../../../src/engine/plan-file.js';
import { plan } from '../../../src/engine/planner.js';
import { isSyncError } from '../../../src/errors.js';
import { resolveIssueTypes } from '../../../src/mapping/resolve-issue-types.js';
import { buildObservedTree, type ObservedIssue } from '../../../src/model/observed.js';
import type { SavedPlan } from '../../../src/model/saved-plan.js';
import type { SourceGraph } from '../../../src/model/source.js';
import { catalog, graph, observedFrom, shippedMapping, smallWorkspace, stamp } from '../../helpers/builders.js';

const mapping = shippedMapping();
const types = resolveIssueTypes(mapping, catalog);

/** Both systems as a pass reads them, and the plan computed from them. */
function world(g: SourceGraph, issues: ObservedIssue[] = []) {
  const observed = buildObservedTree(issues);
  const desired = buildDesiredTree(g, mapping, types);
  const sources: PlanSources = { project: 'PBJ', mapping, graph: g, desired, observed };
  return { sources, plan: plan({ desired, observed, links: new Map(), now: 0, settleMs: 0 }) };
}

/** Saved the way `--out` saves it, and read back the way `--plan` reads it. */
const save = (w: ReturnType<typeof world>): SavedPlan =>
  parsePlanFile(
    planFileText(savedPlanOf(w.plan, w.sources, { runId: 'dry-1', createdAt: Date.parse('2026-11-29T10:00:00Z') })),
    'plan.json',
  );

/** The refusal's detail lines (it must be a stale-plan error). */
function refusal(run: () => unknown): { message: string; details: string[] } {
  try {
    run();
  } catch (error) {
    if (isSyncError(error) && error.kind === 'stale-plan') return { message: error.message, details: error.details };
    throw error;
  }
  throw new Error('the plan was not refused');
}

const ws = smallWorkspace();
/** The initiative already has its Epic, with the stamp a sync writes. */
const epic = observedFrom({ id: '10', key: 'PBJ-10', pbId: ws.initiative.id, issueTypeId: '1', issueTypeName: 'Epic', level: 1 });

describe('sync --plan: a saved plan is applied exactly, or refused naming what changed', () => {
  it('unchanged since it was saved: every action is approved, payloads intact, nothing left out', () => {
    const saved = save(world(ws.graph, [epic]));
    const now = world(ws.graph, [epic]);
    const { plan: approved, approval } = approvePlan(saved, now.plan, now.sources);
    expect(approved.actions).toEqual(now.plan.actions);
    expect(approved.counts).toEqual(now.plan.counts);
    expect(approval).toEqual({ createdAt: '2026-11-29T10:00:00.000Z', runId: 'dry-1', leftOut: [] });
  });

  it('an item renamed in Productboard since: refused, naming that item and Productboard, not its untouched children', () => {
    const saved = save(world(ws.graph, [epic]));
    const renamed = { ...ws.feature, name: 'Custom domains v2', updatedAt: '2026-11-29T11:00:00Z' };
    const now = world(graph([ws.initiative, ws.other, renamed, ws.subfeature]), [epic]);
    const { message, details } = refusal(() => approvePlan(saved, now.plan, now.sources));
    const writes = saved.actions.filter((a) => a.kind !== 'skip').length;
    expect(writes).toBeGreaterThan(2);
    expect(message).toContain(`the saved plan is stale: 1 of its ${writes} changes no longer matches`);
    expect(details).toEqual([`+ create "Custom domains" (${ws.feature.id}): changed in Productboard (updated 2026-11-29T11:00:00Z)`]);
  });

  it('an item touched only by our own write-back (updatedAt bumped, nothing the mapping reads): approved as saved', () => {
    const story = observedFrom({ id: '11', key: 'PBJ-11', pbId: ws.feature.id, parentId: '10', parentKey: 'PBJ-10', summary: 'Old name' });
    const saved = save(world(ws.graph, [epic, story]));
    expect(saved.actions.some((a) => a.pbId === ws.feature.id && a.kind === 'update')).toBe(true);
    const written = { ...ws.feature, updatedAt: '2026-11-29T11:00:00Z' };
    const now = world(graph([ws.initiative, ws.other, written, ws.subfeature]), [epic, story]);
    const { plan: approved, approval } = approvePlan(saved, now.plan, now.sources);
    expect(approved.actions).toEqual(now.plan.actions);
    expect(approval.leftOut).toEqual([]);
  });

  it('a new tag on an item with a reviewed move: the move is refused too, though its payload does not show tags', () => {
    const epicOther = observedFrom({ id: '12', key: 'PBJ-12', pbId: ws.other.id, issueTypeId: '1', issueTypeName: 'Epic', level: 1 });
    const story = observedFrom({
      id: '11',
      key: 'PBJ-11',
      pbId: ws.feature.id,
      parentId: '10',
      parentKey: 'PBJ-10',
      summary: 'Custom domains',
    });
    const relinked = { ...ws.feature, links: [{ id: ws.other.id, type: 'initiative' }] };
    const before = world(graph([ws.initiative, ws.other, relinked, ws.subfeature]), [epic, epicOther, story]);
    const saved = save(before);
    expect(saved.actions.filter((a) => a.pbId === ws.feature.id).map((a) => a.kind)).toContain('move');
    const tagged = { ...relinked, tags: [...relinked.tags, 'beta'], updatedAt: '2026-11-29T11:00:00Z' };
    const now = world(graph([ws.initiative, ws.other, tagged, ws.subfeature]), [epic, epicOther, story]);
    const { details } = refusal(() => approvePlan(saved, now.plan, now.sources));
    expect(details).toContain(`> move PBJ-11 "Custom domains" (${ws.feature.id}): changed in Productboard (updated 2026-11-29T11:00:00Z)`);
  });

  it('an issue edited in Jira since: refused, naming the issue and Jira', () => {
    const story = observedFrom({ id: '11', key: 'PBJ-11', pbId: ws.feature.id, parentId: '10', parentKey: 'PBJ-10', summary: 'Old name' });
    const saved = save(world(ws.graph, [epic, story]));
    const edited = { ...story, summary: 'Retitled in Jira' };
    const now = world(ws.graph, [epic, edited]);
    const { details } = refusal(() => approvePlan(saved, now.plan, now.sources));
    expect(details).toEqual([`~ update PBJ-11 "Custom domains" (${ws.feature.id}): PBJ-11 changed in Jira`]);
  });

  it('its parent created by another pass in the meantime: refused as changed, though neither item changed', () => {
    const saved = save(world(ws.graph));
    const now = world(ws.graph, [epic]);
    const { details } = refusal(() => approvePlan(saved, now.plan, now.sources));
    expect(details).toEqual([
      `+ create PBJ-10 "Self-service hubs" (${ws.initiative.id}): PBJ-10 now exists in Jira for it`,
      `+ create "Custom domains" (${ws.feature.id}): its parent in Jira is not the one the plan saw`,
    ]);
  });

  it('an action removed from the file by hand is not applied (left for the next pass); one edited by hand is refused', () => {
    const removed = save(world(ws.graph, [epic]));
    removed.actions = removed.actions.filter((a) => a.pbId !== ws.subfeature.id);
    const now = world(ws.graph, [epic]);
    const { plan: approved, approval } = approvePlan(removed, now.plan, now.sources);
    expect(approved.actions.map((a) => a.pbId)).not.toContain(ws.subfeature.id);
    expect(approval.leftOut.map((a) => [a.kind, a.pbId])).toEqual([['create', ws.subfeature.id]]);

    const edited = save(world(ws.graph, [epic]));
    const feature = edited.actions.find((a) => a.pbId === ws.feature.id) as unknown as { issue: { fields: { summary: string } } };
    feature.issue.fields.summary = 'Something else';
    expect(refusal(() => approvePlan(edited, now.plan, now.sources)).details).toEqual([
      `+ create "Custom domains" (${ws.feature.id}): the plan for it changed (the ledger or a related item changed)`,
    ]);
  });

  it('components and versions the plan adds to the project are applied as saved; one that came up since waits', () => {
    const w = world(ws.graph, [epic]);
    const hub = { kind: 'component' as const, name: 'Hub experience' };
    const saved = save({ ...w, plan: { ...w.plan, additions: [hub] } });
    expect(saved.additions).toEqual([hub]);
    const now = { ...w.plan, additions: [hub, { kind: 'version' as const, name: '2027.1' }] };
    expect(approvePlan(saved, now, w.sources).plan.additions).toEqual([hub]);
    // A file saved without additions adds nothing to the project.
    expect(approvePlan(save(w), now, w.sources).plan.additions).toBeUndefined();
  });

  it('saved for another mapping or another project: refused as a whole', () => {
    const saved = save(world(ws.graph, [epic]));
    const now = world(ws.graph, [epic]);
    const otherMapping = { ...now.sources, mapping: shippedMapping('feature-as-epic') };
    expect(refusal(() => approvePlan(saved, now.plan, otherMapping)).message).toContain(
      'the saved plan cannot be applied: the mapping (mappings/feature-as-epic.yaml) changed since the plan was saved',
    );
    expect(refusal(() => approvePlan(saved, now.plan, { ...now.sources, project: 'OPS' })).message).toContain(
      'the plan was saved for Jira project PBJ, but this configuration syncs OPS',
    );
  });

  it('the mapping hash ignores layout: the same rules loaded again give the same hash', () => {
    const saved = save(world(ws.graph, [epic]));
    const again = { ...world(ws.graph, [epic]).sources, mapping: shippedMapping() };
    expect(() => approvePlan(saved, world(ws.graph, [epic]).plan, again)).not.toThrow();
  });
});

describe('plan files are read strictly', () => {
  it('not JSON, another schema version, or another shape: a config error naming the file and what is wrong', () => {
    const read = (text: string) => {
      try {
        parsePlanFile(text, 'plan.json');
      } catch (error) {
        return isSyncError(error) ? `${error.kind}: ${error.message} ${error.details.join(' | ')}` : String(error);
      }
      return 'accepted';
    };
    expect(read('{')).toMatch(/^config: plan\.json is not a plan file: /);
    expect(read('{"schemaVersion": 2}')).toBe(
      'config: plan.json is a plan file of schema version 2; this pb-jira-sync reads version 1: save the plan again ',
    );
    const valid = JSON.parse(
      planFileText(savedPlanOf(world(ws.graph).plan, world(ws.graph).sources, { runId: 'r', createdAt: 0 })),
    ) as Record<string, unknown>;
    expect(read(JSON.stringify(valid))).toBe('accepted');
    expect(read(JSON.stringify({ ...valid, project: 42, extra: true }))).toMatch(
      /^config: plan\.json is not a plan file saved by `sync --dry-run --out` .*project: .*expected string.*\| \(top\): Unrecognized key: "extra"/,
    );
  });
});

describe('what an action was computed from', () => {
  it('a stamp on the issue is part of the Jira side; the insights linked to an item are part of the Productboard side', () => {
    const story = observedFrom({ id: '11', key: 'PBJ-11', pbId: ws.feature.id, parentId: '10', parentKey: 'PBJ-10' });
    const before = savedPlanOf(world(ws.graph, [epic, story]).plan, world(ws.graph, [epic, story]).sources, { runId: 'r', createdAt: 0 });
    const stamped = { ...story, stamp: stamp(ws.feature.id, 'feature', { labels: ['x'] }) };
    const note = { id: 'n1', name: 'Customer asks', url: null, linkedIds: [ws.feature.id], createdAt: '2026-01-01T00:00:00Z' };
    const after = world(graph([ws.initiative, ws.other, ws.feature, ws.subfeature], [note]), [epic, stamped]);
    const inputs = savedPlanOf(after.plan, after.sources, { runId: 'r', createdAt: 0 }).inputs[ws.feature.id]!;
    expect(inputs.jira).toEqual({ key: 'PBJ-11', hash: expect.stringMatching(/^sha256:[0-9a-f]{32}$/) });
    expect(inputs.jira!.hash).not.toBe(before.inputs[ws.feature.id]!.jira!.hash);
    expect(inputs.productboard!.updatedAt).toBe(before.inputs[ws.feature.id]!.productboard!.updatedAt);
    expect(inputs.productboard!.hash).not.toBe(before.inputs[ws.feature.id]!.productboard!.hash);
  });
});
