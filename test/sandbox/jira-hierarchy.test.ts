import { describe, expect, it } from 'vitest';
import { companyManagedJira, DEFAULT_ISSUE_TYPES, JiraState, type Sandbox } from '../../src/sandbox/index.js';
import { jira, type Reply } from './helpers.js';
import { sandboxPerTest } from './jira-sandbox.js';

// Issue types and levels a site may have: Jira Premium's level 2 (and a custom level above), extra level-0 types, and
// sub-task types of its own names. The parent rule follows the levels. Sub-task re-parenting through an edit can be
// refused as historical Jira did.

const open = sandboxPerTest();

const HIERARCHY = 'Given parent work item does not belong to appropriate hierarchy.';

function creator(s: Sandbox) {
  return async (type: string, summary: string, parent?: string): Promise<Reply> =>
    jira(s, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PBJ' }, issuetype: { name: type }, summary, ...(parent ? { parent: { key: parent } } : {}) },
    });
}

describe('Jira issue types and hierarchy levels', () => {
  it('a level-2 type (Initiative) parents epics, and only epics', async () => {
    const s = await open({ jira: { issueTypes: [...DEFAULT_ISSUE_TYPES, { name: 'Initiative', hierarchyLevel: 2 }] } });
    const create = creator(s);
    const project = await jira(s, 'GET', '/rest/api/3/project/PBJ');
    expect(project.body.issueTypes.map((t: { name: string; hierarchyLevel: number }) => [t.name, t.hierarchyLevel])).toContainEqual([
      'Initiative',
      2,
    ]);
    const levelTwo = await jira(s, 'GET', `/rest/api/3/issuetype/project?projectId=${project.body.id}&level=2`);
    expect(levelTwo.body.map((t: { name: string }) => t.name)).toEqual(['Initiative']);

    const initiative = await create('Initiative', 'Grow checkout conversion');
    expect(initiative.status).toBe(201);
    const epic = await create('Epic', 'One-click pay', initiative.body.key);
    expect(epic.status).toBe(201);
    const got = await jira(s, 'GET', `/rest/api/3/issue/${epic.body.id}?fields=parent`);
    expect(got.body.fields.parent).toMatchObject({
      key: initiative.body.key,
      fields: { issuetype: { name: 'Initiative', hierarchyLevel: 2 } },
    });
    expect((await create('Story', 'Too high', initiative.body.key)).body.errors).toEqual({ parentId: HIERARCHY });
    const story = await create('Story', 'Pay button', epic.body.key);
    expect(
      (await jira(s, 'PUT', `/rest/api/3/issue/${story.body.id}`, { fields: { parent: { key: initiative.body.key } } })).body.errors,
    ).toEqual({ parentId: HIERARCHY });
    // Nothing above level 2 exists, so an initiative cannot have a parent.
    expect((await create('Initiative', 'Nested', initiative.body.key)).body.errors).toEqual({ parentId: HIERARCHY });
    const children = await jira(s, 'POST', '/rest/api/3/search/jql', {
      jql: `issuetype = Initiative OR parent = ${initiative.body.key}`,
      fields: ['issuetype'],
    });
    expect(children.body.issues.map((i: { fields: { issuetype: { name: string } } }) => i.fields.issuetype.name).sort()).toEqual([
      'Epic',
      'Initiative',
    ]);
  });

  it('a custom level above Initiative (level 3) follows the same rule', async () => {
    const s = await open({
      jira: { issueTypes: [...DEFAULT_ISSUE_TYPES, { name: 'Initiative', hierarchyLevel: 2 }, { name: 'Theme', hierarchyLevel: 3 }] },
    });
    const create = creator(s);
    const theme = await create('Theme', 'Self-service');
    const initiative = await create('Initiative', 'Grow conversion', theme.body.key);
    expect(initiative.status).toBe(201);
    expect((await create('Epic', 'Wrong', theme.body.key)).body.errors).toEqual({ parentId: HIERARCHY });
  });

  it('a site may name its own level-0 and sub-task types (Backlog item, Spike, Bug; Task, Defect)', async () => {
    const s = await open({
      jira: {
        issueTypes: [
          { name: 'Outcome', hierarchyLevel: 2 },
          { name: 'Feature', hierarchyLevel: 1 },
          { name: 'Backlog item', hierarchyLevel: 0 },
          { name: 'Spike', hierarchyLevel: 0 },
          { name: 'Bug', hierarchyLevel: 0 },
          { name: 'Task', hierarchyLevel: -1 },
          { name: 'Defect', hierarchyLevel: -1 },
        ],
      },
    });
    const create = creator(s);
    const outcome = await create('Outcome', 'Faster checkout');
    const feature = await create('Feature', 'Saved cards', outcome.body.key);
    const spike = await create('Spike', 'Tokenisation options', feature.body.key);
    const defect = await create('Defect', 'Card expiry off by one', spike.body.key);
    expect([outcome.status, feature.status, spike.status, defect.status]).toEqual([201, 201, 201, 201]);
    expect(s.jira.state.getIssue(defect.body.id)?.issueType).toEqual({
      id: expect.any(String),
      name: 'Defect',
      hierarchyLevel: -1,
      subtask: true,
    });
    expect((await create('Task', 'No parent')).body.errors).toEqual({
      issuetype: 'Issue type is a sub-task but parent issue key or id not specified.',
    });
    expect((await create('Task', 'Under a feature', feature.body.key)).body.errors).toEqual({ parentId: HIERARCHY });
    // Changing the type stays within a level.
    expect((await jira(s, 'PUT', `/rest/api/3/issue/${spike.body.id}`, { fields: { issuetype: { name: 'Backlog item' } } })).status).toBe(
      204,
    );
    expect(
      (await jira(s, 'PUT', `/rest/api/3/issue/${spike.body.id}`, { fields: { issuetype: { name: 'Feature' } } })).body.errors.issuetype,
    ).toMatch(/different hierarchy level/);
    const createmeta = await jira(s, 'GET', '/rest/api/3/issue/createmeta/PBJ/issuetypes');
    expect(createmeta.body.issueTypes.filter((t: { subtask: boolean }) => t.subtask).map((t: { name: string }) => t.name)).toEqual([
      'Task',
      'Defect',
    ]);
  });

  it("the company-managed profile can add Jira Premium's level 2 above Epic", async () => {
    const s = await open({ jira: companyManagedJira({ levelTwo: 'Initiative' }) });
    const types = await jira(s, 'GET', '/rest/api/3/issue/createmeta/PBJ/issuetypes');
    expect(types.body.issueTypes.map((t: { name: string; hierarchyLevel: number }) => `${t.name}:${t.hierarchyLevel}`)).toEqual([
      'Initiative:2',
      'Epic:1',
      'Story:0',
      'Task:0',
      'Bug:0',
      'Sub-task:-1',
      'Spike:0',
    ]);
    const initiative = await creator(s)('Initiative', 'Grow conversion');
    const epic = await jira(s, 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'PBJ' },
        issuetype: { name: 'Epic' },
        summary: 'E',
        customfield_10011: 'E',
        parent: { key: initiative.body.key },
      },
    });
    expect(epic.status).toBe(201);
  });

  it('refuses a hierarchy Jira cannot have, naming the problem', () => {
    expect(
      () =>
        new JiraState('PBJ', {
          issueTypes: [
            { name: 'Story', hierarchyLevel: 0 },
            { name: 'Initiative', hierarchyLevel: 2 },
          ],
        }),
    ).toThrow('Issue types at level 2 need a type at level 1.');
    expect(() => new JiraState('PBJ', { issueTypes: [{ name: 'Epic', hierarchyLevel: 1 }] })).toThrow(
      'A Jira site needs an issue type at level 0.',
    );
    expect(
      () =>
        new JiraState('PBJ', {
          issueTypes: [
            { name: 'Story', hierarchyLevel: 0 },
            { name: 'story', hierarchyLevel: 0 },
          ],
        }),
    ).toThrow("Issue type 'story' is given twice.");
  });

  it('moves a sub-task to another parent through an edit by default; refuses it like historical Jira when asked', async () => {
    const s = await open({ jira: companyManagedJira() });
    const create = creator(s);
    const a = await create('Story', 'A');
    const b = await create('Story', 'B');
    const sub = await create('Sub-task', 'Move me', a.body.key);
    expect((await jira(s, 'PUT', `/rest/api/3/issue/${sub.body.id}`, { fields: { parent: { key: b.body.key } } })).status).toBe(204);
    expect(s.jira.state.getIssue(sub.body.id)?.parentKey).toBe(b.body.key);

    s.jira.state.behaviour.subtaskReparent = 'refuse';
    const refused = await jira(s, 'PUT', `/rest/api/3/issue/${sub.body.id}`, { fields: { parent: { key: a.body.key } } });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      errorMessages: [],
      errors: { parent: "Field 'parent' cannot be set. It is not on the appropriate screen, or unknown." },
    });
    expect(s.jira.state.getIssue(sub.body.id)?.parentKey).toBe(b.body.key);
    // Other edits of the sub-task, and re-parenting a story, still work.
    expect((await jira(s, 'PUT', `/rest/api/3/issue/${sub.body.id}`, { fields: { summary: 'Renamed' } })).status).toBe(204);
    const epic = await jira(s, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PBJ' }, issuetype: { name: 'Epic' }, summary: 'E', customfield_10011: 'E' },
    });
    expect((await jira(s, 'PUT', `/rest/api/3/issue/${a.body.id}`, { fields: { parent: { key: epic.body.key } } })).status).toBe(204);
  });
});
