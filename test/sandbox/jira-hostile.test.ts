import { describe, expect, it } from 'vitest';
import { createIssue, jira } from './helpers.js';
import { sandboxPerTest } from './jira-sandbox.js';
import { responseProblems, schemaProblems } from './jira-spec.js';

// Behaviours a faithful client must survive: a search that never ends, a 503 answered after a bulk create went through
// (the write happened), and bulk-create results in an order other than the request's (the spec promises none,
// `#/components/schemas/CreatedIssues`).

const open = sandboxPerTest();

const story = (summary: string, pbId: string) => ({
  fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary, labels: [`pb-${pbId}`] },
  properties: [{ key: 'pb.sync', value: { pbId } }],
});

describe('Jira hostile and ambiguous answers', () => {
  it('repeatNextPageToken: search/jql answers the same page and the same token forever, until switched off', async () => {
    const s = await open();
    for (let i = 0; i < 5; i++) await createIssue(s, { issuetype: { name: 'Task' }, summary: `t${i}`, labels: ['loop'] });
    s.jira.state.behaviour.repeatNextPageToken = true;
    const page = (token?: string) =>
      jira(s, 'POST', '/rest/api/3/search/jql', {
        jql: 'labels = loop ORDER BY key',
        maxResults: 2,
        fields: ['summary'],
        ...(token ? { nextPageToken: token } : {}),
      });
    const first = await page();
    expect(responseProblems('POST', '/rest/api/3/search/jql', 200, first.body)).toEqual([]);
    let token = first.body.nextPageToken as string;
    expect(token).toEqual(expect.any(String));
    for (let i = 0; i < 20; i++) {
      const next = await page(token);
      expect(next.body.isLast).toBe(false);
      expect(next.body.nextPageToken).toBe(token);
      expect(next.body.issues.map((x: { fields: { summary: string } }) => x.fields.summary)).toEqual(['t0', 't1']);
      token = next.body.nextPageToken;
    }
    s.jira.state.behaviour.repeatNextPageToken = false;
    const summaries: string[] = [];
    let t: string | undefined;
    do {
      const r = await page(t);
      summaries.push(...r.body.issues.map((x: { fields: { summary: string } }) => x.fields.summary));
      t = r.body.nextPageToken;
    } while (t);
    expect(summaries).toEqual(['t0', 't1', 't2', 't3', 't4']);
  });

  it('answer503AfterWrite: the bulk create is applied, then answered 503; the next one is answered normally', async () => {
    const s = await open({ jira: { behaviour: { answer503AfterWrite: { route: 'POST /rest/api/3/issue/bulk', count: 1 } } } });
    const r = await jira(s, 'POST', '/rest/api/3/issue/bulk', { issueUpdates: [story('one', 'a1'), story('two', 'a2')] });
    expect(r.status).toBe(503);
    expect(schemaProblems('ErrorCollection', r.body)).toEqual([]);
    // The issues exist: a client that retries blindly duplicates them; one that looks them up by stamp does not.
    expect(s.jira.state.issues().map((i) => [i.summary, i.properties['pb.sync']])).toEqual([
      ['one', { pbId: 'a1' }],
      ['two', { pbId: 'a2' }],
    ]);
    const byStamp = await jira(s, 'POST', '/rest/api/3/search/jql', { jql: 'labels in (pb-a1, pb-a2)', fields: ['labels'] });
    expect(byStamp.body.issues).toHaveLength(2);
    expect(s.jira.state.behaviour.answer503AfterWrite?.count).toBe(0);
    expect(s.requests.find((q) => q.route === 'POST /rest/api/3/issue/bulk')?.status).toBe(503);
    expect((await jira(s, 'POST', '/rest/api/3/issue/bulk', { issueUpdates: [story('three', 'a3')] })).status).toBe(201);

    // A refused create stays refused: only successful writes are turned into 503s.
    s.jira.state.behaviour.answer503AfterWrite = { route: 'POST /rest/api/3/issue', count: 1 };
    expect((await jira(s, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'PBJ' }, summary: 'no type' } })).status).toBe(400);
    expect((await jira(s, 'POST', '/rest/api/3/issue', story('four', 'a4'))).status).toBe(503);
    expect(s.jira.state.issues().map((i) => i.summary)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('bulkCreateOrder reverse and shuffle: results come back in another order; stamps still tell which is which', async () => {
    const s = await open({ jira: { behaviour: { bulkCreateOrder: 'reverse' } } });
    const updates = Array.from({ length: 10 }, (_, i) => story(`s${i}`, `p${i}`));
    const reversed = await jira(s, 'POST', '/rest/api/3/issue/bulk', { issueUpdates: updates });
    expect(reversed.status).toBe(201);
    const summaryOf = (id: string) => s.jira.state.getIssue(id)?.summary;
    expect(reversed.body.issues.map((i: { id: string }) => summaryOf(i.id))).toEqual([
      's9',
      's8',
      's7',
      's6',
      's5',
      's4',
      's3',
      's2',
      's1',
      's0',
    ]);
    // Keys follow the processing order too, so neither position nor key order matches the request.
    expect(s.jira.state.getIssue('PBJ-1')?.summary).toBe('s9');

    s.jira.state.behaviour.bulkCreateOrder = 'shuffle';
    const shuffled = await jira(s, 'POST', '/rest/api/3/issue/bulk', {
      issueUpdates: [...updates.slice(0, 4), { fields: { summary: 'bad' } }, ...updates.slice(4)],
    });
    const order = shuffled.body.issues.map((i: { id: string }) => summaryOf(i.id));
    expect([...order].sort()).toEqual(updates.map((u) => u.fields.summary).sort());
    expect(order).not.toEqual(updates.map((u) => u.fields.summary));
    // Failures still point at the request's positions.
    expect(shuffled.body.errors.map((e: { failedElementNumber: number }) => e.failedElementNumber)).toEqual([4]);
    const fetched = await jira(s, 'POST', '/rest/api/3/issue/bulkfetch', {
      issueIdsOrKeys: shuffled.body.issues.map((i: { id: string }) => i.id),
      fields: ['summary'],
      properties: ['pb.sync'],
    });
    for (const i of fetched.body.issues) expect(`s${(i.properties['pb.sync'].pbId as string).slice(1)}`).toBe(i.fields.summary);
  });
});
