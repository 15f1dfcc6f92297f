import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type JiraSandboxOptions, type Sandbox } from '../../src/sandbox/index.js';
import { adf, jira } from './helpers.js';
import { responseProblems, schemaProblems } from './jira-spec.js';

// Fields of the site (GET /rest/api/3/field) and their values on issues: written by create and edit, validated by
// type like Jira, returned by get, search/jql and bulkfetch when asked for.

const SITE: JiraSandboxOptions = {
  customFields: [
    { id: 'customfield_10016', name: 'Story Points', type: 'number' },
    { id: 'customfield_10050', name: 'Customer', type: 'text' },
    { id: 'customfield_10051', name: 'Acceptance criteria', type: 'textarea' },
    { id: 'customfield_10052', name: 'Impact', type: 'select', options: ['High', 'Medium', 'Low'] },
    { id: 'customfield_10053', name: 'Value streams', type: 'multiselect', options: ['Checkout', 'Search', 'Onboarding'] },
    { id: 'customfield_10054', name: 'Tags', type: 'labels' },
    { id: 'customfield_10055', name: 'Target start', type: 'date' },
    { id: 'customfield_10056', name: 'Product owner', type: 'user' },
  ],
  screens: {
    '*': {
      fields: [
        'description',
        'labels',
        'duedate',
        'parent',
        'priority',
        'components',
        'fixVersions',
        'assignee',
        'Story Points',
        'Customer',
        'Acceptance criteria',
        'Impact',
        'Value streams',
        'Tags',
        'Target start',
        'Product owner',
      ],
    },
  },
  components: ['Frontend', 'Backend'],
  versions: ['2026.1', { name: 'Old', archived: true }],
  users: [{ displayName: 'Ada Lovelace', email: 'ada@example.com', accountId: '5b10ac8d82e05b22cc7d4ef5' }],
};

const FULL = {
  priority: { name: 'High' },
  components: [{ name: 'Backend' }],
  fixVersions: [{ name: '2026.1' }],
  assignee: { accountId: '5b10ac8d82e05b22cc7d4ef5' },
  customfield_10016: 5,
  customfield_10050: 'ACME Corp',
  customfield_10051: adf('Given a cart, when I pay, then I get a receipt'),
  customfield_10052: { value: 'High' },
  customfield_10053: [{ value: 'Checkout' }, { value: 'Search' }],
  customfield_10054: ['q3', 'beta'],
  customfield_10055: '2026-07-01',
  customfield_10056: { accountId: '5b10ac8d82e05b22cc7d4ef5' },
};

describe('Jira fields and field values', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ jira: SITE });
  });
  afterAll(async () => {
    await sb.close();
  });
  const create = (fields: Record<string, unknown>, type = 'Story') =>
    jira(sb, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PBJ' }, issuetype: { name: type }, summary: 'Pay with one click', ...fields },
    });

  it("GET /field lists system and custom fields with Jira's schema types", async () => {
    const r = await jira(sb, 'GET', '/rest/api/3/field');
    expect(r.status).toBe(200);
    expect(responseProblems('GET', '/rest/api/3/field', 200, r.body)).toEqual([]);
    const byId = Object.fromEntries(r.body.map((f: { id: string; schema: unknown }) => [f.id, f]));
    const schema = (id: string) => byId[id]?.schema;
    expect(schema('priority')).toEqual({ type: 'priority', system: 'priority' });
    expect(schema('components')).toEqual({ type: 'array', items: 'component', system: 'components' });
    expect(schema('fixVersions')).toEqual({ type: 'array', items: 'version', system: 'fixVersions' });
    expect(schema('labels')).toEqual({ type: 'array', items: 'string', system: 'labels' });
    expect(schema('duedate')).toEqual({ type: 'date', system: 'duedate' });
    expect(schema('assignee')).toEqual({ type: 'user', system: 'assignee' });
    const custom = 'com.atlassian.jira.plugin.system.customfieldtypes';
    expect(schema('customfield_10016')).toEqual({ type: 'number', custom: `${custom}:float`, customId: 10016 });
    expect(schema('customfield_10050')).toEqual({ type: 'string', custom: `${custom}:textfield`, customId: 10050 });
    expect(schema('customfield_10052')).toEqual({ type: 'option', custom: `${custom}:select`, customId: 10052 });
    expect(schema('customfield_10053')).toEqual({ type: 'array', items: 'option', custom: `${custom}:multiselect`, customId: 10053 });
    expect(schema('customfield_10054')).toEqual({ type: 'array', items: 'string', custom: `${custom}:labels`, customId: 10054 });
    expect(schema('customfield_10055')).toEqual({ type: 'date', custom: `${custom}:datepicker`, customId: 10055 });
    expect(schema('customfield_10056')).toEqual({ type: 'user', custom: `${custom}:userpicker`, customId: 10056 });
    // Jira Software's Flagged field is on every site.
    expect(byId['customfield_10021']).toMatchObject({ name: 'Flagged', custom: true, clauseNames: ['cf[10021]', 'Flagged'] });
  });

  it('stores every type of value and returns it from get, search/jql and bulkfetch when asked', async () => {
    const c = await create(FULL);
    expect(c.status).toBe(201);
    const ids = Object.keys(FULL);
    const got = await jira(sb, 'GET', `/rest/api/3/issue/${c.body.id}?fields=${ids.join(',')}`);
    expect(responseProblems('GET', '/rest/api/3/issue/{issueIdOrKey}', 200, got.body)).toEqual([]);
    const f = got.body.fields;
    expect(f.priority).toMatchObject({ name: 'High', id: '2' });
    expect(schemaProblems('Priority', f.priority)).toEqual([]);
    expect(f.components).toMatchObject([{ name: 'Backend' }]);
    expect(f.fixVersions).toMatchObject([{ name: '2026.1', released: false, archived: false }]);
    expect(schemaProblems('Version', f.fixVersions[0])).toEqual([]);
    expect(f.assignee).toMatchObject({
      accountId: '5b10ac8d82e05b22cc7d4ef5',
      displayName: 'Ada Lovelace',
      emailAddress: 'ada@example.com',
    });
    expect(schemaProblems('User', f.assignee)).toEqual([]);
    expect(f.customfield_10016).toBe(5);
    expect(f.customfield_10050).toBe('ACME Corp');
    expect(f.customfield_10051).toEqual(FULL.customfield_10051);
    expect(f.customfield_10052).toMatchObject({
      value: 'High',
      id: expect.any(String),
      self: expect.stringContaining('/rest/api/3/customFieldOption/'),
    });
    expect(f.customfield_10053.map((o: { value: string }) => o.value)).toEqual(['Checkout', 'Search']);
    expect(f.customfield_10054).toEqual(['q3', 'beta']);
    expect(f.customfield_10055).toBe('2026-07-01');
    expect(f.customfield_10056).toMatchObject({ accountId: '5b10ac8d82e05b22cc7d4ef5' });

    const search = await jira(sb, 'POST', '/rest/api/3/search/jql', {
      jql: `key = ${c.body.key}`,
      fields: ['summary', 'customfield_10016', 'customfield_10052', 'priority'],
    });
    expect(responseProblems('POST', '/rest/api/3/search/jql', 200, search.body)).toEqual([]);
    expect(search.body.issues[0].fields).toEqual({
      summary: 'Pay with one click',
      customfield_10016: 5,
      customfield_10052: f.customfield_10052,
      priority: f.priority,
    });
    const idOnly = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: `key = ${c.body.key}` });
    expect(idOnly.body.issues[0].fields).toEqual({});
    const fetched = await jira(sb, 'POST', '/rest/api/3/issue/bulkfetch', {
      issueIdsOrKeys: [c.body.key],
      fields: ['customfield_10053', 'components'],
    });
    expect(fetched.body.issues[0].fields).toEqual({ customfield_10053: f.customfield_10053, components: f.components });
    const all = await jira(sb, 'GET', `/rest/api/3/issue/${c.body.id}`);
    expect(all.body.fields).toMatchObject({ customfield_10016: 5, customfield_10021: null, priority: { name: 'High' } });

    expect(sb.jira.state.getIssue(c.body.id)).toMatchObject({
      priority: 'High',
      components: ['Backend'],
      fixVersions: ['2026.1'],
      assignee: '5b10ac8d82e05b22cc7d4ef5',
      customFields: { 'Story Points': 5, Impact: 'High', 'Value streams': ['Checkout', 'Search'], Tags: ['q3', 'beta'], Flagged: null },
    });
  });

  it('gives new issues the default priority and empty values', async () => {
    const c = await create({});
    const got = await jira(
      sb,
      'GET',
      `/rest/api/3/issue/${c.body.id}?fields=priority,components,fixVersions,assignee,customfield_10052,customfield_10053`,
    );
    expect(got.body.fields).toMatchObject({
      priority: { name: 'Medium' },
      components: [],
      fixVersions: [],
      assignee: null,
      customfield_10052: null,
      customfield_10053: null,
    });
  });

  it('refuses a value of the wrong type or an option that does not exist, keyed by field like Jira', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ customfield_10016: 'five' }, 'customfield_10016', 'Operation value must be a number'],
      [{ customfield_10050: 42 }, 'customfield_10050', 'Operation value must be a string'],
      [
        { customfield_10050: 'x'.repeat(256) },
        'customfield_10050',
        'The entered text is too long. It exceeds the allowed limit of 255 characters.',
      ],
      [
        { customfield_10051: 'plain text' },
        'customfield_10051',
        'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
      ],
      [{ customfield_10052: { value: 'Huge' } }, 'customfield_10052', "Option value 'Huge' is not valid"],
      [{ customfield_10052: { id: '1' } }, 'customfield_10052', "Option id '1' is not valid"],
      [{ customfield_10052: 'High' }, 'customfield_10052', "Could not find valid 'id' or 'value' in the Parent Option object."],
      [{ customfield_10053: { value: 'Checkout' } }, 'customfield_10053', 'data was not an array'],
      [{ customfield_10053: [{ value: 'Checkout' }, { value: 'Billing' }] }, 'customfield_10053', "Option value 'Billing' is not valid"],
      [{ customfield_10054: ['has space'] }, 'customfield_10054', "The label 'has space' contains spaces which is invalid."],
      [{ customfield_10055: '01/07/2026' }, 'customfield_10055', 'Error parsing date string: 01/07/2026'],
      [{ customfield_10056: { accountId: 'nobody' } }, 'customfield_10056', "User 'nobody' does not exist."],
      [{ priority: { name: 'Urgent' } }, 'priority', 'The priority selected is invalid.'],
      [{ priority: 'High' }, 'priority', 'Specify the Priority (name) in the string format'],
      [{ components: [{ name: 'Mobile' }] }, 'components', "Component name 'Mobile' is not valid"],
      [{ components: ['Backend'] }, 'components', 'expected Object'],
      [{ fixVersions: [{ name: '9.9' }] }, 'fixVersions', "Version name '9.9' is not valid"],
      [{ fixVersions: [{ name: 'Old' }] }, 'fixVersions', "Version name 'Old' is not valid"],
      [{ assignee: { accountId: 'ghost' } }, 'assignee', "User 'ghost' does not exist."],
      [
        { customfield_99999: 1 },
        'customfield_99999',
        "Field 'customfield_99999' cannot be set. It is not on the appropriate screen, or unknown.",
      ],
    ];
    for (const [fields, key, message] of cases) {
      const r = await create(fields);
      expect(r.status, JSON.stringify(fields).slice(0, 60)).toBe(400);
      expect(r.body).toEqual({ errorMessages: [], errors: { [key]: message } });
    }
  });

  it('edits values with set, add and remove, and clears them with null', async () => {
    const c = await create({ components: [{ name: 'Backend' }], customfield_10053: [{ value: 'Checkout' }] });
    const edit = await jira(sb, 'PUT', `/rest/api/3/issue/${c.body.id}`, {
      fields: { customfield_10016: 8, priority: { id: '1' } },
      update: {
        components: [{ add: { name: 'Frontend' } }, { remove: { name: 'Backend' } }],
        customfield_10053: [{ add: { value: 'Onboarding' } }],
        fixVersions: [{ set: [{ name: '2026.1' }] }],
      },
    });
    expect(edit.status).toBe(204);
    expect(sb.jira.state.getIssue(c.body.id)).toMatchObject({
      priority: 'Highest',
      components: ['Frontend'],
      fixVersions: ['2026.1'],
      customFields: { 'Story Points': 8, 'Value streams': ['Checkout', 'Onboarding'] },
    });
    const before = sb.jira.state.getIssue(c.body.id)?.updated;
    await new Promise((r) => setTimeout(r, 5));
    // Writing the same values again changes nothing, so `updated` stays.
    await jira(sb, 'PUT', `/rest/api/3/issue/${c.body.id}`, { fields: { customfield_10016: 8 } });
    expect(sb.jira.state.getIssue(c.body.id)?.updated).toBe(before);
    await jira(sb, 'PUT', `/rest/api/3/issue/${c.body.id}`, { fields: { customfield_10016: null, components: [] } });
    expect(sb.jira.state.getIssue(c.body.id)).toMatchObject({ components: [], customFields: { 'Story Points': null } });
    const badOp = await jira(sb, 'PUT', `/rest/api/3/issue/${c.body.id}`, { update: { customfield_10016: [{ add: 1 }] } });
    expect(badOp.body.errors.customfield_10016).toBe("Field 'customfield_10016' does not support the operation 'add'.");
  });

  it('searches by priority, component, fix version, assignee, resolution and custom fields with JQL', async () => {
    const a = await create({ ...FULL, labels: ['jql'] });
    const b = await create({ labels: ['jql'], priority: { name: 'Low' }, customfield_10016: 13, customfield_10052: { value: 'Low' } });
    sb.jira.state.flag(b.body.key);
    const keys = async (jql: string): Promise<string[]> => {
      const r = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: `labels = jql AND ${jql}` });
      expect(r.status, `${jql}: ${r.text}`).toBe(200);
      return r.body.issues.map((i: { key: string }) => i.key);
    };
    const [ka, kb] = [a.body.key as string, b.body.key as string];
    expect(await keys('priority = High')).toEqual([ka]);
    expect(await keys('priority in (Low, Lowest)')).toEqual([kb]);
    expect(await keys('component = Backend')).toEqual([ka]);
    expect(await keys('component is EMPTY')).toEqual([kb]);
    expect(await keys('fixVersion = "2026.1"')).toEqual([ka]);
    expect(await keys('assignee = 5b10ac8d82e05b22cc7d4ef5')).toEqual([ka]);
    expect(await keys('resolution is EMPTY')).toEqual([ka, kb]);
    expect(await keys('Impact = Low')).toEqual([kb]);
    expect(await keys('cf[10052] != Low')).toEqual([ka]);
    expect(await keys('"Story Points" > 8')).toEqual([kb]);
    expect(await keys('"Value streams" in (Search, Onboarding)')).toEqual([ka]);
    expect(await keys('Flagged is not EMPTY')).toEqual([kb]);
    expect(await keys('Customer ~ acme')).toEqual([ka]);
    const bad = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'Impact = Huge' });
    expect(bad.status).toBe(400);
    expect(bad.body.errorMessages).toEqual(["The value 'Huge' does not exist for the field 'Impact'."]);
    const badOp = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'Customer = acme' });
    expect(badOp.body.errorMessages).toEqual(["The operator '=' is not supported by the 'Customer' field."]);
  });

  it('lets tests and people set any field value through the state, with the same type rules', () => {
    const issue = sb.jira.state.createIssue({
      issueType: 'Story',
      summary: 'Hand-made',
      fields: { Impact: { value: 'Low' }, priority: { name: 'Low' } },
    });
    expect(issue).toMatchObject({ priority: 'Low', customFields: { Impact: 'Low' } });
    sb.jira.state.setField(issue.key, 'Story Points', 3);
    sb.jira.state.setField(issue.key, 'components', [{ name: 'Frontend' }]);
    expect(sb.jira.state.getIssue(issue.key)).toMatchObject({ components: ['Frontend'], customFields: { 'Story Points': 3 } });
    expect(() => sb.jira.state.setField(issue.key, 'Impact', { value: 'Huge' })).toThrow("Impact: Option value 'Huge' is not valid");
    expect(() => sb.jira.state.setField(issue.key, 'summary', 'x')).toThrow(/not a field setField can set/);
    const option = sb.jira.state.site.addOption('Impact', 'Critical');
    sb.jira.state.setField(issue.key, 'Impact', { id: option.id });
    expect(sb.jira.state.getIssue(issue.key)?.customFields['Impact']).toBe('Critical');
  });
});
