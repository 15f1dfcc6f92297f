import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedIds, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { adf, createIssue, jira, pb } from './helpers.js';
import { responseSchema, schemaRef, validate, type OpenApiDoc } from './spec-validator.js';

// The vendors' OpenAPI documents (https://developer.productboard.com/v2/openapi and
// https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json) are read from a copy kept beside the
// repository, not in it, so this suite is skipped, loudly, when they are absent.
const specUrl = (name: string): URL => new URL(`../../../shared/specs/${name}`, import.meta.url);
const SPECS = {
  entities: specUrl('productboard-v2/entities.openapi.json'),
  notes: specUrl('productboard-v2/notes.openapi.json'),
  jira: specUrl('jira-platform-v3.openapi.json'),
};
const missing = Object.values(SPECS).filter((u) => !existsSync(fileURLToPath(u)));
if (missing.length > 0) {
  console.warn(`[spec-shapes] skipped: vendor OpenAPI specs not found (${missing.map((u) => fileURLToPath(u)).join(', ')})`);
}
const load = (u: URL): OpenApiDoc => JSON.parse(readFileSync(fileURLToPath(u), 'utf8')) as OpenApiDoc;

describe.skipIf(missing.length > 0)('sandbox responses agree with the vendor OpenAPI specs', () => {
  let sb: Sandbox;
  let entities: OpenApiDoc;
  let notes: OpenApiDoc;
  let jiraSpec: OpenApiDoc;
  beforeAll(async () => {
    entities = load(SPECS.entities);
    notes = load(SPECS.notes);
    jiraSpec = load(SPECS.jira);
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('the checker itself rejects shapes the specs forbid', () => {
    expect(validate(entities, schemaRef('Entity'), { type: 'feature' })).toContain("$: missing required property 'id'");
    expect(validate(jiraSpec, schemaRef('SearchAndReconcileResults'), { issues: [], total: 3 })).toEqual([
      "$: property 'total' is not allowed by the schema",
    ]);
    expect(validate(notes, schemaRef('Note'), { id: 'x', type: 'memo', links: {} }).length).toBeGreaterThan(0);
  });

  it('Productboard Entity, entity lists, relationships and errors', async () => {
    const search = await pb(sb, 'POST', '/v2/entities/search', { data: { filter: { type: ['feature'] } } });
    expect(search.body.data.length).toBeGreaterThan(0);
    expect(validate(entities, responseSchema(entities, '/entities/search', 'post', '200'), search.body)).toEqual([]);
    for (const e of search.body.data) expect(validate(entities, schemaRef('Entity'), e)).toEqual([]);

    const one = await pb(sb, 'GET', `/v2/entities/${seedIds.featureWithSubfeatures}`);
    expect(validate(entities, responseSchema(entities, '/entities/{id}', 'get', '200'), one.body)).toEqual([]);
    // Required by the spec's ResourceReference / EntityLinks / EntityRelationship / ListLinks.
    expect(one.body.data).toMatchObject({
      id: expect.any(String),
      type: 'feature',
      links: { self: expect.any(String), html: expect.any(String) },
    });
    expect(one.body.data.relationships.links).toHaveProperty('next');

    const all = await pb(sb, 'GET', '/v2/entities?type[]=initiative&fields[]=all');
    expect(validate(entities, responseSchema(entities, '/entities', 'get', '200'), all.body)).toEqual([]);

    const rels = await pb(sb, 'GET', `/v2/entities/${seedIds.featureWithSubfeatures}/relationships`);
    expect(validate(entities, responseSchema(entities, '/entities/{id}/relationships', 'get', '200'), rels.body)).toEqual([]);

    const unauthorized = await pb(sb, 'GET', '/v2/entities', undefined, 'bad');
    expect(validate(entities, schemaRef('ErrorResponse'), unauthorized.body)).toEqual([]);
    const badSearch = await pb(sb, 'POST', '/v2/entities/search', { data: { filter: {} } });
    expect(validate(entities, schemaRef('ErrorResponse'), badSearch.body)).toEqual([]);
  });

  it('Productboard Note and note lists', async () => {
    const list = await pb(sb, 'GET', '/v2/notes');
    expect(validate(notes, responseSchema(notes, '/notes', 'get', '200'), list.body)).toEqual([]);
    for (const n of list.body.data) {
      expect(validate(notes, schemaRef('Note'), n)).toEqual([]);
      for (const key of ['id', 'type', 'links', 'fields', 'relationships', 'createdAt', 'updatedAt']) expect(n).toHaveProperty(key);
    }
    const tagged = list.body.data.find((n: { fields: { tags?: unknown } }) => n.fields.tags);
    expect(tagged).toBeDefined();
  });

  it('Jira CreatedIssue, CreatedIssues, IssueBean, SearchAndReconcileResults, BulkIssueResults, Transitions, ErrorCollection', async () => {
    const schema = (name: string) => schemaRef(name);
    const epic = await jira(sb, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PBJ' }, issuetype: { name: 'Epic' }, summary: 'Spec epic', labels: ['spec'], description: adf('hello') },
      properties: [{ key: 'pb.sync', value: { pbId: 'x' } }],
    });
    expect(validate(jiraSpec, schema('CreatedIssue'), epic.body)).toEqual([]);

    const bulk = await jira(sb, 'POST', '/rest/api/3/issue/bulk', {
      issueUpdates: [
        { fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'ok', parent: { key: epic.body.key } } },
        { fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'bad', parent: { key: 'PBJ-999' } } },
      ],
    });
    expect(bulk.status).toBe(201);
    expect(validate(jiraSpec, schema('CreatedIssues'), bulk.body)).toEqual([]);

    const got = await jira(sb, 'GET', `/rest/api/3/issue/${bulk.body.issues[0].id}?properties=pb.sync`);
    expect(validate(jiraSpec, schema('IssueBean'), got.body)).toEqual([]);

    const search = await jira(sb, 'POST', '/rest/api/3/search/jql', {
      jql: 'project = PBJ ORDER BY key',
      fields: ['summary', 'labels', 'description', 'issuetype', 'parent', 'status', 'project', 'created', 'updated', 'duedate'],
      properties: ['pb.sync'],
      maxResults: 1,
    });
    expect(search.body.nextPageToken).toEqual(expect.any(String));
    expect(validate(jiraSpec, responseSchema(jiraSpec, '/rest/api/3/search/jql', 'post', '200'), search.body)).toEqual([]);
    expect(validate(jiraSpec, schema('SearchAndReconcileResults'), search.body)).toEqual([]);
    const status = search.body.issues[0].fields.status;
    expect(validate(jiraSpec, schema('StatusDetails'), status)).toEqual([]);
    expect(validate(jiraSpec, schema('IssueTypeDetails'), search.body.issues[0].fields.issuetype)).toEqual([]);

    const fetched = await jira(sb, 'POST', '/rest/api/3/issue/bulkfetch', { issueIdsOrKeys: [epic.body.key], fields: ['summary'] });
    expect(validate(jiraSpec, schema('BulkIssueResults'), fetched.body)).toEqual([]);

    const transitions = await jira(sb, 'GET', `/rest/api/3/issue/${epic.body.id}/transitions`);
    expect(validate(jiraSpec, schema('Transitions'), transitions.body)).toEqual([]);

    const link = await jira(sb, 'POST', `/rest/api/3/issue/${epic.body.id}/remotelink`, {
      globalId: 'g1',
      object: { url: 'https://x', title: 'x' },
    });
    expect(validate(jiraSpec, schema('RemoteIssueLinkIdentifies'), link.body)).toEqual([]);
    const links = await jira(sb, 'GET', `/rest/api/3/issue/${epic.body.id}/remotelink`);
    for (const l of links.body) expect(validate(jiraSpec, schema('RemoteIssueLink'), l)).toEqual([]);

    const project = await jira(sb, 'GET', '/rest/api/3/project/PBJ');
    expect(validate(jiraSpec, schema('Project'), project.body)).toEqual([]);
    const me = await jira(sb, 'GET', '/rest/api/3/myself');
    expect(validate(jiraSpec, schema('User'), me.body)).toEqual([]);

    const s = await createIssue(sb, { issuetype: { name: 'Story' }, summary: 'x' });
    for (const bad of [
      await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'order by key' }),
      await jira(sb, 'PUT', `/rest/api/3/issue/${s.id}`, { fields: { labels: ['a b'] } }),
      await jira(sb, 'GET', '/rest/api/3/search'),
    ]) {
      expect(validate(jiraSpec, schema('ErrorCollection'), bad.body)).toEqual([]);
    }
  });
});
