import { afterEach, describe, expect, it } from 'vitest';
import { generateWorkspace, isWriteRoute, type RequestLogEntry } from '../../src/sandbox/index.js';
import { startInProcess, type InProcess } from '../helpers/in-process.js';

// Request budgets for a small generated workspace, pinned so that a change that makes the engine
// chattier fails here rather than in production. Counts come from the sandbox's own request log.

const SIZE = { initiatives: 12, features: 120, subfeatures: 60, notes: 200 };
const ISSUES = SIZE.initiatives + SIZE.features + SIZE.subfeatures;
const PAGE = 100; // Productboard v2 pages, and search/jql pages when fields are asked for

let run: InProcess | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

const count = (log: readonly RequestLogEntry[], route: string) => log.filter((r) => r.route === route).length;
/**
 * The Jira lease a pass takes before its first write (README "Running unattended"): read, write,
 * read back to confirm; read and write again to release. A pass with nothing to write takes none.
 */
const LEASE = {
  reads: 3,
  writes: ['PUT /rest/api/3/project/{projectIdOrKey}/properties/{key}', 'PUT /rest/api/3/project/{projectIdOrKey}/properties/{key}'],
};
const writes = (log: readonly RequestLogEntry[]) => log.filter((r) => isWriteRoute(r.route));
const reads = (log: readonly RequestLogEntry[]) => log.filter((r) => !isWriteRoute(r.route));

describe('request budgets (120 features, 60 subfeatures, 12 initiatives, 200 notes)', () => {
  it('a first sync creates in bulk: at most ⌈issues/50⌉ create calls per level, nothing one at a time', async () => {
    run = await startInProcess({ workspace: generateWorkspace({ ...SIZE, seed: 3 }) });
    const report = await run.sync();
    expect(report.apply).toMatchObject({ failed: 0, pending: 0 });
    const log = run.sandbox.requests;
    expect(count(log, 'POST /rest/api/3/issue/bulk')).toBeLessThanOrEqual(
      Math.ceil(SIZE.initiatives / 50) + Math.ceil(SIZE.features / 50) + Math.ceil(SIZE.subfeatures / 50),
    );
    expect(count(log, 'POST /rest/api/3/issue')).toBe(0);
    // Results are matched by stamp: one bulk fetch per bulk create. Create screens: one read per created issue type.
    expect(count(log, 'POST /rest/api/3/issue/bulkfetch')).toBe(count(log, 'POST /rest/api/3/issue/bulk'));
    expect(count(log, 'GET /rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}')).toBe(3);
    expect(count(log, 'PUT /rest/api/3/issue/{id}')).toBe(0);
    // The unavoidable per-issue call: one remote link each.
    expect(count(log, 'POST /rest/api/3/issue/{id}/remotelink')).toBe(ISSUES);
    // Transitions are learned once per issue type, then carried by the bulk creates: only issues
    // of a type's first batch (created before its transitions were known) need a call of their own.
    expect(count(log, 'GET /rest/api/3/issue/{id}/transitions')).toBeLessThanOrEqual(3);
    const needsTransition = [...report.desired.issues.values()].filter(
      (i) => i.fields.statusCategory && i.fields.statusCategory !== 'new',
    ).length;
    const firstBatches = [...report.desired.issues.values()].filter(
      (i) => i.fields.statusCategory && i.fields.statusCategory !== 'new' && i.depth === 0,
    ).length; // epics: one batch
    expect(count(log, 'POST /rest/api/3/issue/{id}/transitions')).toBeLessThan(needsTransition);
    expect(needsTransition).toBeGreaterThan(firstBatches);
    // ...and every issue ends in the status category its Productboard status maps to.
    const statusOf = new Map(
      run.sandbox.jira.state.issues().map((i) => [i.labels.find((l) => /^pb-[0-9a-f]{8}-/.test(l))!.slice(3), i.status.categoryKey]),
    );
    for (const issue of report.desired.issues.values()) {
      if (issue.fields.statusCategory) expect(statusOf.get(issue.pbId)).toBe(issue.fields.statusCategory);
    }
    // Reads: the mapped types and the notes, page by page, once.
    expect(count(log, 'POST /v2/entities/search')).toBe(
      Math.ceil(SIZE.initiatives / PAGE) + Math.ceil(SIZE.features / PAGE) + Math.ceil(SIZE.subfeatures / PAGE),
    );
    expect(count(log, 'GET /v2/notes')).toBe(Math.ceil(SIZE.notes / PAGE));
  });

  // A full Productboard read: one request per page of 100 per mapped type, and per 100 notes.
  const fullProductboardRead = Math.ceil(SIZE.initiatives / PAGE) + Math.ceil(SIZE.features / PAGE) + Math.ceil(SIZE.subfeatures / PAGE);
  const notePages = Math.ceil(SIZE.notes / PAGE);
  const MAPPED_TYPES = 3;
  const QUARTER = 15 * 60_000; // the next scheduled pass

  it('a no-op rerun sends no write; it reads back only what the first sync wrote (delivery fields on every entity; no note)', async () => {
    run = await startInProcess({ workspace: generateWorkspace({ ...SIZE, seed: 3 }) });
    await run.sync();
    run.sandbox.resetRequestLog();
    const report = await run.sync();
    const log = run.sandbox.requests;
    expect(report.plan.counts).toMatchObject({ create: 0, update: 0, move: 0, adopt: 0 });
    expect(writes(log)).toEqual([]);
    expect(count(log, 'POST /v2/entities/search')).toBe(fullProductboardRead);
    expect(count(log, 'GET /v2/notes')).toBe(1);
    expect(log.find((r) => r.route === 'GET /v2/notes')!.query).toContain('updatedFrom=');
    // Jira: the project and the managed issues.
    expect(count(log, 'POST /rest/api/3/search/jql')).toBeLessThanOrEqual(Math.ceil(ISSUES / PAGE));
    expect(reads(log).length).toBeLessThanOrEqual(fullProductboardRead + 1 + 1 + Math.ceil(ISSUES / PAGE));
  });

  it('steady state: a no-op is one empty page per mapped type, one of notes, one of Jira and the project; 1% changed costs its writes and nothing more', async () => {
    run = await startInProcess({ workspace: generateWorkspace({ ...SIZE, seed: 3 }) });
    await run.sync();
    await run.sync(); // reads back what the first sync wrote: everything was updated since
    run.sandbox.age(QUARTER);
    run.sandbox.resetRequestLog();
    const quiet = await run.sync();
    expect(quiet.plan.counts).toMatchObject({ create: 0, update: 0, move: 0 });
    const idle = run.sandbox.requests;
    expect(count(idle, 'POST /v2/entities/search')).toBe(MAPPED_TYPES);
    expect(idle.filter((r) => r.route === 'POST /v2/entities/search').every((r) => !r.query.includes('pageCursor'))).toBe(true);
    expect(idle.find((r) => r.route === 'GET /v2/notes')!.query).toContain('updatedFrom=');
    expect(idle.map((r) => r.route).sort()).toEqual(
      [
        ...Array<string>(MAPPED_TYPES).fill('POST /v2/entities/search'),
        'GET /v2/notes',
        'POST /rest/api/3/search/jql',
        'GET /rest/api/3/project/{projectIdOrKey}',
      ].sort(),
    );

    const features = run.sandbox.productboard.state.list('feature').filter((f) => !f.archived);
    run.sandbox.age(QUARTER);
    for (const feature of features.slice(0, 2)) run.sandbox.productboard.state.rename(feature.id, `${feature.name} (revised)`);
    run.sandbox.resetRequestLog();
    const report = await run.sync();
    const log = run.sandbox.requests;
    expect(report.plan.counts).toMatchObject({ create: 0, update: 2, move: 0 });
    expect(writes(log).map((r) => r.route)).toEqual([
      LEASE.writes[0],
      'PUT /rest/api/3/issue/{id}',
      'PUT /rest/api/3/issue/{id}',
      LEASE.writes[1],
    ]);
    expect(reads(log).length).toBe(MAPPED_TYPES + 1 + 1 + 1 + LEASE.reads);
  });

  it('with sync.incrementalProductboard: false, every pass reads Productboard in full', async () => {
    run = await startInProcess({ workspace: generateWorkspace({ ...SIZE, seed: 3 }) });
    run.config.sync.incrementalProductboard = false;
    await run.sync();
    await run.sync();
    run.sandbox.age(QUARTER);
    run.sandbox.resetRequestLog();
    await run.sync();
    const log = run.sandbox.requests;
    expect(count(log, 'POST /v2/entities/search')).toBe(fullProductboardRead);
    expect(count(log, 'GET /v2/notes')).toBe(notePages);
    expect(log.find((r) => r.route === 'GET /v2/notes')!.query).not.toContain('updatedFrom=');
  });

  it('sync --full-read reads both services in full once, and the passes after it are incremental again', async () => {
    run = await startInProcess({ workspace: generateWorkspace({ ...SIZE, seed: 3 }) });
    await run.sync();
    await run.sync();
    run.sandbox.age(QUARTER);
    run.sandbox.resetRequestLog();
    await run.sync({ fullRead: true });
    expect(count(run.sandbox.requests, 'POST /v2/entities/search')).toBe(fullProductboardRead);
    expect(count(run.sandbox.requests, 'GET /v2/notes')).toBe(notePages);
    expect(count(run.sandbox.requests, 'POST /rest/api/3/search/jql')).toBeGreaterThanOrEqual(Math.ceil(ISSUES / PAGE));
    run.sandbox.age(QUARTER);
    run.sandbox.resetRequestLog();
    await run.sync();
    expect(count(run.sandbox.requests, 'POST /v2/entities/search')).toBe(MAPPED_TYPES);
    expect(run.sandbox.requests).toHaveLength(MAPPED_TYPES + 3);
  });

  it('an incremental Jira read still sees what people change in Jira', async () => {
    run = await startInProcess({ workspace: generateWorkspace({ ...SIZE, seed: 3 }) });
    await run.sync();
    await run.sync();
    const jira = run.sandbox.jira.state;
    run.sandbox.age(QUARTER);
    const story = jira.issues().find((i) => i.issueType.name === 'Story' && i.parentId)!;
    const otherEpic = jira.issues().find((i) => i.issueType.name === 'Epic' && i.id !== story.parentId)!;
    jira.moveIssue(story.key, otherEpic.key);
    run.sandbox.resetRequestLog();
    const report = await run.sync();
    expect(count(run.sandbox.requests, 'POST /rest/api/3/search/jql')).toBe(1);
    expect(report.plan.actions).toMatchObject([{ kind: 'move', jiraKey: story.key, fromParentKey: otherEpic.key }]);
    expect(jira.getIssue(story.key)!.parentId).toBe(story.parentId);
  });

  it('a full read happens when the mapping asks for it every time (fullReadEveryHours: 0), and sees deletions', async () => {
    run = await startInProcess({ workspace: generateWorkspace({ ...SIZE, seed: 3 }) });
    run.config.sync.fullReadEveryHours = 0;
    await run.sync();
    const feature = run.sandbox.productboard.state.list('feature').find((f) => !f.archived && f.linkedIds.length > 0)!;
    run.sandbox.productboard.state.delete(feature.id);
    run.sandbox.resetRequestLog();
    await run.sync();
    expect(count(run.sandbox.requests, 'GET /v2/notes')).toBe(Math.ceil(SIZE.notes / PAGE));
    const findings = await run.reconcile();
    expect(findings.findings.some((f) => f.kind === 'orphaned' && f.pbId === feature.id)).toBe(true);
  });
});
