import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { seedIds } from '../../src/sandbox/index.js';
import { issuesByPbId, startE2E, type E2E } from './harness.js';

let e2e: E2E;
afterEach(async () => {
  await e2e?.close();
});

const json = (stdout: string) =>
  JSON.parse(stdout) as {
    dryRun: boolean;
    plan: {
      counts: Record<string, number>;
      unchanged: number;
      actions: Array<{ kind: string; pbId: string; reason?: string; depth: number }>;
    };
    results: {
      applied: number;
      failed: number;
      pending: number;
      items: Array<{ pbId: string; kind: string; outcome: string; jiraKey: string | null }>;
    } | null;
  };

describe('sync against the sandbox (real CLI)', () => {
  it('dry run: prints the plan grouped by Epic, sends no write and changes no ledger link', async () => {
    e2e = await startE2E();
    const run = await e2e.run(['sync', '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Plan for Jira project PBJ (dry run: nothing will be written)');
    expect(run.stdout).toMatch(/24 to create, 0 to update, 0 to move, 0 to adopt, 3 skipped/);
    expect(run.stdout).toContain('Epic "Self-service hub customization"');
    // Each create lists what it writes (one line per field), then its children in the tree.
    expect(run.stdout).toMatch(/\+ create Story "Custom hub themes"\n(?:\s+[a-z][a-z ]*: .*\n)+\s+\+ create Sub-task/);
    // The create's line names the item: its summary is not repeated when Jira's is the same.
    expect(run.stdout).toMatch(/\+ create Story "Custom hub themes"\n\s+parent: +new Epic "Self-service hub customization"\n/);
    expect(run.stdout).not.toMatch(/summary: /);
    expect(run.stdout).toContain('skip   feature "Offline docs bundle": unparented');
    expect(run.stdout).toContain('Skipped: 1 archived, 1 parent-not-synced, 1 unparented');
    expect(e2e.writes()).toEqual([]);
    expect(e2e.sandbox.requests.some((r) => r.route.includes('/search/jql'))).toBe(true);
    expect(existsSync(e2e.ledgerPath)).toBe(false);
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(0);

    const asJson = await e2e.run(['sync', '--dry-run', '--json']);
    const doc = json(asJson.stdout);
    expect(doc.dryRun).toBe(true);
    expect(doc.plan.counts).toEqual({ create: 24, adopt: 0, update: 0, move: 0, skip: 3 });
    expect(doc.results).toBeNull();
    expect(e2e.writes()).toEqual([]);
  });

  it('applies parents first, stamps every issue, and a second run writes nothing', async () => {
    e2e = await startE2E();
    const first = await e2e.run(['sync', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const doc = json(first.stdout);
    expect(doc.results).toMatchObject({ applied: 24, failed: 0, pending: 0 });

    const issues = e2e.sandbox.jira.state.issues();
    expect(issues).toHaveLength(24);
    const byId = new Map(issues.map((i) => [i.id, i]));
    for (const issue of issues) {
      // Parents exist before children: a parent's id is always lower than its child's.
      if (issue.parentId) expect(Number(byId.get(issue.parentId)!.id)).toBeLessThan(Number(issue.id));
      const expectedParentLevel = issue.issueType.hierarchyLevel === -1 ? 0 : issue.issueType.hierarchyLevel + 1;
      if (issue.parentId) expect(byId.get(issue.parentId)!.issueType.hierarchyLevel).toBe(expectedParentLevel);
      // The stamp: label, property set at creation, remote link back to Productboard.
      const pbLabel = issue.labels.find((l) => l.startsWith('pb-') && l !== 'pb-jira-sync')!;
      expect(issue.labels).toContain('pb-jira-sync');
      expect(issue.properties['pb-jira-sync']).toMatchObject({ v: 1, pbId: pbLabel.slice(3) });
      expect(issue.remoteLinks).toEqual([expect.objectContaining({ globalId: `system=productboard&id=${pbLabel.slice(3)}` })]);
    }
    const epics = issues.filter((i) => i.issueType.name === 'Epic');
    expect(epics).toHaveLength(4);
    expect(epics.every((e) => e.parentId === null)).toBe(true);

    // Bulk creates carry ≤50 issues each, one call per level here; the removed /search is never used.
    expect(e2e.sandbox.requests.filter((r) => r.route === 'POST /rest/api/3/issue/bulk')).toHaveLength(3);
    expect(e2e.sandbox.requests.some((r) => r.path === '/rest/api/3/search')).toBe(false);

    e2e.sandbox.resetRequestLog();
    const second = await e2e.run(['sync', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(json(second.stdout).plan.counts).toEqual({ create: 0, adopt: 0, update: 0, move: 0, skip: 3 });
    expect(e2e.writes()).toEqual([]);
  });

  it('a rename updates exactly its Story, a relink re-parents it, a new subfeature creates one Sub-task', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const story = () => e2e.sandbox.jira.state.issues().find((i) => i.labels.includes(`pb-${seedIds.featureWithSubfeatures}`))!;
    const storyId = story().id;

    e2e.sandbox.productboard.state.rename(seedIds.featureWithSubfeatures, 'Custom hub themes and fonts');
    e2e.sandbox.resetRequestLog();
    expect((await e2e.run(['sync'])).code).toBe(0);
    // One edit, inside the Jira lease (taken before the first write, released after the last).
    const lease = 'PUT /rest/api/3/project/{projectIdOrKey}/properties/{key}';
    expect(e2e.writes()).toEqual([lease, 'PUT /rest/api/3/issue/{id}', lease]);
    expect(e2e.sandbox.requests.find((r) => r.route === 'PUT /rest/api/3/issue/{id}')!.path).toBe(`/rest/api/3/issue/${storyId}`);
    expect(story().summary).toBe('Custom hub themes and fonts');

    const cost = seedIds.initiatives.costReporting;
    e2e.sandbox.productboard.state.unlink(seedIds.featureWithSubfeatures, seedIds.initiatives.selfService);
    e2e.sandbox.productboard.state.link(seedIds.featureWithSubfeatures, cost);
    e2e.sandbox.resetRequestLog();
    const relink = await e2e.run(['sync', '--dry-run']);
    expect(relink.stdout).toMatch(/> move\s+PBJ-\d+ "Custom hub themes and fonts": from PBJ-\d+/);
    expect((await e2e.run(['sync'])).code).toBe(0);
    const costEpic = e2e.sandbox.jira.state.issues().find((i) => i.labels.includes(`pb-${cost}`))!;
    expect(story().parentId).toBe(costEpic.id);
    expect(story().id).toBe(storyId);

    e2e.sandbox.productboard.state.addEntity({ type: 'subfeature', name: 'Font picker', parentId: seedIds.featureWithSubfeatures });
    e2e.sandbox.resetRequestLog();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const creates = e2e.sandbox.requests.filter((r) => r.route === 'POST /rest/api/3/issue/bulk');
    expect(creates).toHaveLength(1);
    const fontPicker = e2e.sandbox.jira.state.issues().find((i) => i.summary === 'Font picker')!;
    expect(fontPicker).toMatchObject({ parentId: storyId, issueType: { name: 'Sub-task' } });
  });

  it('after the ledger is deleted, adopts the stamped issues instead of duplicating them', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    rmSync(e2e.ledgerPath);
    e2e.sandbox.resetRequestLog();
    const rerun = await e2e.run(['sync', '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(json(rerun.stdout).plan.counts).toMatchObject({ create: 0, adopt: 24 });
    // Nothing written to Jira; Productboard's delivery fields are written once more (the new ledger
    // has no record of them), with the values they already show.
    expect(e2e.writes().filter((route) => !route.startsWith('PATCH /v2/'))).toEqual([]);
    expect(e2e.writes().filter((route) => route === 'PATCH /v2/entities/{id}')).toHaveLength(24);
    expect([...issuesByPbId(e2e.sandbox).values()].every((keys) => keys.length === 1)).toBe(true);
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(24);
  });

  it('a lost bulk-create response never produces a duplicate: the stamp is found and adopted', async () => {
    e2e = await startE2E({ faults: { loseResponse: { route: 'POST /rest/api/3/issue/bulk', count: 1 } } });
    const first = await e2e.run(['sync', '--json']);
    const doc = json(first.stdout);
    // The epics' create response was really lost (socket destroyed after Jira created them)...
    expect(e2e.sandbox.requests.filter((r) => r.route === 'POST /rest/api/3/issue/bulk').map((r) => r.status)).toEqual([0, 201, 201]);
    // ...and the engine looked their stamps up instead of creating them again.
    expect(e2e.sandbox.requests.some((r) => r.route === 'POST /rest/api/3/search/jql' && r.status === 200)).toBe(true);
    expect(doc.results).toMatchObject({ applied: 24, failed: 0, pending: 0 });
    const second = await e2e.run(['sync', '--json']);
    expect(second.code, second.stderr).toBe(0);
    const counts = json(second.stdout).plan.counts;
    expect(counts.create).toBe(0);
    expect([...issuesByPbId(e2e.sandbox).values()].every((keys) => keys.length === 1)).toBe(true);
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(24);
  });

  it('killed mid-run (SIGKILL), the next run finishes without a single duplicate', async () => {
    e2e = await startE2E({ latencyMs: 40 });
    const config = e2e.writeConfig('sync: { intentSettleSeconds: 0 }');
    const { child, done } = e2e.spawnCli(['sync', '--config', config]);
    // Kill as soon as the first bulk create has reached Jira.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (e2e.sandbox.requests.some((r) => r.route === 'POST /rest/api/3/issue/bulk')) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    expect((await done).signal).toBe('SIGKILL');
    const rerun = await e2e.run(['sync', '--config', config]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(24);
    expect([...issuesByPbId(e2e.sandbox).values()].every((keys) => keys.length === 1)).toBe(true);
    const again = await e2e.run(['sync', '--json', '--config', config]);
    expect(json(again.stdout).plan.counts).toMatchObject({ create: 0, update: 0, move: 0 });
  });

  it('rides out 429 storms to the same final state', async () => {
    e2e = await startE2E({ faults: { rate429: 0.2, seed: 7 } });
    const run = await e2e.run(['sync', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(e2e.sandbox.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(24);
    expect([...issuesByPbId(e2e.sandbox).values()].every((keys) => keys.length === 1)).toBe(true);
  });
});

describe('clear failures', () => {
  it('a bad Jira token: exit 1 naming Jira, zero writes, no token in the output', async () => {
    e2e = await startE2E();
    const run = await e2e.run(['sync'], { JIRA_API_TOKEN: 'wrong-token-value-123' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error \[auth\] Jira GET \/rest\/api\/3\/project\/\{key\}: Jira rejected the credentials \(HTTP 401\)/);
    expect(e2e.writes()).toEqual([]);
    expect(`${run.stdout}${run.stderr}`).not.toContain('wrong-token-value-123');
  });

  it('a bad Productboard token: exit 1 naming Productboard, zero writes', async () => {
    e2e = await startE2E();
    const run = await e2e.run(['sync'], { PRODUCTBOARD_TOKEN: 'pb-wrong-token-456' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [auth] Productboard POST /v2/entities/search: Productboard rejected the credentials (HTTP 401)');
    expect(e2e.writes()).toEqual([]);
  });

  it('an invalid mapping: exit 1 with file and path, before any request', async () => {
    e2e = await startE2E();
    const mapping = `${e2e.dir}/bad.yaml`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(mapping, 'version: 1\nrules:\n  - from: feature\n    jira:\n      isuetype: { level: 0 }\n');
    const config = e2e.writeConfig('', mapping);
    const run = await e2e.run(['sync', '--config', config]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('bad.yaml:5:7: rules[0].jira: unknown key "isuetype" (did you mean "issueType"?)');
    expect(e2e.sandbox.requests).toEqual([]);
    const validate = await e2e.run(['validate', '--config', config]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain('rules[0].jira: unknown key "isuetype"');
  });

  it('a malformed Productboard response: an error naming the endpoint and field, not a stack trace', async () => {
    e2e = await startE2E();
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { not: 'a list' }, links: { next: null } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const run = await e2e.run(['sync'], { PRODUCTBOARD_API_URL: `http://127.0.0.1:${port}` });
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe(
        'error [invalid-response] Productboard POST /v2/entities/search: unexpected response: data: Invalid input: expected array, received object',
      );
      expect(e2e.writes()).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('never writes a token to stdout, stderr (even at debug level) or the ledger', async () => {
    e2e = await startE2E();
    const run = await e2e.run(['sync', '--json', '--log-level', 'debug']);
    expect(run.code, run.stderr).toBe(0);
    const ledger = readFileSync(e2e.ledgerPath).toString('latin1');
    for (const secret of [e2e.env.PRODUCTBOARD_TOKEN!, e2e.env.JIRA_API_TOKEN!]) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
      expect(ledger).not.toContain(secret);
    }
  });
});
