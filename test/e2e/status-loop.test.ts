import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoPath } from '../helpers/builders.js';
import { seedIds } from '../../src/sandbox/index.js';
import { startE2E, type E2E } from './harness.js';

let e2e: E2E;
afterEach(async () => {
  await e2e?.close();
});

const PATCH = 'PATCH /v2/entities/{id}';
const feature = seedIds.featureWithSubfeatures;
const pbStatus = (e: E2E) => e.sandbox.productboard.state.get(feature)!.status;
const issue = (e: E2E) => e.sandbox.jira.state.issues().find((i) => i.labels.includes(`pb-${feature}`))!;

/** The shipped mapping with status back on features. */
function statusBackConfig(
  e: E2E,
  table = 'categories: { new: Planned, indeterminate: In progress, done: Released }',
  type = 'feature',
): string {
  const mapping = join(e.dir, 'mapping.yaml');
  const shipped = readFileSync(repoPath('mappings/default.yaml'), 'utf8');
  writeFileSync(mapping, shipped.replace('writeBack:\n', `writeBack:\n  status:\n    ${type}:\n      ${table}\n`));
  return e.writeConfig('', mapping);
}

/** One pass, then a rerun that must write nothing to either side. */
async function syncThenRerun(e: E2E, config: string): Promise<string> {
  e.sandbox.resetRequestLog();
  const run = await e.run(['sync', '--config', config]);
  expect(run.code, run.stderr).toBe(0);
  // The feature's Productboard writes of the pass: one entity update at most.
  expect(e.sandbox.requests.filter((r) => r.route === PATCH && r.path.endsWith(feature)).length).toBeLessThanOrEqual(1);
  e.sandbox.resetRequestLog();
  const rerun = await e.run(['sync', '--config', config]);
  expect(rerun.code, rerun.stderr).toBe(0);
  expect(e.writes()).toEqual([]);
  return run.stdout;
}

describe('status back: Jira ↔ Productboard without ping-pong (real CLI)', () => {
  it('changes alternating on both sides over several passes each arrive once, and a rerun writes nothing on either side', async () => {
    e2e = await startE2E();
    const config = statusBackConfig(e2e);
    // First contact: Productboard's status goes to Jira as always; nothing comes back.
    const before = pbStatus(e2e);
    await syncThenRerun(e2e, config);
    expect(pbStatus(e2e)).toBe(before);

    // Jira moves: Productboard follows, in the same entity update as the delivery fields.
    e2e.sandbox.jira.state.setStatusByCategory(issue(e2e).key, 'done');
    const jiraMoved = await syncThenRerun(e2e, config);
    expect(jiraMoved).toContain('1 Productboard status');
    expect(jiraMoved).toContain(`status "${before}" → "Released" (Jira moved to "Done")`);
    expect(pbStatus(e2e)).toBe('Released');
    expect(issue(e2e).status.categoryKey).toBe('done');

    // Productboard moves: Jira follows; the status we wrote to Productboard before is not pushed back.
    e2e.sandbox.productboard.state.setStatus(feature, 'In progress');
    await syncThenRerun(e2e, config);
    expect(issue(e2e).status.categoryKey).toBe('indeterminate');
    expect(pbStatus(e2e)).toBe('In progress');

    // Jira moves back to To Do: Productboard follows.
    e2e.sandbox.jira.state.setStatusByCategory(issue(e2e).key, 'new');
    await syncThenRerun(e2e, config);
    expect(pbStatus(e2e)).toBe('Planned');

    // Both move: Productboard wins, and the plan says what Jira's change was.
    e2e.sandbox.jira.state.setStatusByCategory(issue(e2e).key, 'done');
    e2e.sandbox.productboard.state.setStatus(feature, 'In progress');
    const both = await syncThenRerun(e2e, config);
    expect(both).toContain(`status changed on both sides; Productboard's "In progress" wins, Jira's move to "Done" is overridden`);
    expect(issue(e2e).status.categoryKey).toBe('indeterminate');
    expect(pbStatus(e2e)).toBe('In progress');

    // And again Productboard, back to where Jira last was by a push: pushed, not mistaken for an old value.
    e2e.sandbox.productboard.state.setStatus(feature, 'Released');
    await syncThenRerun(e2e, config);
    expect(issue(e2e).status.categoryKey).toBe('done');
    expect(pbStatus(e2e)).toBe('Released');
  });

  it('tables that are not each other’s inverse still settle: a status written back is never pushed again', async () => {
    e2e = await startE2E();
    // Jira "Done" → Productboard "Planned", which the Productboard → Jira table calls new: pushed
    // back, it would drag the issue to To Do, and To Do would come back as nothing at all.
    const config = statusBackConfig(e2e, 'names: { Done: Planned }');
    await syncThenRerun(e2e, config);
    e2e.sandbox.jira.state.setStatus(issue(e2e).key, 'Done');
    await syncThenRerun(e2e, config);
    expect(pbStatus(e2e)).toBe('Planned');
    expect(issue(e2e).status.name).toBe('Done');
  });

  it('validate: a status the type does not have is a problem naming it and the statuses it has; a rule that is not mapped is named', async () => {
    e2e = await startE2E();
    const ok = await e2e.run(['validate', '--config', statusBackConfig(e2e)]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Status back on features: Jira → "Planned", "In progress", "Released"');
    const bad = await e2e.run(['validate', '--config', statusBackConfig(e2e, 'categories: { done: Shipped }')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`writeBack.status.feature: Productboard's features have no status "Shipped" (they have: "New idea"`);
    const unmapped = await e2e.run([
      'validate',
      '--offline',
      '--config',
      statusBackConfig(e2e, 'categories: { done: Released }', 'product'),
    ]);
    expect(unmapped.code).toBe(1);
    expect(unmapped.stderr).toContain('writeBack.status.product: no rule maps "product"');
  });
});
