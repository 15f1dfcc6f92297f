import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyManagedJira, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { jira } from './helpers.js';
import { responseProblems, schemaProblems } from './jira-spec.js';

// Company-managed workflows: one per issue type, transitions only from some statuses, Done and
// Won't Do both into the done category, transition screens with required fields, and the per-issue transition result of
// a create (`CreatedIssue.transition`).

type FieldMeta = { required: boolean; allowedValues: Array<{ name: string }> };
type Transition = {
  id: string;
  name: string;
  to: { name: string; statusCategory: { key: string } };
  hasScreen: boolean;
  isGlobal: boolean;
  fields?: Record<string, FieldMeta>;
};

describe('Jira workflows and transitions', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ jira: companyManagedJira() });
  });
  afterAll(async () => {
    await sb.close();
  });
  const create = async (type: string, extra: Record<string, unknown> = {}, body: Record<string, unknown> = {}) =>
    jira(sb, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PBJ' }, issuetype: { name: type }, summary: `${type} under test`, ...extra },
      ...body,
    });
  const transitions = async (id: string, query = ''): Promise<Transition[]> =>
    (await jira(sb, 'GET', `/rest/api/3/issue/${id}/transitions${query}`)).body.transitions;
  const names = (ts: Transition[]) => ts.map((t) => `${t.id} ${t.name} → ${t.to.name}`);

  it('offers each type the transitions of its workflow, from the current status only', async () => {
    const story = await create('Story');
    expect(names(await transitions(story.body.id))).toEqual(['11 Start work → In Progress', "51 Won't do → Won't Do"]);
    sb.jira.state.setStatus(story.body.id, 'In Progress');
    expect(names(await transitions(story.body.id))).toEqual([
      '21 Block → Blocked',
      '31 Request review → In Review',
      '41 Done → Done',
      "51 Won't do → Won't Do",
    ]);
    sb.jira.state.setStatus(story.body.id, 'Blocked');
    expect(names(await transitions(story.body.id))).toEqual(['11 Start work → In Progress', "51 Won't do → Won't Do"]);

    const sub = await create('Sub-task', { parent: { key: story.body.key } });
    const subTs = await transitions(sub.body.id);
    expect(names(subTs)).toEqual(['21 In Progress → In Progress', '31 Done → Done']);
    expect(subTs.every((t) => t.isGlobal && !t.hasScreen)).toBe(true);

    const statuses = await jira(sb, 'GET', '/rest/api/3/project/PBJ/statuses');
    expect(responseProblems('GET', '/rest/api/3/project/{projectIdOrKey}/statuses', 200, statuses.body)).toEqual([]);
    const byType = Object.fromEntries(
      statuses.body.map((t: { name: string; statuses: Array<{ name: string }> }) => [t.name, t.statuses.map((s) => s.name)]),
    );
    expect(byType['Story']).toEqual(['To Do', 'In Progress', 'Blocked', 'In Review', 'Done', "Won't Do"]);
    expect(byType['Sub-task']).toEqual(['To Do', 'In Progress', 'Done']);
    const all = await jira(sb, 'GET', '/rest/api/3/status');
    expect(responseProblems('GET', '/rest/api/3/status', 200, all.body)).toEqual([]);
    expect(
      all.body.filter((s: { statusCategory: { key: string } }) => s.statusCategory.key === 'done').map((s: { name: string }) => s.name),
    ).toEqual(['Done', "Won't Do"]);
    const blocked = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'project = PBJ AND status = Blocked' });
    expect(blocked.body.issues.map((i: { id: string }) => i.id)).toEqual([story.body.id]);
  });

  it("shows a transition screen's fields with expand=transitions.fields, and requires them", async () => {
    const story = await create('Story');
    sb.jira.state.setStatus(story.body.id, 'In Progress');
    const plain = await transitions(story.body.id);
    expect(plain.find((t) => t.name === 'Done')).not.toHaveProperty('fields');
    const expanded = await jira(sb, 'GET', `/rest/api/3/issue/${story.body.id}/transitions?expand=transitions.fields`);
    expect(responseProblems('GET', '/rest/api/3/issue/{issueIdOrKey}/transitions', 200, expanded.body)).toEqual([]);
    const done = (expanded.body.transitions as Transition[]).find((t) => t.name === 'Done');
    expect(done?.hasScreen).toBe(true);
    expect(done?.fields?.['resolution']).toMatchObject({
      required: true,
      name: 'Resolution',
      schema: { type: 'resolution', system: 'resolution' },
      operations: ['set'],
    });
    expect(schemaProblems('FieldMetadata', done?.fields?.['resolution'])).toEqual([]);
    expect(done?.fields?.['resolution']?.allowedValues.map((r) => r.name)).toEqual(['Done', "Won't Do", 'Duplicate', 'Cannot Reproduce']);
    expect((expanded.body.transitions as Transition[]).find((t) => t.name === 'Block')?.fields).toEqual({});

    const post = (body: Record<string, unknown>) => jira(sb, 'POST', `/rest/api/3/issue/${story.body.id}/transitions`, body);
    const missing = await post({ transition: { id: done?.id } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ errorMessages: [], errors: { resolution: 'Resolution is required.' } });
    const offScreen = await post({ transition: { id: done?.id }, fields: { resolution: { name: 'Done' }, priority: { name: 'High' } } });
    expect(offScreen.body.errors).toEqual({ priority: "Field 'priority' cannot be set. It is not on the appropriate screen, or unknown." });
    const badValue = await post({ transition: { id: done?.id }, fields: { resolution: { name: 'Finished' } } });
    expect(badValue.body.errors).toEqual({ resolution: 'The resolution selected is invalid.' });
    expect(sb.jira.state.getIssue(story.body.id)?.status.name).toBe('In Progress');

    expect((await post({ transition: { id: done?.id }, fields: { resolution: { name: 'Done' } } })).status).toBe(204);
    expect(sb.jira.state.getIssue(story.body.id)).toMatchObject({ status: { name: 'Done', categoryKey: 'done' }, resolution: 'Done' });
    const got = await jira(sb, 'GET', `/rest/api/3/issue/${story.body.id}?fields=resolution,status`);
    expect(got.body.fields.resolution).toMatchObject({ name: 'Done', id: '10000' });
    // Reopening leaves the done category and clears the resolution.
    const reopen = (await transitions(story.body.id)).find((t) => t.name === 'Reopen');
    expect((await post({ transition: { id: reopen?.id } })).status).toBe(204);
    expect(sb.jira.state.getIssue(story.body.id)).toMatchObject({ status: { name: 'To Do' }, resolution: null });
    // A transition without a screen takes no fields.
    const start = (await transitions(story.body.id)).find((t) => t.name === 'Start work');
    expect((await post({ transition: { id: start?.id }, fields: { resolution: { name: 'Done' } } })).body.errors).toEqual({
      resolution: "Field 'resolution' cannot be set. It is not on the appropriate screen, or unknown.",
    });
  });

  it('reports the transition of each created issue; a refused one leaves the issue in its initial status', async () => {
    const fields = (summary: string) => ({ project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary });
    const bulk = await jira(sb, 'POST', '/rest/api/3/issue/bulk', {
      issueUpdates: [
        { fields: fields('started'), transition: { id: '11' } },
        { fields: fields('needs a resolution'), transition: { id: '51' } },
        { fields: fields('unknown transition'), transition: { id: '999' } },
        { fields: fields('not from To Do'), transition: { id: '21' } },
        { fields: fields('no transition') },
      ],
    });
    expect(bulk.status).toBe(201);
    expect(responseProblems('POST', '/rest/api/3/issue/bulk', 201, bulk.body)).toEqual([]);
    const [started, resolution, unknown, notFrom, none] = bulk.body.issues;
    expect(started.transition).toEqual({ status: 200, errorCollection: { errorMessages: [], errors: {} } });
    expect(resolution.transition).toEqual({
      status: 400,
      errorCollection: { errorMessages: [], errors: { resolution: 'Resolution is required.' } },
    });
    expect(unknown.transition).toEqual({
      status: 400,
      errorCollection: { errorMessages: ["Transition id '999' is not valid for this issue."], errors: {} },
    });
    expect(notFrom.transition.status).toBe(400);
    expect(none).not.toHaveProperty('transition');
    const status = (id: string) => sb.jira.state.getIssue(id)?.status.name;
    expect([started, resolution, unknown, notFrom, none].map((i: { id: string }) => status(i.id))).toEqual([
      'In Progress',
      'To Do',
      'To Do',
      'To Do',
      'To Do',
    ]);

    const single = await jira(sb, 'POST', '/rest/api/3/issue', { fields: fields('single'), transition: { id: '51' } });
    expect(single.status).toBe(201);
    expect(responseProblems('POST', '/rest/api/3/issue', 201, single.body)).toEqual([]);
    expect(single.body.transition.status).toBe(400);
  });
});

describe('Jira default workflow', () => {
  it("keeps the global To Do / In Progress / Done transitions and now reports a create's transition", async () => {
    const sb = await startSandbox();
    try {
      const bulk = await jira(sb, 'POST', '/rest/api/3/issue/bulk', {
        issueUpdates: [
          { fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'a' }, transition: { id: '21' } },
          { fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'b' }, transition: { id: '11' } },
        ],
      });
      expect(bulk.body.issues.map((i: { transition: { status: number } }) => i.transition.status)).toEqual([200, 400]);
      expect(bulk.body.issues.map((i: { id: string }) => sb.jira.state.getIssue(i.id)?.status.name)).toEqual(['In Progress', 'To Do']);
      const ts = (await jira(sb, 'GET', `/rest/api/3/issue/${bulk.body.issues[0].id}/transitions?expand=transitions.fields`)).body
        .transitions;
      expect(ts.map((t: Transition) => [t.id, t.to.name, t.isGlobal, t.hasScreen, t.fields])).toEqual([
        ['11', 'To Do', true, false, {}],
        ['31', 'Done', true, false, {}],
      ]);
    } finally {
      await sb.close();
    }
  });
});
