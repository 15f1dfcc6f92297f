import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { companyManagedJira } from '../../src/sandbox/index.js';
import { repoPath } from '../helpers/builders.js';
import { issuesByPbId, startE2E, type E2E } from './harness.js';

// Writers of one Jira project, through the real CLI: the Jira-side lease between processes with different ledgers, the
// lost-ledger window, and `validate` against the project's create screens.

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

/** The shipped default mapping with one piece of text replaced, written as a file of the test. */
function defaultMappingWith(e: E2E, name: string, replace: string, by: string): string {
  const file = join(e.dir, name);
  writeFileSync(file, readFileSync(repoPath('mappings/default.yaml'), 'utf8').replace(replace, by));
  return file;
}

const json = (stdout: string) => JSON.parse(stdout) as { plan: { counts: Record<string, number> } };
const duplicated = (e: E2E) => [...issuesByPbId(e.sandbox).values()].filter((keys) => keys.length > 1);
/** A short search-settle window and lease confirmation, so the waits of these tests take seconds. */
const FAST = 'sync: { intentSettleSeconds: 3, leaseConfirmSeconds: 0.5 }';

describe('issue 10 H4: two writers with different ledgers', () => {
  it('two first syncs at once (review case 3.15, scaled down): one writes, the other waits for its lease and adopts; no duplicates', async () => {
    e2e = await startE2E({ latencyMs: 5 });
    const config = e2e.writeConfig(FAST);
    const first = e2e.spawnCli(['sync', '--json', '--config', config], { PB_JIRA_SYNC_LEDGER: join(e2e.dir, 'a.sqlite') });
    const second = e2e.spawnCli(['sync', '--json', '--config', config], { PB_JIRA_SYNC_LEDGER: join(e2e.dir, 'b.sqlite') });
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(duplicated(e2e)).toEqual([]);
    const issues = e2e.sandbox.jira.state.issues().length;
    expect(issues).toBe(24);
    // Every issue was created once, by one of them; the other adopted what it found.
    const counts = [json(a.stdout).plan.counts, json(b.stdout).plan.counts];
    expect(counts.map((c) => c.create).sort()).toEqual([0, issues]);
    expect(counts.find((c) => c.create === 0)).toMatchObject({ adopt: issues });
  });

  it('while another writer holds the lease beyond the wait, a sync exits 1 naming the holder and writes nothing', async () => {
    e2e = await startE2E();
    e2e.sandbox.jira.state.projectProperties.set('pb-jira-sync.writer', {
      v: 1,
      holder: { id: 'ops-host:0123456789ab:4242:1:beef', ledger: 'their-ledger', token: 't' },
      heartbeatAt: Date.now() + 3_600_000,
      lastWrite: null,
    });
    const run = await e2e.run(['sync', '--config', e2e.writeConfig('sync: { leaseWaitSeconds: 1 }')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [conflict] Jira: another pb-jira-sync pass (ops-host:0123456789ab:4242:1:beef) is writing');
    expect(e2e.writes()).toEqual([]);
  });
});

describe('issue 10 M6: the lost-ledger window', () => {
  it('ledger deleted and rerun within the search lag (review case 3.02): the rerun waits for search, then adopts; no duplicates', async () => {
    e2e = await startE2E({ searchLagMs: 2_000 });
    const config = e2e.writeConfig(FAST);
    expect((await e2e.run(['sync', '--config', config])).code).toBe(0);
    rmSync(e2e.ledgerPath);
    const rerun = await e2e.run(['sync', '--json', '--config', config]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(duplicated(e2e)).toEqual([]);
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(24);
    expect(json(rerun.stdout).plan.counts).toMatchObject({ create: 0, adopt: 24 });
  });
});

describe('issue 9 §6: validate reads the create screens of every mapping given', () => {
  it('lists the problems of the config’s mapping and of each extra file, each located in its own file (review D3)', async () => {
    e2e = await startE2E({ jira: companyManagedJira() });
    const initiativeType = defaultMappingWith(
      e2e,
      'initiative-type.yaml',
      'issueType: { level: 1 }',
      'issueType: { level: 1, name: Initiative }',
    );
    const run = await e2e.run(['validate', initiativeType]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/mappings\/default\.yaml: rules\[0\]\.jira\.fields: the create screen of Epic requires Epic Name/);
    expect(run.stderr).toMatch(/initiative-type\.yaml: rules\[0\]\.jira\.issueType: project PBJ has no issue type named "Initiative"/);
    expect(e2e.writes()).toEqual([]);
  });

  it('passes once the mapping fills Epic Name; warns about a field the screen lacks', async () => {
    const site = companyManagedJira();
    site.screens!['*'] = { fields: ['description', 'labels', 'parent'] };
    e2e = await startE2E({ jira: site });
    const mapping = defaultMappingWith(
      e2e,
      'epic-name.yaml',
      "issueType: { level: 1 }            # the project's Epic type",
      'issueType: { level: 1 }\n      fields:\n        Epic Name: { from: name }',
    );
    const config = e2e.writeConfig('', mapping);
    const run = await e2e.run(['validate', '--config', config]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Jira project PBJ: found; issue types and create screens fit');
    expect(run.stdout).toMatch(/warning .*epic-name\.yaml: rules\[1\]: the create screen of Story has no due date field/);
    // After validate passes, no create fails.
    const sync = await e2e.run(['sync', '--json', '--config', config]);
    expect(sync.code, sync.stderr).toBe(0);
    const report = JSON.parse(sync.stdout) as {
      results: { failed: number; items: Array<{ kind: string; outcome: string }> };
      warnings: string[];
    };
    expect(report.results.failed).toBe(0);
    expect(report.results.items.filter((r) => r.kind === 'create' && r.outcome !== 'applied')).toEqual([]);
    expect(report.warnings).toEqual([
      expect.stringContaining('the create screen of Story has no due date field'),
      expect.stringContaining('the create screen of Sub-task has no due date field'),
    ]);
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(24);
  });
});
