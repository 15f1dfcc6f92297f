import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { VirtualClock } from '../../src/util/clock.js';
import { takeViolations } from '../helpers/contract-guard.js';
import { startCheckedSandbox } from '../helpers/checked-sandbox.js';
import { adf, createIssue, jira } from './helpers.js';

describe('Jira Cloud v3 simulator', () => {
  let sb: Sandbox;
  let epic: { id: string; key: string };
  let story: { id: string; key: string };
  beforeAll(async () => {
    sb = await startCheckedSandbox();
    epic = await createIssue(sb, { issuetype: { name: 'Epic' }, summary: 'Custom hub themes', labels: ['pb-sync'] });
    story = await createIssue(sb, { issuetype: { name: 'Story' }, summary: 'Logo upload', parent: { key: epic.key }, labels: ['pb-sync'] });
  });
  afterAll(async () => {
    await sb.close();
  });

  it('answers 401 without or with wrong basic auth', async () => {
    for (const auth of [null, `Basic ${Buffer.from(`${sb.jira.email}:nope`).toString('base64')}`]) {
      const r = await jira(sb, 'GET', '/rest/api/3/myself', undefined, auth);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });
    }
    const me = await jira(sb, 'GET', '/rest/api/3/myself');
    expect(me.body).toMatchObject({ emailAddress: sb.jira.email, displayName: expect.any(String), accountId: expect.any(String) });
  });

  it('describes the project, issue types and status categories', async () => {
    const p = await jira(sb, 'GET', '/rest/api/3/project/PBJ');
    expect(p.status).toBe(200);
    expect(p.body.issueTypes.map((t: { name: string; hierarchyLevel: number }) => [t.name, t.hierarchyLevel])).toEqual([
      ['Epic', 1],
      ['Story', 0],
      ['Task', 0],
      ['Bug', 0],
      ['Sub-task', -1],
    ]);
    const types = await jira(sb, 'GET', `/rest/api/3/issuetype/project?projectId=${p.body.id}`);
    expect(types.body).toHaveLength(5);
    const missing = await jira(sb, 'GET', '/rest/api/3/project/NOPE');
    expect(missing.status).toBe(404);
    expect(missing.body.errorMessages).toEqual(["No project could be found with key 'NOPE'."]);
    const cats = await jira(sb, 'GET', '/rest/api/3/statuscategory');
    expect(cats.body.map((c: { key: string; id: number }) => [c.id, c.key])).toEqual([
      [2, 'new'],
      [4, 'indeterminate'],
      [3, 'done'],
    ]);
  });

  it('creates issues with keys and numeric ids and validates like Jira', async () => {
    expect(epic.key).toBe('PBJ-1');
    expect(Number(epic.id)).toBeGreaterThanOrEqual(10000);
    const base = { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'x' };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...base, labels: ['has space'] }, 'labels', "The label 'has space' contains spaces which is invalid."],
      [
        { ...base, description: 'plain' },
        'description',
        'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
      ],
      [
        { ...base, priority: { name: 'High' } },
        'priority',
        "Field 'priority' cannot be set. It is not on the appropriate screen, or unknown.",
      ],
      [{ ...base, issuetype: { name: 'Sub-task' } }, 'issuetype', 'Issue type is a sub-task but parent issue key or id not specified.'],
      [{ ...base, summary: '' }, 'summary', 'You must specify a summary of the issue.'],
      [{ ...base, duedate: '2026-13-01' }, 'duedate', 'Error parsing date string: 2026-13-01'],
    ];
    for (const [fields, key, message] of cases) {
      const r = await jira(sb, 'POST', '/rest/api/3/issue', { fields });
      expect(r.status).toBe(400);
      expect(r.body.errors[key]).toBe(message);
      expect(r.body.errorMessages).toEqual([]);
    }
  });

  it('rejects a parent at the wrong hierarchy level', async () => {
    const storyUnderStory = await jira(sb, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'nested', parent: { key: story.key } },
    });
    expect(storyUnderStory.status).toBe(400);
    expect(storyUnderStory.body).toEqual({
      errorMessages: [],
      errors: { parentId: 'Given parent work item does not belong to appropriate hierarchy.' },
    });
    const subUnderEpic = await jira(sb, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PBJ' }, issuetype: { name: 'Sub-task' }, summary: 'sub', parent: { id: epic.id } },
    });
    expect(subUnderEpic.body.errors.parentId).toBeDefined();
    const ok = await createIssue(sb, { issuetype: { name: 'Sub-task' }, summary: 'sub', parent: { key: story.key } });
    expect(sb.jira.state.getIssue(ok.id)?.parentKey).toBe(story.key);
    sb.jira.state.deleteIssue(ok.id);
  });

  it('bulk create reports partial failure with failedElementNumber', async () => {
    const good = (summary: string) => ({
      fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary, parent: { key: epic.key } },
    });
    const r = await jira(sb, 'POST', '/rest/api/3/issue/bulk', {
      issueUpdates: [
        good('a'),
        { fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'b', labels: ['x y'] } },
        good('c'),
      ],
    });
    expect(r.status).toBe(201);
    expect(r.body.issues).toHaveLength(2);
    expect(r.body.errors).toEqual([
      {
        status: 400,
        failedElementNumber: 1,
        elementErrors: { errorMessages: [], errors: { labels: "The label 'x y' contains spaces which is invalid." } },
      },
    ]);
    expect(sb.jira.state.getIssue(r.body.issues[0].id)?.summary).toBe('a');
    expect(sb.jira.state.getIssue(r.body.issues[1].id)?.summary).toBe('c');

    const allBad = await jira(sb, 'POST', '/rest/api/3/issue/bulk', { issueUpdates: [{ fields: { summary: 'no project' } }] });
    expect(allBad.status).toBe(400);
    expect(allBad.body.issues).toEqual([]);
    expect(allBad.body.errors[0].failedElementNumber).toBe(0);

    const tooMany = await jira(sb, 'POST', '/rest/api/3/issue/bulk', { issueUpdates: Array.from({ length: 51 }, (_, i) => good(`n${i}`)) });
    expect(tooMany.status).toBe(400);
    // The 400 the specification documents (CreatedIssues): every item failed, each with the reason.
    expect(tooMany.body.issues).toEqual([]);
    expect(tooMany.body.errors).toHaveLength(51);
    expect(tooMany.body.errors[50]).toEqual({
      status: 400,
      failedElementNumber: 50,
      elementErrors: { errorMessages: ['The number of issues to create (51) exceeds the limit of 50.'], errors: {} },
    });
    for (const i of r.body.issues) sb.jira.state.deleteIssue(i.id);
  });

  it('gets, edits (fields and update ops) and ignores a transition in the edit body', async () => {
    const e = await jira(sb, 'PUT', `/rest/api/3/issue/${story.key}`, {
      fields: { summary: 'Logo upload (v2)', description: adf('Upload a logo'), duedate: '2026-03-31' },
      update: { labels: [{ add: 'ux' }, { remove: 'nothing' }] },
      properties: [{ key: 'pb.sync', value: { pbId: 'abc', v: 1 } }],
      transition: { id: '31' },
    });
    expect(e.status).toBe(204);
    const g = await jira(sb, 'GET', `/rest/api/3/issue/${story.id}?properties=pb.sync`);
    expect(g.body.fields).toMatchObject({
      summary: 'Logo upload (v2)',
      labels: ['pb-sync', 'ux'],
      duedate: '2026-03-31',
      description: adf('Upload a logo'),
      issuetype: { name: 'Story', hierarchyLevel: 0, subtask: false },
      parent: { id: epic.id, key: epic.key, fields: { summary: 'Custom hub themes', issuetype: { name: 'Epic' } } },
      status: { name: 'To Do', statusCategory: { key: 'new' } },
      project: { key: 'PBJ' },
    });
    expect(g.body.properties).toEqual({ 'pb.sync': { pbId: 'abc', v: 1 } });

    const unparent = await jira(sb, 'PUT', `/rest/api/3/issue/${story.id}`, { update: { parent: [{ set: { none: true } }] } });
    expect(unparent.status).toBe(204);
    const g2 = await jira(sb, 'GET', `/rest/api/3/issue/${story.id}?fields=parent,summary`);
    expect(g2.body.fields).toEqual({ summary: 'Logo upload (v2)' });
    const reparent = await jira(sb, 'PUT', `/rest/api/3/issue/${story.id}`, { fields: { parent: { key: story.key } } });
    expect(reparent.body.errors.parentId).toBeDefined();
    await jira(sb, 'PUT', `/rest/api/3/issue/${story.id}`, { update: { parent: [{ set: { key: epic.key } }] } });
    expect(sb.jira.state.getIssue(story.id)?.parentId).toBe(epic.id);

    const missing = await jira(sb, 'GET', '/rest/api/3/issue/PBJ-9999');
    expect(missing.status).toBe(404);
    expect(missing.body.errorMessages).toEqual(['Issue does not exist or you do not have permission to see it.']);
  });

  it('refuses to delete an issue with sub-tasks unless deleteSubtasks=true', async () => {
    const s = await createIssue(sb, { issuetype: { name: 'Story' }, summary: 'to delete' });
    const sub = await createIssue(sb, { issuetype: { name: 'Sub-task' }, summary: 'child', parent: { id: s.id } });
    expect((await jira(sb, 'DELETE', `/rest/api/3/issue/${s.id}`)).status).toBe(400);
    expect((await jira(sb, 'DELETE', `/rest/api/3/issue/${s.id}?deleteSubtasks=true`)).status).toBe(204);
    expect(sb.jira.state.getIssue(sub.id)).toBeUndefined();
  });

  it('search/jql pages with nextPageToken, no total, default fields id only', async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++)
      created.push((await createIssue(sb, { issuetype: { name: 'Task' }, summary: `bulk ${i}`, labels: ['paging'] })).id);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const q = new URLSearchParams({ jql: 'project = PBJ AND labels = paging ORDER BY key ASC', maxResults: '3' });
      if (token) q.set('nextPageToken', token);
      const r = await jira(sb, 'GET', `/rest/api/3/search/jql?${q.toString()}`);
      expect(r.status).toBe(200);
      expect(r.body).not.toHaveProperty('total');
      for (const i of r.body.issues) {
        expect(Object.keys(i).sort()).toEqual(['fields', 'id', 'key', 'self']);
        expect(i.fields).toEqual({});
        seen.push(i.id);
      }
      token = r.body.nextPageToken;
      expect(r.body.isLast).toBe(token === undefined);
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(created);

    const post = await jira(sb, 'POST', '/rest/api/3/search/jql', {
      jql: 'labels in (paging, "nothing") AND issuetype = Task ORDER BY key DESC',
      fields: ['summary', 'labels'],
      maxResults: 500,
    });
    expect(post.body.issues).toHaveLength(7);
    expect(post.body.issues[0].fields).toEqual({ summary: 'bulk 6', labels: ['paging'] });
    expect(post.body.isLast).toBe(true);
    expect(post.body).not.toHaveProperty('nextPageToken');
  });

  it('search/jql supports parent/key clauses, OR and parentheses, and rejects bad JQL', async () => {
    const children = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: `parent = ${epic.key}`, fields: ['summary'] });
    expect(children.body.issues.map((i: { key: string }) => i.key)).toEqual([story.key]);
    const either = await jira(sb, 'POST', '/rest/api/3/search/jql', {
      jql: `project = PBJ AND (key = ${epic.key} OR issuekey in ("${story.key}"))`,
    });
    expect(either.body.issues).toHaveLength(2);

    const unbounded = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'order by key' });
    expect(unbounded.status).toBe(400);
    expect(unbounded.body).toEqual({
      errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'],
      errors: {},
    });
    const parseError = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'project = PBJ AND' });
    expect(parseError.status).toBe(400);
    expect(parseError.body.errorMessages[0]).toMatch(/Error in the JQL Query/);
    const unknownField = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'sprint = 3' });
    expect(unknownField.body.errorMessages[0]).toMatch(/Field 'sprint' does not exist/);
    const noProject = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'project = NOPE' });
    expect(noProject.body.errorMessages[0]).toBe("The value 'NOPE' does not exist for the field 'project'.");
    // Properties are not JQL-searchable for an API-token integration: the clause parses and matches nothing.
    const byProp = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'project = PBJ AND issue.property[pb.sync].pbId = abc' });
    expect(byProp.body.issues).toEqual([]);
  });

  it('returns 410 for the removed /search endpoints', async () => {
    for (const method of ['GET', 'POST']) {
      const r = await jira(sb, method, '/rest/api/3/search?jql=project%3DPBJ', method === 'POST' ? { jql: 'project = PBJ' } : undefined);
      expect(r.status).toBe(410);
      expect(r.body.errorMessages[0]).toMatch(
        /^The requested API has been removed\. Please migrate to the \/rest\/api\/3\/search\/jql API/,
      );
    }
    // The specification still lists them, deprecated, without a 410: the simulator follows the shutdown notice.
    const seen = takeViolations(sb);
    expect(seen.every((v) => v.operation.endsWith(' /rest/api/3/search'))).toBe(true);
    expect(seen.filter((v) => v.part === 'route').map((v) => v.message)).toEqual([
      'GET /rest/api/3/search (searchForIssuesUsingJql) is deprecated',
      'POST /rest/api/3/search (searchForIssuesUsingJqlPost) is deprecated',
    ]);
    expect(seen.filter((v) => v.side === 'response').map((v) => v.status)).toEqual([410, 410]);
  });

  it('returns properties in search results and bulkfetch sorted by id', async () => {
    const r = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: `key in (${story.key}, ${epic.key})`, properties: ['pb.sync'] });
    const byKey = Object.fromEntries(r.body.issues.map((i: { key: string; properties: unknown }) => [i.key, i.properties]));
    expect(byKey[story.key]).toEqual({ 'pb.sync': { pbId: 'abc', v: 1 } });
    expect(byKey[epic.key]).toEqual({});
    const six = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'project = PBJ', properties: ['a', 'b', 'c', 'd', 'e', 'f'] });
    expect(six.status).toBe(400);

    const bf = await jira(sb, 'POST', '/rest/api/3/issue/bulkfetch', {
      issueIdsOrKeys: [story.key, 'PBJ-9999', epic.id],
      fields: ['summary'],
    });
    expect(bf.status).toBe(200);
    expect(bf.body.issues.map((i: { id: string }) => i.id)).toEqual([epic.id, story.id]);
    expect(bf.body.issueErrors).toEqual([]);
  });

  it('upserts issue properties (201 then 200) and remote links by globalId', async () => {
    const path = `/rest/api/3/issue/${epic.id}/properties/pb.link`;
    expect((await jira(sb, 'PUT', path, { pbId: 'p1' })).status).toBe(201);
    expect((await jira(sb, 'PUT', path, { pbId: 'p2' })).status).toBe(200);
    expect((await jira(sb, 'GET', path)).body).toEqual({ key: 'pb.link', value: { pbId: 'p2' } });
    expect((await jira(sb, 'PUT', path, { big: 'x'.repeat(33000) })).status).toBe(400);

    const link = {
      globalId: 'system=productboard&id=f1',
      application: { type: 'com.productboard', name: 'Productboard' },
      relationship: 'implements',
      object: { url: 'https://pb/f1', title: 'Feature 1' },
    };
    const first = await jira(sb, 'POST', `/rest/api/3/issue/${epic.key}/remotelink`, link);
    expect(first.status).toBe(201);
    expect(typeof first.body.id).toBe('number');
    const second = await jira(sb, 'POST', `/rest/api/3/issue/${epic.key}/remotelink`, {
      globalId: link.globalId,
      object: { url: 'https://pb/f1', title: 'Feature 1 (renamed)' },
    });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const got = await jira(sb, 'GET', `/rest/api/3/issue/${epic.key}/remotelink?globalId=${encodeURIComponent(link.globalId)}`);
    // Omitted fields were cleared by the upsert.
    expect(got.body).toMatchObject({
      id: first.body.id,
      globalId: link.globalId,
      application: {},
      object: { title: 'Feature 1 (renamed)' },
    });
    expect(got.body).not.toHaveProperty('relationship');
    expect(sb.jira.state.getIssue(epic.id)?.remoteLinks[0]).toMatchObject({ application: null, relationship: null });
    const list = await jira(sb, 'GET', `/rest/api/3/issue/${epic.key}/remotelink`);
    expect(list.body).toHaveLength(1);
    expect(sb.jira.state.getIssue(epic.id)?.remoteLinks).toHaveLength(1);
    const invalid = await jira(sb, 'POST', `/rest/api/3/issue/${epic.key}/remotelink`, { object: { url: 'https://x' } });
    expect(invalid.status).toBe(400);
    expect(takeViolations(sb)).toMatchObject([
      { side: 'request', part: 'body', pointer: '/object/title', message: 'is required but missing' },
    ]);
  });

  it('lists transitions by target status and applies them', async () => {
    const t = await jira(sb, 'GET', `/rest/api/3/issue/${epic.id}/transitions`);
    expect(
      t.body.transitions.map((x: { id: string; to: { id: string; statusCategory: { key: string } } }) => [
        x.id,
        x.to.id,
        x.to.statusCategory.key,
      ]),
    ).toEqual([
      ['21', '10001', 'indeterminate'],
      ['31', '10002', 'done'],
    ]);
    expect(t.body.transitions[0]).toMatchObject({ isAvailable: true, hasScreen: false });
    // A status id is not a transition id.
    const wrong = await jira(sb, 'POST', `/rest/api/3/issue/${epic.id}/transitions`, { transition: { id: '10002' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errorMessages).toEqual(["Transition id '10002' is not valid for this issue."]);
    const toCurrent = await jira(sb, 'POST', `/rest/api/3/issue/${epic.id}/transitions`, { transition: { id: '11' } });
    expect(toCurrent.status).toBe(400);
    expect((await jira(sb, 'POST', `/rest/api/3/issue/${epic.id}/transitions`, { transition: { id: '31' } })).status).toBe(204);
    expect(sb.jira.state.getIssue(epic.id)?.status).toEqual({ id: '10002', name: 'Done', categoryKey: 'done' });
    sb.jira.state.setStatusByCategory(epic.id, 'new');
  });

  it('state helpers act like a person in the Jira UI', async () => {
    const other = sb.jira.state.createIssue({ issueType: 'Epic', summary: 'Hand-made epic' });
    sb.jira.state.moveIssue(story.key, other.key);
    expect(sb.jira.state.getIssue(story.id)?.parentKey).toBe(other.key);
    expect(() => sb.jira.state.moveIssue(story.key, story.key)).toThrow();
    sb.jira.state.setSummary(story.id, 'Edited in Jira');
    const r = await jira(sb, 'GET', `/rest/api/3/issue/${story.id}?fields=summary,parent`);
    expect(r.body.fields.summary).toBe('Edited in Jira');
    expect(r.body.fields.parent.key).toBe(other.key);
    sb.jira.state.moveIssue(story.key, epic.key);
  });
});

describe('Jira search lag', () => {
  it('hides fresh writes from search/jql unless their id is in reconcileIssues', async () => {
    // The sandbox's clock stands still unless moved: the fresh write stays fresh however slow the machine is.
    const clock = new VirtualClock(Date.now());
    const sb = await startCheckedSandbox({ searchLagMs: 300, clock });
    try {
      const a = await createIssue(sb, { issuetype: { name: 'Epic' }, summary: 'fresh', labels: ['lag'] });
      const hidden = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'labels = lag' });
      expect(hidden.body.issues).toEqual([]);
      const reconciled = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'labels = lag', reconcileIssues: [Number(a.id)] });
      expect(reconciled.body.issues.map((i: { id: string }) => i.id)).toEqual([a.id]);
      const viaGet = await jira(sb, 'GET', `/rest/api/3/search/jql?jql=labels%3Dlag&reconcileIssues=${a.id}`);
      expect(viaGet.body.issues).toHaveLength(1);
      // GET by id is strongly consistent.
      expect((await jira(sb, 'GET', `/rest/api/3/issue/${a.id}`)).status).toBe(200);
      clock.advance(299);
      expect((await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'labels = lag' })).body.issues).toEqual([]);
      clock.advance(1);
      const later = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'labels = lag' });
      expect(later.body.issues).toHaveLength(1);
      // An edit makes it stale again.
      await jira(sb, 'PUT', `/rest/api/3/issue/${a.id}`, { fields: { summary: 'edited' } });
      expect((await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'labels = lag' })).body.issues).toEqual([]);
    } finally {
      await sb.close();
    }
  });
});
