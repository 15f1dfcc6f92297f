import { describe, expect, it } from 'vitest';
import { companyManagedJira, JiraState, type JiraSandboxOptions, type Sandbox } from '../../src/sandbox/index.js';
import { adf, jira } from './helpers.js';
import { responseProblems, schemaProblems } from './jira-spec.js';
import { sandboxPerTest } from './jira-sandbox.js';

// Create metadata and the screens behind it: what a client must read before its first create, and what Jira refuses
// when it did not: an Epic Name required on create, a screen without Labels or Due date.

const open = sandboxPerTest();

const CREATEMETA = '/rest/api/3/issue/createmeta/PBJ/issuetypes';
const typeId = (s: Sandbox, name: string): string => s.jira.state.site.typeByName(name)?.id ?? '';
/** FieldCreateMetadata, as far as these tests read it. */
type FieldMeta = { fieldId: string; name: string; required: boolean; allowedValues: Array<{ name: string; value: string }> };
const fieldsOf = async (s: Sandbox, type: string): Promise<FieldMeta[]> =>
  (await jira(s, 'GET', `${CREATEMETA}/${typeId(s, type)}`)).body.fields;

describe('Jira create metadata', () => {
  it('pages the project issue types like the spec (startAt, maxResults ≤ 200, total)', async () => {
    const s = await open();
    const all = await jira(s, 'GET', CREATEMETA);
    expect(all.status).toBe(200);
    expect(responseProblems('GET', '/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes', 200, all.body)).toEqual([]);
    expect(all.body).toMatchObject({ startAt: 0, maxResults: 50, total: 5 });
    expect(all.body.issueTypes.map((t: { name: string; hierarchyLevel: number }) => [t.name, t.hierarchyLevel])).toEqual([
      ['Epic', 1],
      ['Story', 0],
      ['Task', 0],
      ['Bug', 0],
      ['Sub-task', -1],
    ]);
    const page = await jira(s, 'GET', `${CREATEMETA}?startAt=3&maxResults=2`);
    expect(page.body.issueTypes.map((t: { name: string }) => t.name)).toEqual(['Bug', 'Sub-task']);
    expect(page.body).toMatchObject({ startAt: 3, maxResults: 2, total: 5 });

    const tooMany = await jira(s, 'GET', `${CREATEMETA}?maxResults=201`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({ errorMessages: ["Parameter 'maxResults' must not exceed the limit '200'"], errors: {} });
    const noProject = await jira(s, 'GET', '/rest/api/3/issue/createmeta/NOPE/issuetypes');
    expect(noProject.status).toBe(400);
    expect(schemaProblems('ErrorCollection', noProject.body)).toEqual([]);
    expect((await jira(s, 'GET', `${CREATEMETA}/99999`)).status).toBe(400);
  });

  it('the default screens hold summary, description, labels, due date and parent; a sub-task needs its parent', async () => {
    const s = await open();
    const story = await jira(s, 'GET', `${CREATEMETA}/${typeId(s, 'Story')}`);
    expect(responseProblems('GET', '/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}', 200, story.body)).toEqual([]);
    expect(story.body.fields.map((f: { fieldId: string; required: boolean }) => [f.fieldId, f.required])).toEqual([
      ['project', true],
      ['issuetype', true],
      ['summary', true],
      ['description', false],
      ['labels', false],
      ['duedate', false],
      ['parent', false],
    ]);
    const labels = story.body.fields.find((f: { fieldId: string }) => f.fieldId === 'labels');
    expect(labels).toMatchObject({ schema: { type: 'array', items: 'string', system: 'labels' }, operations: ['add', 'set', 'remove'] });
    const sub = await fieldsOf(s, 'Sub-task');
    expect(sub.find((f) => f.fieldId === 'parent')?.required).toBe(true);
    const paged = await jira(s, 'GET', `${CREATEMETA}/${typeId(s, 'Story')}?startAt=2&maxResults=2`);
    expect(paged.body).toMatchObject({ startAt: 2, maxResults: 2, total: 7 });
    expect(paged.body.fields.map((f: { fieldId: string }) => f.fieldId)).toEqual(['summary', 'description']);
  });

  it('a company-managed Epic requires Epic Name; the metadata says so and the create enforces it', async () => {
    const s = await open({ jira: companyManagedJira() });
    const epicFields = await fieldsOf(s, 'Epic');
    for (const f of epicFields) expect(schemaProblems('FieldCreateMetadata', f)).toEqual([]);
    const epicName = epicFields.find((f) => f.name === 'Epic Name');
    expect(epicName).toMatchObject({
      fieldId: 'customfield_10011',
      required: true,
      schema: { type: 'string', custom: 'com.pyxis.greenhopper.jira:gh-epic-label', customId: 10011 },
    });
    const priority = epicFields.find((f) => f.fieldId === 'priority');
    expect(priority?.allowedValues.map((p) => p.name)).toEqual(['Highest', 'High', 'Medium', 'Low', 'Lowest']);
    expect(priority).toMatchObject({ hasDefaultValue: true, defaultValue: { name: 'Medium' } });
    expect(epicFields.find((f) => f.fieldId === 'components')?.allowedValues.map((c) => c.name)).toEqual([
      'Frontend',
      'Backend',
      'Platform',
    ]);
    expect(epicFields.find((f) => f.fieldId === 'fixVersions')?.allowedValues.map((v) => v.name)).toEqual(['2026.1', '2026.2', '2026.3']);
    expect(epicFields.find((f) => f.name === 'Investment type')?.allowedValues.map((o) => o.value)).toEqual([
      'Perfective',
      'Preventative',
      'Adaptive',
      'Corrective',
      'Added value',
    ]);
    expect((await fieldsOf(s, 'Story')).some((f) => f.name === 'Epic Name')).toBe(false);

    const epic = { project: { key: 'PBJ' }, issuetype: { name: 'Epic' }, summary: 'Checkout revamp', labels: ['pb-1'] };
    const missing = await jira(s, 'POST', '/rest/api/3/issue', { fields: epic });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ errorMessages: [], errors: { customfield_10011: 'Epic Name is required.' } });
    const empty = await jira(s, 'POST', '/rest/api/3/issue', { fields: { ...epic, customfield_10011: '' } });
    expect(empty.body.errors).toEqual({ customfield_10011: 'Epic Name is required.' });
    const ok = await jira(s, 'POST', '/rest/api/3/issue', { fields: { ...epic, customfield_10011: 'Checkout' } });
    expect(ok.status).toBe(201);
    expect(s.jira.state.getIssue(ok.body.id)?.customFields['Epic Name']).toBe('Checkout');

    const bulk = await jira(s, 'POST', '/rest/api/3/issue/bulk', {
      issueUpdates: [{ fields: epic }, { fields: { ...epic, customfield_10011: 'Named' } }],
    });
    expect(bulk.status).toBe(201);
    expect(bulk.body.errors).toEqual([
      {
        status: 400,
        failedElementNumber: 0,
        elementErrors: { errorMessages: [], errors: { customfield_10011: 'Epic Name is required.' } },
      },
    ]);
    expect(responseProblems('POST', '/rest/api/3/issue/bulk', 201, bulk.body)).toEqual([]);

    // A required field may not be cleared by an edit either.
    const cleared = await jira(s, 'PUT', `/rest/api/3/issue/${ok.body.id}`, { fields: { customfield_10011: null } });
    expect(cleared.status).toBe(400);
    expect(cleared.body.errors).toEqual({ customfield_10011: 'Epic Name is required.' });
  });

  it("a screen without Labels or Due date refuses them on create and edit, with Jira's error", async () => {
    const s = await open({ jira: { screens: { Story: { fields: ['description', 'parent'] }, Task: { fields: ['labels', 'parent'] } } } });
    expect((await fieldsOf(s, 'Story')).map((f) => f.fieldId)).toEqual(['project', 'issuetype', 'summary', 'description', 'parent']);
    const base = { project: { key: 'PBJ' }, summary: 'x' };
    const story = await jira(s, 'POST', '/rest/api/3/issue', {
      fields: { ...base, issuetype: { name: 'Story' }, labels: ['pb-1'], duedate: '2026-05-01' },
    });
    expect(story.status).toBe(400);
    expect(story.body).toEqual({
      errorMessages: [],
      errors: {
        labels: "Field 'labels' cannot be set. It is not on the appropriate screen, or unknown.",
        duedate: "Field 'duedate' cannot be set. It is not on the appropriate screen, or unknown.",
      },
    });
    const viaUpdate = await jira(s, 'POST', '/rest/api/3/issue', {
      fields: { ...base, issuetype: { name: 'Story' } },
      update: { labels: [{ add: 'pb-1' }] },
    });
    expect(viaUpdate.body.errors.labels).toMatch(/not on the appropriate screen/);
    const task = await jira(s, 'POST', '/rest/api/3/issue', {
      fields: { ...base, issuetype: { name: 'Task' }, labels: ['pb-1'], description: adf('d') },
    });
    expect(task.body.errors).toEqual({
      description: "Field 'description' cannot be set. It is not on the appropriate screen, or unknown.",
    });

    const created = await jira(s, 'POST', '/rest/api/3/issue', { fields: { ...base, issuetype: { name: 'Story' } } });
    expect(created.status).toBe(201);
    const edit = await jira(s, 'PUT', `/rest/api/3/issue/${created.body.id}`, { update: { labels: [{ add: 'pb-1' }] } });
    expect(edit.status).toBe(400);
    expect(edit.body.errors.labels).toMatch(/not on the appropriate screen/);
  });

  it('a screen may require a parent for a standard type, named like any required field', async () => {
    const s = await open({ jira: { screens: { Story: { fields: ['labels', 'parent', 'priority'], required: ['parent', 'priority'] } } } });
    const fields = { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'orphan' };
    const orphan = await jira(s, 'POST', '/rest/api/3/issue', { fields });
    expect(orphan.body).toEqual({ errorMessages: [], errors: { parent: 'Parent is required.' } });
    const epic = await jira(s, 'POST', '/rest/api/3/issue', { fields: { ...fields, issuetype: { name: 'Epic' } } });
    const child = await jira(s, 'POST', '/rest/api/3/issue', { fields: { ...fields, parent: { key: epic.body.key } } });
    expect(child.status).toBe(201);
    // A required field with a default value (priority) is filled by the default, not refused.
    expect(s.jira.state.getIssue(child.body.id)?.priority).toBe('Medium');
  });

  it('an admin can change a screen while the sandbox runs (a field becomes required)', async () => {
    const s = await open();
    const fields = { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'x' };
    expect((await jira(s, 'POST', '/rest/api/3/issue', { fields })).status).toBe(201);
    s.jira.state.site.setScreens('Story', { fields: ['description', 'labels', 'duedate', 'parent'], required: ['duedate'] });
    const refused = await jira(s, 'POST', '/rest/api/3/issue', { fields });
    expect(refused.body.errors).toEqual({ duedate: 'Due date is required.' });
    expect((await fieldsOf(s, 'Story')).find((f) => f.fieldId === 'duedate')?.required).toBe(true);
  });

  it('refuses site configurations Jira would not allow, naming what is wrong', () => {
    const site = (o: JiraSandboxOptions) => new JiraState('PBJ', o);
    expect(() => site({ screens: { Story: { fields: ['labels'], required: ['duedate'] } } })).toThrow(
      "Screens of 'Story': required field 'duedate' is not on the create screen.",
    );
    expect(() => site({ screens: { Storyy: {} } })).toThrow("Screens are given for an unknown issue type 'Storyy'.");
    expect(() => site({ screens: { Story: { fields: ['status'] } } })).toThrow(
      "Screens of 'Story': 'status' is not a field a screen can hold.",
    );
  });
});
