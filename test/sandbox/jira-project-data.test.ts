import { Version3Client } from 'jira.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyManagedJira, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { jira } from './helpers.js';
import { responseProblems, schemaProblems } from './jira-spec.js';

// What mapped fields refer to: priorities, project components and versions (listed, paged, created), and users found
// by email for the assignee.

describe('Jira priorities, components, versions and users', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ jira: companyManagedJira() });
  });
  afterAll(async () => {
    await sb.close();
  });

  it('lists priorities, and pages them with the default marked', async () => {
    const list = await jira(sb, 'GET', '/rest/api/3/priority');
    expect(responseProblems('GET', '/rest/api/3/priority', 200, list.body)).toEqual([]);
    expect(list.body.map((p: { id: string; name: string }) => [p.id, p.name])).toEqual([
      ['1', 'Highest'],
      ['2', 'High'],
      ['3', 'Medium'],
      ['4', 'Low'],
      ['5', 'Lowest'],
    ]);
    const page = await jira(sb, 'GET', '/rest/api/3/priority/search?maxResults=2&startAt=1');
    expect(responseProblems('GET', '/rest/api/3/priority/search', 200, page.body)).toEqual([]);
    expect(page.body).toMatchObject({ startAt: 1, maxResults: 2, total: 5, isLast: false, nextPage: expect.stringContaining('startAt=3') });
    expect(page.body.values.map((p: { name: string; isDefault: boolean }) => [p.name, p.isDefault])).toEqual([
      ['High', false],
      ['Medium', true],
    ]);
    const dflt = await jira(sb, 'GET', '/rest/api/3/priority/search?onlyDefault=true');
    expect(dflt.body.values.map((p: { name: string }) => p.name)).toEqual(['Medium']);
    const byName = await jira(sb, 'GET', '/rest/api/3/priority/search?priorityName=low');
    expect(byName.body.values.map((p: { name: string }) => p.name)).toEqual(['Low', 'Lowest']);
  });

  it('lists, pages and creates components; a taken name or a missing project is refused', async () => {
    const list = await jira(sb, 'GET', '/rest/api/3/project/PBJ/components');
    expect(responseProblems('GET', '/rest/api/3/project/{projectIdOrKey}/components', 200, list.body)).toEqual([]);
    expect(list.body.map((c: { name: string }) => c.name)).toEqual(['Frontend', 'Backend', 'Platform']);

    const made = await jira(sb, 'POST', '/rest/api/3/component', { name: 'Payments', project: 'PBJ', description: 'Checkout and billing' });
    expect(made.status).toBe(201);
    expect(responseProblems('POST', '/rest/api/3/component', 201, made.body)).toEqual([]);
    expect(made.body).toMatchObject({
      name: 'Payments',
      project: 'PBJ',
      projectId: 10020,
      description: 'Checkout and billing',
      id: expect.any(String),
    });

    const taken = await jira(sb, 'POST', '/rest/api/3/component', { name: 'payments', project: 'PBJ' });
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual({
      errorMessages: [],
      errors: { name: 'A component with the name payments already exists in this project.' },
    });
    const noName = await jira(sb, 'POST', '/rest/api/3/component', { project: 'PBJ' });
    expect(noName.body.errors.name).toMatch(/invalid/);
    expect((await jira(sb, 'POST', '/rest/api/3/component', { name: 'X', project: 'NOPE' })).status).toBe(404);
    const unknownKey = await jira(sb, 'POST', '/rest/api/3/component', { name: 'X', project: 'PBJ', colour: 'red' });
    expect(unknownKey.body.errorMessages).toEqual(['Unrecognized field "colour"']);

    // The new component is usable on issues at once.
    const issue = await jira(sb, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'Pay', components: [{ name: 'Payments' }] },
    });
    expect(issue.status).toBe(201);

    const page = await jira(sb, 'GET', '/rest/api/3/project/PBJ/component?orderBy=-name&maxResults=2');
    expect(responseProblems('GET', '/rest/api/3/project/{projectIdOrKey}/component', 200, page.body)).toEqual([]);
    expect(page.body.values.map((c: { name: string }) => c.name)).toEqual(['Platform', 'Payments']);
    expect(page.body.values[1].issueCount).toBe(1);
    expect(page.body).toMatchObject({ total: 4, isLast: false });
    const query = await jira(sb, 'GET', '/rest/api/3/project/PBJ/component?query=mobile');
    expect(query.body.values.map((c: { name: string }) => c.name)).toEqual(['Frontend']);
    expect((await jira(sb, 'GET', '/rest/api/3/project/NOPE/components')).status).toBe(404);
  });

  it('lists, pages and creates versions', async () => {
    const list = await jira(sb, 'GET', '/rest/api/3/project/PBJ/versions');
    expect(responseProblems('GET', '/rest/api/3/project/{projectIdOrKey}/versions', 200, list.body)).toEqual([]);
    expect(list.body.map((v: { name: string; released: boolean }) => [v.name, v.released])).toEqual([
      ['2026.1', true],
      ['2026.2', false],
      ['2026.3', false],
    ]);
    const made = await jira(sb, 'POST', '/rest/api/3/version', {
      name: '2026.4',
      projectId: 10020,
      releaseDate: '2026-12-31',
      description: 'Winter',
    });
    expect(made.status).toBe(201);
    expect(responseProblems('POST', '/rest/api/3/version', 201, made.body)).toEqual([]);
    expect(made.body).toMatchObject({ name: '2026.4', projectId: 10020, releaseDate: '2026-12-31', released: false, archived: false });
    const dup = await jira(sb, 'POST', '/rest/api/3/version', { name: '2026.4', projectId: 10020 });
    expect(dup.body).toEqual({ errorMessages: [], errors: { name: 'A version with this name already exists in this project.' } });
    const badDate = await jira(sb, 'POST', '/rest/api/3/version', { name: 'x', projectId: 10020, releaseDate: '31/12/2026' });
    expect(Object.keys(badDate.body.errors)).toEqual(['releaseDate']);
    expect((await jira(sb, 'POST', '/rest/api/3/version', { name: 'x', projectId: 1 })).status).toBe(404);

    const unreleased = await jira(sb, 'GET', '/rest/api/3/project/PBJ/version?status=unreleased&orderBy=releaseDate');
    expect(responseProblems('GET', '/rest/api/3/project/{projectIdOrKey}/version', 200, unreleased.body)).toEqual([]);
    expect(unreleased.body.values.map((v: { name: string }) => v.name)).toEqual(['2026.2', '2026.4', '2026.3']);
    expect(unreleased.body.isLast).toBe(true);
  });

  it('finds users by email or name prefix; hidden emails and inactive users are not found', async () => {
    const search = (q: string) => jira(sb, 'GET', `/rest/api/3/user/search?${q}`);
    const ada = await search('query=ada@example.com');
    expect(responseProblems('GET', '/rest/api/3/user/search', 200, ada.body)).toEqual([]);
    expect(ada.body.map((u: { displayName: string }) => u.displayName)).toEqual(['Ada Lovelace']);
    expect((await search('query=LOVE')).body.map((u: { displayName: string }) => u.displayName)).toEqual(['Ada Lovelace']);
    // Grace hides her email: her name finds her, her email does not, and it is not shown.
    expect((await search('query=grace%40example.com')).body).toEqual([]);
    const grace = await search('query=Grace');
    expect(grace.body).toHaveLength(1);
    expect(grace.body[0]).not.toHaveProperty('emailAddress');
    expect((await search('query=former@example.com')).body).toEqual([]);
    const byId = await search(`accountId=${encodeURIComponent(grace.body[0].accountId)}`);
    expect(byId.body.map((u: { displayName: string }) => u.displayName)).toEqual(['Grace Hopper']);
    const none = await search('maxResults=5');
    expect(none.status).toBe(400);
    expect(schemaProblems('ErrorCollection', none.body)).toEqual([]);
    expect((await search(`query=ada&accountId=${ada.body[0].accountId}`)).status).toBe(400);
    // The bot the token belongs to is a user too.
    expect((await search('query=pb-sync-bot')).body.map((u: { accountId: string }) => u.accountId)).toEqual(['712020:5a1d-sandbox-bot']);
  });

  it('assigns by account id on create and edit; an inactive user cannot be assigned', async () => {
    const ada = (await jira(sb, 'GET', '/rest/api/3/user/search?query=ada')).body[0].accountId as string;
    const former = sb.jira.state.directory.listUsers().find((u) => u.displayName === 'Former Colleague')?.accountId ?? '';
    const base = { project: { key: 'PBJ' }, issuetype: { name: 'Task' }, summary: 'Assign me' };
    const made = await jira(sb, 'POST', '/rest/api/3/issue', { fields: { ...base, assignee: { accountId: ada } } });
    expect(made.status).toBe(201);
    expect(sb.jira.state.getIssue(made.body.id)?.assignee).toBe(ada);
    const inactive = await jira(sb, 'POST', '/rest/api/3/issue', { fields: { ...base, assignee: { accountId: former } } });
    expect(inactive.body.errors).toEqual({ assignee: `User '${former}' cannot be assigned issues.` });
    expect((await jira(sb, 'PUT', `/rest/api/3/issue/${made.body.id}`, { fields: { assignee: null } })).status).toBe(204);
    expect(sb.jira.state.getIssue(made.body.id)?.assignee).toBeNull();
  });

  it('works through jira.js 5 as the connectors will call it', async () => {
    const client = new Version3Client({
      host: sb.jira.url,
      authentication: { basic: { email: sb.jira.email, apiToken: sb.jira.apiToken } },
    });
    const types = await client.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey: 'PBJ' });
    const epic = types.issueTypes?.find((t) => t.name === 'Epic');
    const meta = await client.issues.getCreateIssueMetaIssueTypeId({ projectIdOrKey: 'PBJ', issueTypeId: epic?.id ?? '' });
    expect(meta.fields?.find((f) => f.fieldId === 'customfield_10011')?.required).toBe(true);
    const fields = await client.issueFields.getFields();
    expect(fields.find((f) => f.name === 'Story Points')?.schema?.type).toBe('number');
    const component = await client.projectComponents.createComponent({ name: 'Search', project: 'PBJ' });
    expect((await client.projectComponents.getProjectComponents({ projectIdOrKey: 'PBJ' })).map((c) => c.id)).toContain(component.id);
    const version = await client.projectVersions.createVersion({ name: '2027.1', projectId: 10020 });
    expect(
      (await client.projectVersions.getProjectVersionsPaginated({ projectIdOrKey: 'PBJ', query: '2027' })).values?.map((v) => v.id),
    ).toEqual([version.id]);
    expect((await client.userSearch.findUsers({ query: 'ada@example.com' })).map((u) => u.displayName)).toEqual(['Ada Lovelace']);
    expect((await client.issuePriorities.searchPriorities({ onlyDefault: true })).values?.map((p) => p.name)).toEqual(['Medium']);
  });
});
