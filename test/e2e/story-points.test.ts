import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMappingSource } from '../../src/mapping/load-mapping.js';
import { syncReportJson } from '../../src/report/plan-json.js';
import { buildSeedWorkspace, isWriteRoute, seedIds, type Sandbox } from '../../src/sandbox/index.js';
import { parseLocatedYaml } from '../../src/util/located-yaml.js';
import { repoPath } from '../helpers/builders.js';
import { startingInProcess, type InProcess } from '../helpers/in-process.js';
import { startE2E } from './harness.js';
import { schemaProblems } from '../helpers/output-schemas.js';

// Story points back into Productboard (mappings/README.md, "Story points"): the real engine in-process
// against the sandbox, whose Jira has a team-managed project's "Story point estimate" number field on
// the Story and Sub-task screens, and whose Productboard workspace has a "Story points" number field.

const start = startingInProcess();

const POINTS_FIELD = { id: 'customfield_10016', name: 'Story point estimate', type: 'number' as const };
const SCREEN = { fields: ['description', 'labels', 'duedate', 'parent', 'Story point estimate'] };
const QUARTER = 15 * 60_000;

/** The shipped default mapping, with story points read from Jira (`ref`) and written to Productboard (`pbField`). */
function mappingTextWithPoints(ref = 'Story point estimate', pbField = 'Story points'): string {
  const shipped = readFileSync(repoPath('mappings/default.yaml'), 'utf8');
  return shipped.replace('writeBack:\n  fields:\n', `writeBack:\n  storyPoints: ${ref}\n  fields:\n    storyPoints: ${pbField}\n`);
}

function mappingWithPoints(ref?: string) {
  const compiled = compileMappingSource(parseLocatedYaml(mappingTextWithPoints(ref), 'mappings/points.yaml'));
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return compiled.mapping;
}

/** The seed workspace with a "Story points" number field on every mapped type, and a Jira whose stories are estimated. */
function sandboxWithPoints() {
  const workspace = buildSeedWorkspace();
  workspace.customFields = [
    ...(workspace.customFields ?? []),
    {
      id: '5e0e7a51-0000-4000-8000-00000000a001',
      name: 'Story points',
      kind: 'number',
      entityTypes: ['initiative', 'feature', 'subfeature'],
    },
  ];
  return { workspace, jira: { customFields: [POINTS_FIELD], screens: { Story: SCREEN, 'Sub-task': SCREEN } } };
}

async function startWithPoints(): Promise<InProcess> {
  const run = await start(sandboxWithPoints());
  run.config.mapping = mappingWithPoints();
  return run;
}

const shown = (sb: Sandbox, pbId: string) => sb.productboard.state.get(pbId)!.customFields;
const issueOf = (sb: Sandbox, pbId: string) => sb.jira.state.issues().find((i) => i.labels.includes(`pb-${pbId}`))!;
const storiesOf = (sb: Sandbox, epicPbId: string) => {
  const epic = issueOf(sb, epicPbId);
  return sb.jira.state.issues().filter((i) => i.parentId === epic.id);
};
const productboardWrites = (sb: Sandbox) => sb.requests.filter((r) => r.service === 'productboard' && isWriteRoute(r.route));

describe('story points rolled up into Productboard', () => {
  it('the Epic shows the sum of its Stories’ points and progress weighted by them; a pointed Story done moves it by its share; a rerun writes nothing', async () => {
    const run = await startWithPoints();
    const sb = run.sandbox;
    expect((await run.sync()).apply.failed).toBe(0);
    const epic = seedIds.initiatives.selfService;
    // Nothing estimated yet: progress by count (one Story a third done, two not started), no points shown.
    const stories = storiesOf(sb, epic);
    expect(stories.map((s) => s.summary).sort()).toEqual(['Custom hub themes', 'High-contrast theme', 'Per-hub environment images']);
    expect(shown(sb, epic)['Delivery progress']).toBe(11);
    expect(shown(sb, epic)['Story points']).toBeUndefined();

    // People estimate in Jira: 5 for the Story a third done (by its sub-tasks), 3 and 2 for the two not started.
    const byName = new Map(stories.map((s) => [s.summary, s]));
    const themes = byName.get('Custom hub themes')!;
    const contrast = byName.get('High-contrast theme')!;
    const images = byName.get('Per-hub environment images')!;
    sb.jira.state.setField(themes.key, 'Story point estimate', 5);
    sb.jira.state.setField(contrast.key, 'Story point estimate', 3);
    sb.jira.state.setField(images.key, 'Story point estimate', 2);
    sb.resetRequestLog();
    const estimated = await run.sync();
    expect(estimated.plan.counts).toMatchObject({ create: 0, update: 0, move: 0 });
    // `sync --json` lists the points written, as its schema says.
    const json = JSON.parse(JSON.stringify(syncReportJson(estimated))) as {
      productboard: { writes: Array<{ pbId: string; changes: unknown[] }> };
    };
    expect(schemaProblems('sync', json)).toEqual([]);
    expect(json.productboard.writes.find((w) => w.pbId === epic)!.changes).toEqual([
      { value: 'progress', field: 'Delivery progress', from: 11, to: 17 },
      { value: 'storyPoints', field: 'Story points', from: null, to: 10 },
    ]);
    // 10 points; a third of 5 done: 1/6 of the Epic.
    expect(shown(sb, epic)).toMatchObject({ 'Story points': 10, 'Delivery progress': 17 });
    expect(shown(sb, seedIds.featureWithSubfeatures)).toMatchObject({ 'Story points': 5, 'Delivery progress': 33 });
    // An Epic nothing under which is estimated keeps its count-based progress and shows no points.
    expect(shown(sb, seedIds.initiatives.accessibility)['Story points']).toBeUndefined();
    // The points came with the search the pass does anyway: no issue read of its own.
    expect(sb.requests.filter((r) => r.service === 'jira' && r.route.includes('/issue/'))).toEqual([]);
    expect(sb.requests.filter((r) => r.route === 'POST /rest/api/3/search/jql')).toHaveLength(1);

    // The 3-point Story is done: the Epic moves by its share, 3 of 10 points.
    sb.jira.state.setStatusByCategory(contrast.key, 'done');
    sb.resetRequestLog();
    await run.sync();
    expect(shown(sb, epic)).toMatchObject({ 'Story points': 10, 'Delivery progress': 17 + 30 });
    expect(
      productboardWrites(sb)
        .map((r) => r.path.split('/').pop())
        .sort(),
    ).toEqual([epic, seedIds.ambiguousFeature].sort());

    // Nothing changed since: nothing is written to Productboard.
    sb.resetRequestLog();
    const rerun = await run.sync();
    expect(rerun.delivery?.plan.writes).toEqual([]);
    expect(productboardWrites(sb)).toEqual([]);
  });

  it('naming the field costs no request beyond the site’s field list (which a version 2 mapping reads anyway): a quiet pass is that list, the project and one search page', async () => {
    const run = await startWithPoints();
    await run.sync();
    await run.sync(); // reads back what the first sync wrote
    run.sandbox.age(QUARTER);
    run.sandbox.resetRequestLog();
    const quiet = await run.sync();
    expect(quiet.plan.counts).toMatchObject({ create: 0, update: 0, move: 0 });
    expect(
      run.sandbox.requests
        .filter((r) => r.service === 'jira')
        .map((r) => r.route)
        .sort(),
    ).toEqual(['GET /rest/api/3/field', 'GET /rest/api/3/project/{projectIdOrKey}', 'POST /rest/api/3/search/jql']);
    expect(run.sandbox.requests.filter((r) => isWriteRoute(r.route))).toEqual([]);
  });

  it('a mapping naming a field Jira does not have, or one that is not a number, stops the pass before any write, saying what to name', async () => {
    const run = await startWithPoints();
    run.config.mapping = mappingWithPoints('Story Points');
    await expect(run.sync()).rejects.toMatchObject({
      details: [expect.stringContaining('writeBack.storyPoints: Jira has no field "Story Points"')],
    });
    run.config.mapping = mappingWithPoints('Summary');
    await expect(run.sync()).rejects.toMatchObject({
      details: [
        expect.stringContaining('writeBack.storyPoints: Summary (summary) holds string values; story points are read from a number field'),
      ],
    });
    expect(run.sandbox.requests.filter((r) => isWriteRoute(r.route))).toEqual([]);
  });

  it('validate: the Jira field is a number and the Productboard field a number on every mapped type; each fault says what to do', async () => {
    const e2e = await startE2E(sandboxWithPoints());
    try {
      const mapping = join(e2e.dir, 'points.yaml');
      writeFileSync(mapping, mappingTextWithPoints());
      const ok = await e2e.run(['validate', '--config', e2e.writeConfig('', mapping)]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('Productboard field "Story points" (storyPoints): number on initiative, feature, subfeature');

      writeFileSync(mapping, mappingTextWithPoints('Story Points', 'Jira status'));
      const bad = await e2e.run(['validate', '--config', e2e.writeConfig('', mapping)]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('writeBack.storyPoints: Jira has no field "Story Points"');
      expect(bad.stderr).toContain('company-managed: "Story Points"');
      expect(bad.stderr).toContain(
        'writeBack.fields.storyPoints: Productboard\'s "Jira status" on features is a text field; storyPoints needs a number field',
      );
      expect(e2e.writes()).toEqual([]);
    } finally {
      await e2e.close();
    }
  });
});
