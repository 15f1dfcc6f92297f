import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedIds, type Sandbox } from '../../src/sandbox/index.js';
import { takeViolations } from '../helpers/contract-guard.js';
import { startCheckedSandbox } from '../helpers/checked-sandbox.js';
import { adf, createIssue, jira, pb } from './helpers.js';

// The simulators' answers held to the vendors' specifications (test/contract/specs/): each exchange below is checked
// by the sandbox's contract gate against the operation the vendor documents for it, request and answer alike (ajv
// with the documents' own components: formats, lengths, patterns, additionalProperties). Here: every route the
// engine uses, on the happy path and the error paths the engine handles.

let sb: Sandbox;
beforeAll(async () => {
  sb = await startCheckedSandbox();
});
afterAll(async () => {
  await sb.close();
});

/** The documented operations the exchanges since the last call were checked against, and what the checks found. */
function checked(): { operations: string[]; violations: string[] } {
  const operations = [...new Set(sb.requests.map((r) => r.operation ?? `undocumented ${r.route}`))];
  sb.resetRequestLog();
  return { operations, violations: takeViolations(sb).map((v) => `${v.side} ${v.operation} ${v.pointer}: ${v.message}`) };
}

describe('sandbox answers agree with the vendor specifications', () => {
  it('Productboard entities, entity lists, relationships and errors', async () => {
    const search = await pb(sb, 'POST', '/v2/entities/search', { data: { filter: { type: ['feature'] } } });
    expect(search.body.data.length).toBeGreaterThan(0);
    const one = await pb(sb, 'GET', `/v2/entities/${seedIds.featureWithSubfeatures}`);
    // Required by the spec's ResourceReference / EntityLinks / EntityRelationship / ListLinks.
    expect(one.body.data).toMatchObject({
      id: expect.any(String),
      type: 'feature',
      links: { self: expect.any(String), html: expect.any(String) },
    });
    expect(one.body.data.relationships.links).toHaveProperty('next');
    await pb(sb, 'GET', '/v2/entities?type[]=initiative&fields[]=all');
    await pb(sb, 'GET', `/v2/entities/${seedIds.featureWithSubfeatures}/relationships`);
    expect((await pb(sb, 'GET', '/v2/entities', undefined, 'bad')).status).toBe(401);
    expect((await pb(sb, 'GET', `/v2/entities/${seedIds.ambiguousFeature.replace(/^.{8}/, '00000000')}`)).status).toBe(404);
    expect(checked()).toEqual({
      operations: ['POST /entities/search', 'GET /entities/{id}', 'GET /entities', 'GET /entities/{id}/relationships'],
      violations: [],
    });
  });

  it('Productboard notes and note lists', async () => {
    const list = await pb(sb, 'GET', '/v2/notes');
    for (const n of list.body.data)
      for (const key of ['id', 'type', 'links', 'fields', 'relationships', 'createdAt', 'updatedAt']) expect(n).toHaveProperty(key);
    expect(list.body.data.find((n: { fields: { tags?: unknown } }) => n.fields.tags)).toBeDefined();
    await pb(sb, 'GET', `/v2/notes/${list.body.data[0].id}`);
    await pb(sb, 'GET', `/v2/notes/${list.body.data[0].id}/relationships`);
    expect(checked()).toEqual({ operations: ['GET /notes', 'GET /notes/{id}', 'GET /notes/{id}/relationships'], violations: [] });
  });

  it('Jira issues, bulk create, search, bulk fetch, transitions, remote links, properties, project, myself and errors', async () => {
    const epic = await jira(sb, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PBJ' }, issuetype: { name: 'Epic' }, summary: 'Spec epic', labels: ['spec'], description: adf('hello') },
      properties: [{ key: 'pb.sync', value: { pbId: 'x' } }],
    });
    const bulk = await jira(sb, 'POST', '/rest/api/3/issue/bulk', {
      issueUpdates: [
        { fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'ok', parent: { key: epic.body.key } } },
        { fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'bad', parent: { key: 'PBJ-999' } } },
      ],
    });
    expect(bulk.status).toBe(201);
    expect(bulk.body.errors).toHaveLength(1);
    await jira(sb, 'GET', `/rest/api/3/issue/${bulk.body.issues[0].id}?properties=pb.sync`);
    const search = await jira(sb, 'POST', '/rest/api/3/search/jql', {
      jql: 'project = PBJ ORDER BY key',
      fields: ['summary', 'labels', 'description', 'issuetype', 'parent', 'status', 'project', 'created', 'updated', 'duedate'],
      properties: ['pb.sync'],
      maxResults: 1,
    });
    expect(search.body.nextPageToken).toEqual(expect.any(String));
    await jira(sb, 'POST', '/rest/api/3/issue/bulkfetch', { issueIdsOrKeys: [epic.body.key], fields: ['summary'] });
    await jira(sb, 'GET', `/rest/api/3/issue/${epic.body.id}/transitions`);
    await jira(sb, 'POST', `/rest/api/3/issue/${epic.body.id}/remotelink`, { globalId: 'g1', object: { url: 'https://x', title: 'x' } });
    await jira(sb, 'GET', `/rest/api/3/issue/${epic.body.id}/remotelink`);
    await jira(sb, 'PUT', `/rest/api/3/issue/${epic.body.id}/properties/pb.sync`, { pbId: 'y' });
    await jira(sb, 'GET', '/rest/api/3/project/PBJ');
    await jira(sb, 'GET', '/rest/api/3/myself');
    const s = await createIssue(sb, { issuetype: { name: 'Story' }, summary: 'x' });
    expect((await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'order by key' })).status).toBe(400);
    expect((await jira(sb, 'PUT', `/rest/api/3/issue/${s.id}`, { fields: { labels: ['a b'] } })).status).toBe(400);
    expect((await jira(sb, 'GET', '/rest/api/3/myself', undefined, null)).status).toBe(401);
    expect(checked()).toEqual({
      operations: [
        'POST /rest/api/3/issue',
        'POST /rest/api/3/issue/bulk',
        'GET /rest/api/3/issue/{issueIdOrKey}',
        'POST /rest/api/3/search/jql',
        'POST /rest/api/3/issue/bulkfetch',
        'GET /rest/api/3/issue/{issueIdOrKey}/transitions',
        'POST /rest/api/3/issue/{issueIdOrKey}/remotelink',
        'GET /rest/api/3/issue/{issueIdOrKey}/remotelink',
        'PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
        'GET /rest/api/3/project/{projectIdOrKey}',
        'GET /rest/api/3/myself',
        'PUT /rest/api/3/issue/{issueIdOrKey}',
      ],
      violations: [],
    });
  });
});
