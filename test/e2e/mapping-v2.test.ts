import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ledger } from '../../src/ledger/ledger.js';
import { compileMappingSource, loadMapping } from '../../src/mapping/load-mapping.js';
import { formatPlan } from '../../src/report/format-plan.js';
import { syncReportJson } from '../../src/report/plan-json.js';
import { parseLocatedYaml } from '../../src/util/located-yaml.js';
import { buildModelWorkspace, deliveryModelJira, modelIds, modelOwners, type Sandbox } from '../../src/sandbox/index.js';
import { repoPath } from '../helpers/builders.js';
import { startingInProcess, type InProcess } from '../helpers/in-process.js';

// The three shipped version 2 mappings end to end: the real engine in-process against the sandbox's Productboard model
// workspace (custom fields, drivers, owners, releases, value streams) and a Jira that runs the seeds' models
// (deliveryModelJira: Outcome at level 2, Backlog item / Spike / Bug, driver fields, value-stream components, users).

const start = startingInProcess();

async function startWith(file: string): Promise<InProcess> {
  const run = await start({ workspace: buildModelWorkspace(), jira: deliveryModelJira() });
  const compiled = loadMapping(repoPath(file), file);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  run.config.mapping = compiled.mapping;
  return run;
}

const issueOf = (sb: Sandbox, pbId: string) => sb.jira.state.issues().find((i) => i.labels.includes(`pb-${pbId}`));
const F = modelIds.features;
/** Writes to issues (the pass's lease lives in a project property: not an issue write). */
const issueWrites = (sb: Sandbox) =>
  sb.requests.filter(
    (r) =>
      r.service === 'jira' &&
      r.method !== 'GET' &&
      /\/rest\/api\/3\/(issue|component|version)\b/.test(r.route) &&
      !/search|bulkfetch/.test(r.route),
  );
const userId = (sb: Sandbox, email: string) => sb.jira.state.directory.listUsers().find((u) => u.email === email)?.accountId;

describe('issue 11: mappings/product-delivery-flow.yaml', () => {
  it('carries the four drivers, priority, assignee, fix versions and components; a rerun writes nothing; a driver change updates that field only', async () => {
    const run = await startWith('mappings/product-delivery-flow.yaml');
    // The plan shows a create's summary when the template makes Jira's differ from the item's name.
    expect(formatPlan(await run.sync({ dryRun: true }))).toMatch(/\+ create Story "Theme editor"\n\s+summary: +"\[High\] Theme editor"\n/);
    run.sandbox.resetRequestLog();
    const first = await run.sync();
    expect(first.apply.failed).toBe(0);
    const theme = issueOf(run.sandbox, F['Theme editor']!)!;
    expect(theme.issueType.name).toBe('Story');
    // The history names each field as the plan does (by Jira's name, values as compared), not by field id.
    const ledger = Ledger.openReadOnly(run.config.ledgerPath)!;
    const created = ledger.history.ofItem(theme.key).find((e) => e.action === 'create')!;
    ledger.close();
    expect(created.changes).toEqual(
      expect.arrayContaining([
        { field: 'Impact', type: 'value', from: null, to: 'High' },
        { field: 'Request frequency', type: 'value', from: null, to: 6 },
      ]),
    );
    expect(created.changes.some((c) => c.field.startsWith('customfield_'))).toBe(false);
    expect(theme.summary).toBe('[High] Theme editor');
    expect(theme.customFields).toMatchObject({
      Impact: 'High',
      'Request frequency': 6,
      Demand: 'Many',
      'Strategic alignment': 'High',
      Effort: 'Medium',
    });
    expect(theme.priority).toBe('High');
    expect(theme.fixVersions).toEqual(['2026.2']);
    expect(theme.components).toEqual(['Hub experience']);
    expect(theme.assignee).toBe(userId(run.sandbox, modelOwners.maria));
    // Every field travelled inside the bulk creates: not one edit after them.
    expect(run.sandbox.requests.filter((r) => r.route === 'PUT /rest/api/3/issue/{id}')).toEqual([]);
    // Components the project lacked were added once each, as the mapping allows (`create: true`).
    expect(run.sandbox.requests.filter((r) => r.route === 'POST /rest/api/3/component')).toHaveLength(3); // Compute exists already
    // The contractor is no Jira user: a warning on that item, the issue created without an assignee.
    const checklist = issueOf(run.sandbox, F['Partner welcome checklist']!)!;
    expect(checklist.assignee).toBeNull();
    expect(first.desired.warnings).toContainEqual(
      expect.objectContaining({ pbId: F['Partner welcome checklist'], message: expect.stringContaining(modelOwners.contractor) }),
    );
    // One user search per distinct email in the pass.
    const searches = run.sandbox.requests.filter((r) => r.route === 'GET /rest/api/3/user/search');
    // 15 owned initiatives and features, four distinct owners (Maria, Tom, Lea, the contractor): four searches.
    expect(searches).toHaveLength(4);
    const invite = issueOf(run.sandbox, F['Invite timeout on large CSVs']!)!;
    expect(invite.customFields).toMatchObject({ 'Request frequency': 4, Demand: 'Some' });

    run.sandbox.resetRequestLog();
    const again = await run.sync();
    expect(again.plan.counts).toMatchObject({ create: 0, update: 0, move: 0 });
    expect(issueWrites(run.sandbox)).toEqual([]);

    run.sandbox.productboard.state.setCustomField(F['Theme editor']!, modelIds.fields.Effort, 'High');
    run.sandbox.resetRequestLog();
    const third = await run.sync();
    const updates = third.plan.actions.filter((a) => a.kind === 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      pbId: F['Theme editor'],
      changes: [{ field: 'jiraField', name: 'Effort', from: 'Medium', to: 'High' }],
    });
    expect(issueOf(run.sandbox, F['Theme editor']!)!.customFields['Effort']).toBe('High');
    // One edit, the field inside it: no request of its own.
    expect(issueWrites(run.sandbox).map((r) => r.route)).toEqual(['PUT /rest/api/3/issue/{id}']);
  });
});

describe('issue 11: templates and bad input in the plan', () => {
  it('a dry run shows the rendered summary and the field values each create will write', async () => {
    const run = await startWith('mappings/product-delivery-flow.yaml');
    const report = await run.sync({ dryRun: true });
    const text = formatPlan(report);
    // One line per field it writes, named as the plan names fields (not repeated on the create's own line).
    const theme = text.slice(text.indexOf('+ create Story "Theme editor"\n')).split('\n');
    const fields = theme.slice(
      1,
      theme.findIndex((line, i) => i > 0 && !/^\s+[A-Za-z][A-Za-z ]*: /.test(line)),
    );
    expect(fields.map((line) => line.trim().replace(/\s+/g, ' '))).toEqual(
      expect.arrayContaining([
        'summary: "[High] Theme editor"',
        'impact: "High"',
        'request frequency: 6',
        'priority: "High"',
        'components: +Hub experience',
      ]),
    );
    expect(text).toMatch(/\+ component "Hub experience"/);
    // The same in --json: the summary as written, the fields by the name Jira shows them, the additions.
    const json = syncReportJson(report);
    expect(json.plan.actions.find((a) => a.pbId === F['Theme editor'])).toMatchObject({
      kind: 'create',
      summary: '[High] Theme editor',
      fields: { Impact: 'High', 'Request frequency': '6', Demand: 'Many', Priority: 'High', Components: 'Hub experience' },
    });
    expect(json.plan.additions).toContainEqual({ kind: 'component', name: 'Hub experience' });
    expect(run.sandbox.jira.state.issues()).toEqual([]);
  });

  it('a value Jira cannot take is named with the item and the field, and that item is not written at all', async () => {
    const run = await startWith('mappings/product-delivery-flow.yaml');
    const yaml = readFileSync(repoPath('mappings/product-delivery-flow.yaml'), 'utf8').replace(
      'Request frequency: { from: insights.count }',
      'Request frequency: { from: fields.Impact }',
    );
    const compiled = compileMappingSource(parseLocatedYaml(yaml, 'mappings/bad.yaml'));
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    run.config.mapping = compiled.mapping;
    const report = await run.sync();
    const skip = report.plan.actions.find((a) => a.kind === 'skip' && a.pbId === F['Theme editor']);
    expect(skip).toMatchObject({
      reason: 'invalid-item',
      detail: 'rules[1].jira.fields["Request frequency"] (Request frequency): "High" is not a number',
    });
    expect(issueOf(run.sandbox, F['Theme editor']!)).toBeUndefined();
    // The rest of the pass goes on: the initiatives' Epics are created, the skipped item's subfeatures wait for it.
    expect(issueOf(run.sandbox, modelIds.initiatives.customise)?.issueType.name).toBe('Epic');
    const colourPicker = report.plan.actions.find((a) => a.name === 'Colour picker');
    expect(colourPicker).toMatchObject({ kind: 'skip', reason: 'parent-not-synced' });
  });
});

describe('issue 11: mappings/workflow-hierarchy.yaml', () => {
  it('objective → Outcome (level 2) → Epic → Backlog item / Spike / Bug by "Feature type" → Sub-task, investment type carried; a rerun writes nothing', async () => {
    const run = await startWith('mappings/workflow-hierarchy.yaml');
    const first = await run.sync();
    expect(first.apply.failed).toBe(0);
    const sb = run.sandbox;
    const outcome = issueOf(sb, modelIds.objectives.selfService)!;
    expect(outcome.issueType).toMatchObject({ name: 'Outcome', hierarchyLevel: 2 });
    const epic = issueOf(sb, modelIds.initiatives.customise)!;
    expect(epic.issueType.name).toBe('Epic');
    expect(epic.parentKey).toBe(outcome.key);
    expect(epic.customFields['Investment type']).toBe('Added value');
    const types = Object.fromEntries(
      ['Theme editor', 'Theme import from CSS', 'Broken logo cache'].map((n) => [n, issueOf(sb, F[n]!)!.issueType.name]),
    );
    expect(types).toEqual({ 'Theme editor': 'Backlog item', 'Theme import from CSS': 'Spike', 'Broken logo cache': 'Bug' });
    for (const n of ['Theme editor', 'Theme import from CSS', 'Broken logo cache']) expect(issueOf(sb, F[n]!)!.parentKey).toBe(epic.key);
    expect(issueOf(sb, F['Broken logo cache']!)!.customFields['Investment type']).toBe('Corrective');
    const subtasks = sb.jira.state.issues().filter((i) => i.issueType.name === 'Sub-task');
    expect(subtasks.length).toBeGreaterThan(0);
    expect(subtasks.every((s) => s.parentKey !== null)).toBe(true);

    sb.resetRequestLog();
    const again = await run.sync();
    expect(again.plan.counts).toMatchObject({ create: 0, update: 0, move: 0 });
    expect(issueWrites(sb)).toEqual([]);

    sb.productboard.state.setCustomField(F['Theme editor']!, modelIds.fields['Investment type'], 'Adaptive');
    const third = await run.sync();
    const updates = third.plan.actions.filter((a) => a.kind === 'update');
    expect(updates).toEqual([
      expect.objectContaining({
        pbId: F['Theme editor'],
        changes: [expect.objectContaining({ name: 'Investment type', from: 'Added value', to: 'Adaptive' })],
      }),
    ]);
    expect(issueOf(sb, F['Theme editor']!)!.customFields['Investment type']).toBe('Adaptive');
  });
});

describe('issue 11: mappings/value-streams.yaml', () => {
  it('writes each stream as a component and a label, exposes it on the desired item, and subfeatures inherit it', async () => {
    const run = await startWith('mappings/value-streams.yaml');
    const first = await run.sync();
    expect(first.apply.failed).toBe(0);
    const sb = run.sandbox;
    const theme = issueOf(sb, F['Theme editor']!)!;
    expect(theme.components).toEqual(['Self-service']);
    expect(theme.labels).toContain('vs-Self-service');
    expect(first.desired.issues.get(F['Theme editor']!)?.valueStream).toBe('Self-service');
    // Only a tag: still a stream. Tag and field disagree: the tag, read first, wins.
    expect(issueOf(sb, F['Faster admin pages']!)!.components).toEqual(['Self-service']);
    expect(first.desired.issues.get(F['Usage export API']!)?.valueStream).toBe('Compute');
    // A subfeature has no stream of its own: its feature's.
    const colourPicker = [...first.desired.issues.values()].find((i) => i.name === 'Colour picker')!;
    expect(colourPicker.valueStream).toBe('Self-service');
    expect(issueOf(sb, colourPicker.pbId)!.components).toEqual(['Self-service']);
    // No stream at all: none written.
    expect(first.desired.issues.get(F['Dark mode']!)?.valueStream ?? null).toBeNull();

    sb.resetRequestLog();
    const again = await run.sync();
    expect(again.plan.counts).toMatchObject({ create: 0, update: 0, move: 0 });
    expect(issueWrites(sb)).toEqual([]);
  });
});

describe('issue 11: the hierarchy policy and value streams in reconcile', () => {
  it('a level-0 issue without a parent, even one made by hand, is `unparented-in-jira`: reported and alerted, never changed', async () => {
    const run = await startWith('mappings/workflow-hierarchy.yaml');
    await run.sync();
    const sb = run.sandbox;
    const manual = sb.jira.state.createIssue({ issueType: 'Story', summary: 'Quick fix made by hand' });
    const epicless = sb.jira.state.createIssue({ issueType: 'Epic', summary: 'An epic without an outcome' });
    const report = await run.reconcile({ alert: 'changes' });
    const found = report.findings.filter((f) => f.kind === 'unparented-in-jira');
    expect(found.map((f) => f.jiraKey)).toEqual([manual.key]); // level 1 is not in the policy: the Epic is fine
    expect(found[0]).toMatchObject({ pbId: null, message: expect.stringContaining(`${manual.key} (Story, level 0) has no parent`) });
    expect(epicless.key).not.toBe(manual.key);
    expect(report.alert.sent).toBe(true);
    expect(JSON.stringify(sb.slack.messages.at(-1))).toContain(manual.key);
    // Never changed: still without a parent.
    expect(sb.jira.state.issues().find((i) => i.key === manual.key)?.parentKey).toBeNull();
  });

  it('an item without a value stream is `no-value-stream` when the mapping requires one', async () => {
    const run = await startWith('mappings/value-streams.yaml');
    await run.sync();
    const report = await run.reconcile();
    const names = report.findings.filter((f) => f.kind === 'no-value-stream').map((f) => f.pbName);
    expect(names).toContain('Dark mode');
    expect(names).not.toContain('Theme editor');
    expect(names).not.toContain('Faster admin pages');
  });
});

describe('issue 11: filters', () => {
  it('a rule `where` leaves items out as `skip filtered` (their subfeatures too); issues synced before are never reported as orphaned', async () => {
    const run = await startWith('mappings/value-streams.yaml');
    await run.sync();
    // A pilot for one value stream: the feature rule keeps the Self-service items that are not bugs.
    const yaml = readFileSync(repoPath('mappings/value-streams.yaml'), 'utf8').replace(
      '  - from: feature\n',
      '  - from: feature\n    where: { fields: { Value stream: [Self-service] }, not: { tags: [bug] } }\n',
    );
    const compiled = compileMappingSource(parseLocatedYaml(yaml, 'mappings/pilot.yaml'));
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    run.config.mapping = compiled.mapping;
    const pilot = await run.sync({ dryRun: true });
    const skip = (name: string) => pilot.plan.actions.find((a) => a.name === name && a.kind === 'skip');
    expect(skip('SAML login for partners')).toMatchObject({
      reason: 'filtered',
      detail: expect.stringContaining('its Value stream is "Onboarding", not "Self-service"'),
    });
    expect(skip('Broken logo cache')).toMatchObject({ reason: 'filtered', detail: expect.stringContaining('where.not') });
    expect(skip('Just-in-time provisioning')).toMatchObject({ reason: 'filtered', detail: expect.stringContaining('is filtered out') });
    expect(skip('Theme editor')).toBeUndefined();
    expect(pilot.plan.counts).toMatchObject({ create: 0, update: 0, move: 0 });
    const report = await run.reconcile();
    const about = (name: string) => report.findings.filter((f) => f.pbName === name).map((f) => f.kind);
    expect(about('SAML login for partners')).toEqual([]);
    expect(about('Just-in-time provisioning')).toEqual([]);
  });
});

describe('issue 11: computed values', () => {
  it('insights.customers counts the distinct customers behind the linked insights, beside insights.count', async () => {
    const run = await startWith('mappings/product-delivery-flow.yaml');
    const yaml = readFileSync(repoPath('mappings/product-delivery-flow.yaml'), 'utf8').replace(
      'Request frequency: { from: insights.count }',
      'Request frequency: { from: insights.customers }',
    );
    const compiled = compileMappingSource(parseLocatedYaml(yaml, 'mappings/customers.yaml'));
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    run.config.mapping = compiled.mapping;
    const report = await run.sync({ dryRun: true });
    const frequency = (name: string) =>
      report.desired.issues.get(F[name]!)?.fields.mapped?.find((m) => m.name === 'Request frequency')?.value;
    // Four insights from three customers (two from the University of Tartu); six from six.
    expect(frequency('Invite timeout on large CSVs')).toBe(3);
    expect(frequency('Theme editor')).toBe(6);
  });
});
