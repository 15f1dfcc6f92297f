import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { compileMappingSource } from '../../src/mapping/load-mapping.js';
import { companyManagedJira, seedIds, snapshotJira, type JiraSandboxOptions, type Sandbox } from '../../src/sandbox/index.js';
import { parseLocatedYaml } from '../../src/util/located-yaml.js';
import { readFileSync } from 'node:fs';
import { repoPath } from '../helpers/builders.js';
import { takeViolations } from '../helpers/contract-guard.js';
import { startingInProcess, type InProcess } from '../helpers/in-process.js';

// The Jira side of field-proof connectors, end to end: the real engine in-process against the sandbox's faithful
// Jira site (held to the vendor's contract), with a virtual clock.

const start = startingInProcess();

const DEFAULT_MAPPING = readFileSync(repoPath('mappings/default.yaml'), 'utf8');

/** The shipped default mapping with `extra` YAML lines added to the initiative rule's `jira:` block. */
const withInitiativeJira = (extra: string): string =>
  DEFAULT_MAPPING.replace("      issueType: { level: 1 }            # the project's Epic type", `      issueType: { level: 1 }\n${extra}`);

function useMapping(run: InProcess, yaml: string): void {
  const compiled = compileMappingSource(parseLocatedYaml(yaml, 'mappings/test.yaml'));
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  run.config.mapping = compiled.mapping;
}

const EPIC_NAME_FROM_NAME = withInitiativeJira('      fields:\n        Epic Name: { from: name }');

const count = (sb: Sandbox, route: string) => sb.requests.filter((r) => r.route === route).length;
const noDuplicates = (sb: Sandbox) => [...snapshotJira(sb.jira.state).values()].every((shapes) => shapes.length === 1);
const issueOf = (sb: Sandbox, pbId: string) => sb.jira.state.issues().find((i) => i.labels.includes(`pb-${pbId}`));

describe('issue 9 §6: required fields and screens', () => {
  it('a required Epic Name the mapping does not fill stops the pass before any create, naming the field and the fix', async () => {
    const run = await start({ jira: companyManagedJira() });
    const error = await run.sync().catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'config',
      service: 'jira',
      details: [expect.stringContaining('the create screen of Epic requires Epic Name (customfield_10011), which nothing fills')],
    });
    expect((error as { details: string[] }).details[0]).toContain('"Epic Name": { from: name }');
    expect(count(run.sandbox, 'POST /rest/api/3/issue/bulk')).toBe(0);
    expect(run.sandbox.jira.state.issues()).toEqual([]);
  });

  it('with `jira.fields: { Epic Name: { from: name } }` every create succeeds: one create metadata read per mapped type', async () => {
    const run = await start({ jira: companyManagedJira() });
    useMapping(run, EPIC_NAME_FROM_NAME);
    const report = await run.sync();
    expect(report.apply.failed).toBe(0);
    expect(report.apply.results.filter((r) => r.kind === 'create' && r.outcome !== 'applied')).toEqual([]);
    const epics = run.sandbox.jira.state.issues().filter((i) => i.issueType.name === 'Epic');
    expect(epics.length).toBeGreaterThan(0);
    for (const epic of epics) expect(epic.customFields['Epic Name']).toBe(epic.summary);
    // Three mapped types, each read once in the pass (Epic, Story, Sub-task), none read twice.
    const createmeta = run.sandbox.requests.filter((r) => r.route.startsWith('GET /rest/api/3/issue/createmeta/'));
    expect(createmeta.map((r) => r.path).sort()).toEqual([...new Set(createmeta.map((r) => r.path))].sort());
    expect(createmeta).toHaveLength(3);
    run.sandbox.resetRequestLog();
    // A pass that creates nothing reads no create metadata.
    const again = await run.sync();
    expect(again.plan.counts.create).toBe(0);
    expect(count(run.sandbox, 'GET /rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}')).toBe(0);
  });

  it('a constant value is checked against the values Jira lists, and sent by field id', async () => {
    const run = await start({ jira: companyManagedJira() });
    useMapping(run, withInitiativeJira('      fields:\n        Epic Name: { from: name }\n        Investment type: { value: Strategic }'));
    await expect(run.sync()).rejects.toMatchObject({
      kind: 'config',
      details: [expect.stringContaining('Investment type (customfield_10100): {"value":"Strategic"} is not one of its values (Perfective')],
    });
    useMapping(run, withInitiativeJira('      fields:\n        Epic Name: { from: name }\n        Investment type: { value: Adaptive }'));
    await run.sync();
    const epics = run.sandbox.jira.state.issues().filter((i) => i.issueType.name === 'Epic');
    expect(epics.every((e) => e.customFields['Investment type'] === 'Adaptive')).toBe(true);
  });

  it('a create screen without Labels (the stamp) stops the pass naming it; nothing is created', async () => {
    const site = companyManagedJira();
    site.screens = {
      '*': { fields: ['description', 'duedate', 'parent'] },
      Epic: { fields: ['Epic Name', 'labels'], required: ['Epic Name'] },
    };
    const run = await start({ jira: site });
    useMapping(run, EPIC_NAME_FROM_NAME);
    const error = await run.sync().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'config' });
    const details = (error as { details: string[] }).details;
    expect(details).toEqual(
      expect.arrayContaining([
        expect.stringContaining('the create screen of Story has no Labels field, which carries the stamp'),
        expect.stringContaining('the create screen of Sub-task has no Labels field'),
      ]),
    );
    expect(count(run.sandbox, 'POST /rest/api/3/issue/bulk')).toBe(0);
  });

  it('a screen without Due date: issues are created without it, with one warning per type (not one per issue)', async () => {
    const site: JiraSandboxOptions = { screens: { '*': { fields: ['description', 'labels', 'parent'] } } };
    const run = await start({ jira: site });
    const report = await run.sync();
    expect(report.apply).toMatchObject({ failed: 0, pending: 0 });
    // Initiatives do not own the due date (the default mapping turns it off for them): Story and Sub-task only.
    expect(report.warnings).toEqual([
      expect.stringContaining('the create screen of Story has no due date field'),
      expect.stringContaining('the create screen of Sub-task has no due date field'),
    ]);
    const bodies = run.sandbox.requests.filter((r) => r.route === 'POST /rest/api/3/issue/bulk');
    expect(bodies.length).toBeGreaterThan(0);
    expect(run.sandbox.jira.state.issues().every((i) => i.duedate === null)).toBe(true);
  });
});

describe('issue 9 §7: bulk-create results matched by stamp, never by position', () => {
  it('Jira answering in shuffled order: every link and every issue is the right item; one bulk fetch per bulk create', async () => {
    const run = await start({ jira: { behaviour: { bulkCreateOrder: 'shuffle' } } });
    const report = await run.sync();
    expect(report.apply).toMatchObject({ failed: 0, pending: 0 });
    const issues = run.sandbox.jira.state.issues();
    // Each issue carries the summary of the item its stamp names: nothing was crossed.
    for (const desired of report.desired.issues.values()) {
      const issue = issueOf(run.sandbox, desired.pbId)!;
      expect(issue.summary).toBe(desired.fields.summary);
      expect((issue.properties['pb-jira-sync'] as { pbId: string }).pbId).toBe(desired.pbId);
    }
    const ledger = Ledger.open(run.config.ledgerPath);
    for (const link of ledger.links().values()) {
      if (link.state !== 'linked') continue;
      const issue = issues.find((i) => i.id === link.jiraId)!;
      expect(issue.labels).toContain(`pb-${link.pbId}`);
    }
    ledger.close();
    expect(count(run.sandbox, 'POST /rest/api/3/issue/bulkfetch')).toBe(count(run.sandbox, 'POST /rest/api/3/issue/bulk'));
    // The shuffle really happened: a level is sent in name order, and its keys (given in processing order) are not.
    const stories = issues.filter((i) => i.issueType.name === 'Story').sort((a, b) => Number(a.id) - Number(b.id));
    const byName = [...stories].sort((a, b) => a.summary.localeCompare(b.summary));
    expect(stories.map((i) => i.key)).not.toEqual(byName.map((i) => i.key));
    const again = await run.sync();
    expect(again.plan.counts).toMatchObject({ create: 0, update: 0, move: 0, adopt: 0 });
  });
});

/** A site whose stories can go straight to Done (no screen) or to Won't Do, and whose Closed needs Story Points. */
function choiceSite(): JiraSandboxOptions {
  return {
    workflows: [
      {
        name: 'Choices',
        statuses: [
          { name: 'To Do', category: 'new' },
          { name: 'In Progress', category: 'indeterminate' },
          { name: "Won't Do", category: 'done' },
          { name: 'Done', category: 'done' },
        ],
        transitions: [
          { name: "Won't do", to: "Won't Do" },
          { name: 'Start', to: 'In Progress' },
          { name: 'Finish', to: 'Done' },
        ],
      },
    ],
  };
}

describe('issue 9 §9: transitions', () => {
  it("to done it takes the plain Done, never Won't Do, though Won't Do comes first; \"Won't do\" items go to Won't Do", async () => {
    const run = await start({ jira: choiceSite() });
    run.sandbox.productboard.state.setStatus(seedIds.plainFeature, "Won't do");
    await run.sync();
    expect(issueOf(run.sandbox, seedIds.releasedFeature)!.status.name).toBe('Done');
    expect(issueOf(run.sandbox, seedIds.plainFeature)!.status.name).toBe("Won't Do");
    expect(issueOf(run.sandbox, seedIds.inProgressFeature)!.status.name).toBe('In Progress');
  });

  it('company-managed: resolution screens are filled with the matching resolution; no done status stands for Released from To Do', async () => {
    const run = await start({ jira: companyManagedJira() });
    useMapping(run, EPIC_NAME_FROM_NAME);
    const report = await run.sync();
    expect(report.apply.failed).toBe(0);
    // From To Do the only way into done is Won't Do, which stands for the Productboard status "Won't do": not taken.
    const released = issueOf(run.sandbox, seedIds.releasedFeature)!;
    expect(released.status.name).toBe('To Do');
    expect(report.apply.results.find((r) => r.pbId === seedIds.releasedFeature)?.note).toContain('stands for "Released"');
    expect(issueOf(run.sandbox, seedIds.inProgressFeature)!.status.name).toBe('In Progress');
    // The next pass does not try again: the attempt was recorded.
    run.sandbox.resetRequestLog();
    await run.sync();
    expect(count(run.sandbox, 'GET /rest/api/3/issue/{id}/transitions')).toBe(0);
    // When its status changes in Productboard, the sync tries again: to In Progress, then through Done's resolution screen.
    run.sandbox.productboard.state.setStatus(seedIds.releasedFeature, 'In progress');
    await run.sync();
    expect(run.sandbox.jira.state.getIssue(released.key)!.status.name).toBe('In Progress');
    run.sandbox.productboard.state.setStatus(seedIds.releasedFeature, 'Released');
    await run.sync();
    const done = run.sandbox.jira.state.getIssue(released.key)!;
    expect([done.status.name, done.resolution]).toEqual(['Done', 'Done']);
  });

  it('a transition whose screen requires a field is reported once with the field name, and not retried every pass', async () => {
    const site = choiceSite();
    site.customFields = [{ name: 'Story Points', type: 'number' }];
    site.workflows![0]!.transitions[2] = { name: 'Finish', to: 'Done', screen: { fields: ['Story Points'], required: ['Story Points'] } };
    const run = await start({ jira: site });
    const first = await run.sync();
    const note = first.apply.results.find((r) => r.pbId === seedIds.releasedFeature)?.note;
    expect(note).toContain('the transition "Finish" to "Done" asks for Story Points on its screen');
    expect(issueOf(run.sandbox, seedIds.releasedFeature)!.status.name).toBe('To Do');
    run.sandbox.resetRequestLog();
    const second = await run.sync();
    expect(second.apply.results.find((r) => r.pbId === seedIds.releasedFeature)).toBeUndefined();
    expect(count(run.sandbox, 'POST /rest/api/3/issue/{id}/transitions')).toBe(0);
    expect(count(run.sandbox, 'GET /rest/api/3/issue/{id}/transitions')).toBe(0);
  });
});

describe('issue 9 §10: a sub-task move Jira refuses', () => {
  it('becomes a plan note with the manual remedy, recorded so it is not sent again every pass', async () => {
    const run = await start({ jira: { behaviour: { subtaskReparent: 'refuse' } } });
    await run.sync();
    const [subfeature] = seedIds.subfeaturesOfFeature;
    run.sandbox.productboard.state.setParent(subfeature, seedIds.plainFeature);
    run.sandbox.productboard.state.rename(subfeature, 'Logo upload (moved)');
    const first = await run.sync();
    const results = first.apply.results.filter((r) => r.pbId === subfeature);
    // The rename went through; the move is refused with the remedy.
    expect(results.find((r) => r.kind === 'update')).toMatchObject({ outcome: 'applied' });
    expect(results.find((r) => r.kind === 'move')).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining("move it in Jira with the issue's Move action"),
    });
    const sub = issueOf(run.sandbox, subfeature)!;
    expect(sub.summary).toBe('Logo upload (moved)');
    expect(sub.parentId).toBe(issueOf(run.sandbox, seedIds.featureWithSubfeatures)!.id);

    run.sandbox.resetRequestLog();
    const second = await run.sync();
    expect(second.plan.actions.find((a) => a.pbId === subfeature)).toMatchObject({
      kind: 'skip',
      reason: 'move-refused',
      detail: expect.stringContaining('Not tried again until its parent changes in Productboard'),
    });
    expect(run.sandbox.requests.filter((r) => r.route === 'PUT /rest/api/3/issue/{id}')).toEqual([]);

    // A person moves it in Jira: nothing left to do.
    run.sandbox.jira.state.behaviour.subtaskReparent = 'allow';
    run.sandbox.jira.state.moveIssue(sub.key, issueOf(run.sandbox, seedIds.plainFeature)!.key);
    const third = await run.sync();
    expect(third.plan.actions.filter((a) => a.pbId === subfeature)).toEqual([]);
  });
});

describe('issue 9 §11: a 503 after a create is ambiguous', () => {
  it('answered 503 after the write: resolved by stamp lookup, never sent again; zero duplicates', async () => {
    const run = await start({ jira: { behaviour: { answer503AfterWrite: { route: 'POST /rest/api/3/issue/bulk', count: 2 } } } });
    const report = await run.sync();
    expect(run.sandbox.requests.filter((r) => r.route === 'POST /rest/api/3/issue/bulk' && r.status === 503)).toHaveLength(2);
    // The gateway's 503 is no answer the operation documents: the contract check records exactly those two.
    expect(takeViolations(run.sandbox).map((v) => [v.operation, v.status])).toEqual([
      ['POST /rest/api/3/issue/bulk', 503],
      ['POST /rest/api/3/issue/bulk', 503],
    ]);
    expect(report.apply).toMatchObject({ failed: 0 });
    expect(noDuplicates(run.sandbox)).toBe(true);
    // Adopted by their stamps, in this pass or the next: every item has exactly one issue.
    run.clock.advance(run.config.sync.intentSettleSeconds * 1000 + 1000);
    const again = await run.sync();
    expect(again.plan.counts.create).toBe(0);
    expect(noDuplicates(run.sandbox)).toBe(true);
    expect(snapshotJira(run.sandbox.jira.state).size).toBe(report.desired.issues.size);
  });
});

describe('issue 10 H1: a repeated nextPageToken from Jira', () => {
  it('stops the read with an invalid-response error naming the endpoint, after two pages, in bounded time', async () => {
    const run = await start({ jira: { behaviour: { repeatNextPageToken: true } } });
    const began = Date.now();
    await expect(run.sync()).rejects.toMatchObject({
      kind: 'invalid-response',
      service: 'jira',
      endpoint: 'POST /rest/api/3/search/jql',
      message: expect.stringContaining('returned a nextPageToken it had already returned'),
    });
    expect(count(run.sandbox, 'POST /rest/api/3/search/jql')).toBe(2);
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(run.sandbox.requests.filter((r) => r.route === 'POST /rest/api/3/issue/bulk')).toEqual([]);
  });
});

describe('issue 10 low 2.18: a definite refusal of a bulk create', () => {
  it('a 401 on a bulk create fails its items (not pending, not awaiting search); the next pass creates them at once', async () => {
    const run = await start({
      faults: { hostile: [{ kind: 'echoCredentials', service: 'jira', route: 'POST /rest/api/3/issue/bulk', count: 1 }] },
    });
    await expect(run.sync()).rejects.toMatchObject({ kind: 'auth' });
    const ledger = Ledger.open(run.config.ledgerPath);
    const links = [...ledger.links().values()];
    ledger.close();
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => l.state === 'failed' && l.intentAt === null)).toBe(true);
    const report = await run.sync();
    expect(report.plan.actions.filter((a) => a.kind === 'skip' && a.reason === 'awaiting-search')).toEqual([]);
    expect(report.apply).toMatchObject({ failed: 0, pending: 0 });
    expect(noDuplicates(run.sandbox)).toBe(true);
  });
});
