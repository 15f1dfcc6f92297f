import { afterEach, describe, expect, it } from 'vitest';
import { diffSnapshots, generateWorkspace, snapshotJira, type PbBehaviour, type Sandbox } from '../../src/sandbox/index.js';
import { formatPlan } from '../../src/report/format-plan.js';
import { syncReportJson } from '../../src/report/plan-json.js';
import { takeViolations } from '../helpers/contract-guard.js';
import { startInProcess, type InProcess } from '../helpers/in-process.js';
import { schemaProblems } from '../helpers/output-schemas.js';

// The sync against the sandbox answering where Productboard's documents contradict themselves (src/sandbox/productboard/
// behaviour.ts): each choice, and all of them at once, must give the Jira tree the schema-shaped answers give.

const SIZE = { initiatives: 6, features: 150, subfeatures: 40, notes: 160, seed: 11 };

let runs: InProcess[] = [];
afterEach(async () => {
  await Promise.all(runs.map((r) => r.close()));
  runs = [];
});

async function start(behaviour: Partial<PbBehaviour> = {}): Promise<InProcess> {
  const run = await startInProcess({ workspace: generateWorkspace(SIZE), productboard: behaviour });
  runs.push(run);
  return run;
}

/** Contract violations of the sandbox's own Note answers in the examples' shape: expected, the documents disagree. */
function takeNoteShapeViolations(sandbox: Sandbox): string[] {
  const found = takeViolations(sandbox);
  const other = found.filter((v) => !(v.side === 'response' && /^GET \/notes/.test(v.operation)));
  expect(other, 'violations other than the Note shape').toEqual([]);
  return [...new Set(found.map((v) => v.pointer.replace(/\/\d+\//, '/*/')))].sort();
}

let reference: ReturnType<typeof snapshotJira> | undefined;
async function referenceTree() {
  if (!reference) {
    const run = await start();
    const report = await run.sync();
    expect(report.apply).toMatchObject({ failed: 0, pending: 0 });
    expect(report.graph.rejected).toEqual([]);
    reference = snapshotJira(run.sandbox.jira.state);
    // Epics, stories and sub-tasks, with insights listed on stories: a tree worth comparing.
    expect(reference.size).toBe(report.desired.issues.size);
    expect(reference.size).toBeGreaterThan(SIZE.features);
    expect(report.graph.notes.some((n) => n.linkedIds.length > 0)).toBe(true);
  }
  return reference;
}

describe('issue 9: the sync gives the same Jira tree whichever way Productboard resolves its contradictions', () => {
  it("issue 9 §1: notes in the examples' shape give the same insights", async () => {
    const expected = await referenceTree();
    const run = await start({ noteShape: 'examples' });
    const report = await run.sync();
    expect(report.graph.rejected).toEqual([]);
    expect(report.graph.notes.length).toBeGreaterThan(0);
    expect(diffSnapshots(expected, snapshotJira(run.sandbox.jira.state))).toEqual([]);
    // The sandbox's answers break the schema exactly where the examples do.
    expect(takeNoteShapeViolations(run.sandbox)).toEqual(['/data/*/createdAt', '/data/*/relationships', '/data/*/updatedAt']);
  });

  it('issue 9 §2: a search next link pointing at GET /v2/entities gives the same tree; nothing is POSTed there', async () => {
    const expected = await referenceTree();
    const run = await start({ searchNextLink: 'list' });
    await run.sync();
    expect(diffSnapshots(expected, snapshotJira(run.sandbox.jira.state))).toEqual([]);
    const posts = run.sandbox.requests.filter((r) => r.service === 'productboard' && r.method === 'POST');
    expect(new Set(posts.map((r) => r.route))).toEqual(new Set(['POST /v2/entities/search']));
    expect(posts.filter((r) => r.query.includes('pageCursor=')).length).toBeGreaterThan(0);
  });

  it('issue 9 §3: relationships omitted from search results are read per entity: the same tree, one request per entity', async () => {
    const expected = await referenceTree();
    const run = await start({ listRelationships: 'omitted' });
    const report = await run.sync();
    expect(diffSnapshots(expected, snapshotJira(run.sandbox.jira.state))).toEqual([]);
    const entities = report.graph.items.size + report.graph.rejected.length;
    const relationshipReads = run.sandbox.requests.filter((r) => r.route === 'GET /v2/entities/{id}/relationships').length;
    // The measured cost: one request per entity read (no entity here has more than a page of relationships).
    expect(relationshipReads).toBe(entities);
  });

  it('every contradiction at once (and no updatedAt bump on relationship changes) gives the same tree', async () => {
    const expected = await referenceTree();
    const run = await start({
      noteShape: 'examples',
      searchNextLink: 'list',
      listRelationships: 'omitted',
      relationshipChangesBumpUpdatedAt: false,
    });
    const report = await run.sync();
    expect(report.apply).toMatchObject({ failed: 0, pending: 0 });
    expect(diffSnapshots(expected, snapshotJira(run.sandbox.jira.state))).toEqual([]);
    takeNoteShapeViolations(run.sandbox);
  });
});

describe('issue 9 §13: re-links and incremental reads', () => {
  /** Moves a subfeature under another feature and links a feature to another initiative, in a workspace where that bumps no updatedAt. */
  function relink(run: InProcess) {
    const pb = run.sandbox.productboard.state;
    expect(pb.behaviour.relationshipChangesBumpUpdatedAt).toBe(false);
    const sub = pb.list('subfeature').find((s) => !s.archived && s.parentId)!;
    const otherFeature = pb.list('feature').find((f) => !f.archived && f.id !== sub.parentId && f.linkedIds.length > 0)!;
    const feature = pb.list('feature').find((f) => !f.archived && f.linkedIds.length === 1 && f.id !== otherFeature.id)!;
    const otherInitiative = pb.list('initiative').find((i) => !i.archived && i.id !== feature.linkedIds[0])!;
    const before = [pb.get(sub.id)!.updatedAt, pb.get(feature.id)!.updatedAt];
    pb.setParent(sub.id, otherFeature.id);
    pb.unlink(feature.id, feature.linkedIds[0]!);
    pb.link(feature.id, otherInitiative.id);
    expect([pb.get(sub.id)!.updatedAt, pb.get(feature.id)!.updatedAt]).toEqual(before);
    return { sub: sub.id, feature: feature.id };
  }

  /** Two passes (the second reads back what the first wrote), then a quarter of an hour passes. */
  async function settled(run: InProcess) {
    await run.sync();
    await run.sync();
    run.sandbox.age(15 * 60_000);
  }
  const movesOf = (report: Awaited<ReturnType<InProcess['sync']>>) =>
    report.plan.actions
      .filter((a) => a.kind === 'move')
      .map((a) => a.pbId)
      .sort();

  it('with sync.incrementalProductboard: false, the next pass moves both issues (Productboard is read in full)', async () => {
    const run = await start({ relationshipChangesBumpUpdatedAt: false });
    run.config.sync.incrementalProductboard = false;
    await settled(run);
    const moved = relink(run);
    const report = await run.sync();
    expect(movesOf(report)).toEqual([moved.sub, moved.feature].sort());
    expect(report.apply.failed).toBe(0);
  });

  it('by default (incremental), the same re-link waits for the next full read: sync --full-read, or fullReadEveryHours', async () => {
    const run = await start({ relationshipChangesBumpUpdatedAt: false });
    expect(run.config.sync).toMatchObject({ incrementalProductboard: true, fullReadEveryHours: 6 });
    await settled(run);
    const moved = relink(run);
    // The incremental read cannot see it: nothing was updated. The plan says what it read, and when everything is read again.
    const partial = await run.sync();
    expect(movesOf(partial)).toEqual([]);
    expect(partial.reads.productboard).toMatchObject({ kind: 'changes' });
    const due = partial.reads.productboard?.kind === 'changes' ? Date.parse(partial.reads.productboard.fullReadDue) : NaN;
    expect(due - Date.now()).toBeGreaterThan(5 * 3_600_000);
    expect(due - Date.now()).toBeLessThanOrEqual(6 * 3_600_000);
    expect(formatPlan(partial)).toMatch(
      /Read only what changed \(Productboard since .* UTC, Jira since .* UTC\); everything is read again after .* UTC, or now with --full-read/,
    );
    expect(schemaProblems('sync', syncReportJson(partial))).toEqual([]);
    run.sandbox.age(15 * 60_000);
    // A full read (asked for here; the periodic one reads the same way) moves both.
    const full = await run.sync({ fullRead: true });
    expect(movesOf(full)).toEqual([moved.sub, moved.feature].sort());
    expect(full.apply.failed).toBe(0);
    expect(full.reads).toEqual({ productboard: { kind: 'full' }, jira: { kind: 'full' } });
    expect(formatPlan(full)).not.toContain('Read only what changed');
    expect(schemaProblems('sync', syncReportJson(full))).toEqual([]);
  });

  it('where a re-link bumps updatedAt, the incremental read sees it at the next pass', async () => {
    const run = await start({ relationshipChangesBumpUpdatedAt: true });
    await settled(run);
    const pb = run.sandbox.productboard.state;
    const sub = pb.list('subfeature').find((s) => !s.archived && s.parentId)!;
    const otherFeature = pb.list('feature').find((f) => !f.archived && f.id !== sub.parentId && f.linkedIds.length > 0)!;
    pb.setParent(sub.id, otherFeature.id);
    run.sandbox.resetRequestLog();
    const report = await run.sync();
    expect(movesOf(report)).toEqual([sub.id]);
    expect(run.sandbox.requests.filter((r) => r.route === 'GET /v2/notes').every((r) => r.query.includes('updatedFrom='))).toBe(true);
  });
});

describe('issue 10 H1: endless cursors in the sandbox', () => {
  it('an endless search cursor ends the pass with an invalid-response naming the endpoint, in a few requests', async () => {
    const run = await start({ endlessSearchCursor: true });
    await expect(run.sync()).rejects.toMatchObject({
      kind: 'invalid-response',
      service: 'productboard',
      endpoint: 'POST /v2/entities/search',
      message: expect.stringContaining('links.next repeats a cursor already followed'),
    });
    // Two pages per mapped type at most, whichever type met the loop first.
    expect(run.sandbox.requests.filter((r) => r.route === 'POST /v2/entities/search').length).toBeLessThanOrEqual(2 * 3);
  });

  it('an endless notes cursor, the same', async () => {
    const run = await start({ endlessNotesCursor: true });
    await expect(run.sync()).rejects.toMatchObject({ kind: 'invalid-response', endpoint: 'GET /v2/notes' });
    expect(run.sandbox.requests.filter((r) => r.route === 'GET /v2/notes').length).toBe(2);
  });
});

describe('nothing dropped silently: records Productboard returned that the pass could not read', () => {
  it('are counted and listed with id and reason under "Not read from Productboard" in the plan and in --json, entities without an id included', async () => {
    const run = await start();
    const pb = run.sandbox.productboard.state;
    const [noId, badDate] = pb.list('feature').filter((f) => !f.archived);
    pb.corruptions.set(noId!.id, (json) => ({ ...json, id: '' }));
    pb.corruptions.set(badDate!.id, (json) => ({ ...json, fields: { ...(json.fields as object), timeframe: { endDate: '2026-02-30' } } }));
    const report = await run.sync({ dryRun: true });
    // The sandbox's own answers are corrupt on purpose: the contract checks see it.
    expect(takeViolations(run.sandbox).map((v) => v.pointer)).toContain('/data/0/id');
    const text = formatPlan(report);
    expect(text).toContain('Not read from Productboard (2)');
    expect(text).toContain(`  ? feature (no id) ${JSON.stringify(noId!.name)}: no id`);
    expect(text).toContain(
      `  ? feature ${badDate!.id} ${JSON.stringify(badDate!.name)}: timeframe.endDate "2026-02-30" is not a YYYY-MM-DD date`,
    );
    expect(schemaProblems('sync', syncReportJson(report))).toEqual([]);
    expect(syncReportJson(report).plan.notRead).toEqual({
      count: 2,
      items: expect.arrayContaining([
        { pbId: null, pbType: 'feature', name: noId!.name, reason: 'no id' },
        { pbId: badDate!.id, pbType: 'feature', name: badDate!.name, reason: 'timeframe.endDate "2026-02-30" is not a YYYY-MM-DD date' },
      ]),
    });
  });
});

describe('issue 9 §4: merged entities in the sandbox', () => {
  it("a search result merged away before its relationships are read: the sandbox's 308 is followed to the survivor", async () => {
    const run = await start({ listRelationships: 'omitted', mergedEntities: 'redirect' });
    const pb = run.sandbox.productboard.state;
    const [merged, survivor] = pb.list('feature').filter((f) => !f.archived && f.linkedIds.length > 0);
    pb.merge(merged!.id, survivor!.id);
    // The search page was written just before the merge: it still lists the merged-away id.
    pb.corruptions.set(survivor!.id, (json) => ({ ...json, id: merged!.id }));
    const report = await run.sync({ dryRun: true });
    expect(report.graph.rejected).toEqual([]);
    expect(
      report.graph.items
        .get(merged!.id)!
        .links.map((l) => l.id)
        .sort(),
    ).toEqual(pb.get(survivor!.id)!.linkedIds.slice().sort());
    const reads = run.sandbox.requests.filter((r) => r.path.endsWith('/relationships') && r.path.includes(merged!.id));
    expect(reads.map((r) => r.status)).toEqual([308]);
    expect(run.sandbox.requests.some((r) => r.path === `/v2/entities/${survivor!.id}/relationships` && r.status === 200)).toBe(true);
    // The 308 is in the changelog (v2 2026-10-26), not among the operation's documented responses: the check says so.
    expect(takeViolations(run.sandbox).map((v) => [v.operation, v.status])).toEqual([['GET /entities/{id}/relationships', 308]]);
  });
});
