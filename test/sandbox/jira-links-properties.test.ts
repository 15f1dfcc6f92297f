import { Version3Client } from 'jira.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAGGED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createIssue, jira } from './helpers.js';
import { adjustedSchemaProblems, responseProblems, schemaProblems } from './jira-spec.js';

// What the delivery report and the Jira-side lease read: project entity properties, issue links ("is blocked by"),
// the Flagged impediment field, and issue timestamps.

describe('Jira project properties, issue links, flags and timestamps', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  it('keeps project entity properties: 201 then 200, keys, 404s, the size cap, and delete', async () => {
    const path = '/rest/api/3/project/PBJ/properties/pb-jira-sync.lease';
    const lease = { holder: 'host-a:4242', heartbeat: '2026-11-29T10:00:00Z', lastWrite: null };
    expect((await jira(sb, 'GET', path)).status).toBe(404);
    expect((await jira(sb, 'PUT', path, lease)).status).toBe(201);
    expect((await jira(sb, 'PUT', path, { ...lease, heartbeat: '2026-11-29T10:00:30Z' })).status).toBe(200);
    const got = await jira(sb, 'GET', path);
    expect(responseProblems('GET', '/rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}', 200, got.body)).toEqual([]);
    expect(got.body).toEqual({ key: 'pb-jira-sync.lease', value: { ...lease, heartbeat: '2026-11-29T10:00:30Z' } });
    // The project id works as well as its key.
    expect((await jira(sb, 'GET', '/rest/api/3/project/10020/properties/pb-jira-sync.lease')).body.value.holder).toBe('host-a:4242');
    const keys = await jira(sb, 'GET', '/rest/api/3/project/PBJ/properties');
    expect(responseProblems('GET', '/rest/api/3/project/{projectIdOrKey}/properties', 200, keys.body)).toEqual([]);
    expect(keys.body.keys).toEqual([
      { key: 'pb-jira-sync.lease', self: `${sb.jira.url}/rest/api/3/project/PBJ/properties/pb-jira-sync.lease` },
    ]);
    expect((await jira(sb, 'PUT', '/rest/api/3/project/NOPE/properties/x', { a: 1 })).status).toBe(404);
    expect((await jira(sb, 'PUT', path, { big: 'x'.repeat(33_000) })).status).toBe(400);
    expect(sb.jira.state.projectProperties.get('pb-jira-sync.lease')).toMatchObject({ holder: 'host-a:4242' });
    expect((await jira(sb, 'DELETE', path)).status).toBe(204);
    expect((await jira(sb, 'DELETE', path)).status).toBe(404);

    const client = new Version3Client({
      host: sb.jira.url,
      authentication: { basic: { email: sb.jira.email, apiToken: sb.jira.apiToken } },
    });
    await client.projectProperties.setProjectProperty({ projectIdOrKey: 'PBJ', propertyKey: 'pb-jira-sync.lease', propertyValue: lease });
    expect((await client.projectProperties.getProjectProperty({ projectIdOrKey: 'PBJ', propertyKey: 'pb-jira-sync.lease' })).value).toEqual(
      lease,
    );
    expect((await client.projectProperties.getProjectPropertyKeys({ projectIdOrKey: 'PBJ' })).keys?.map((k) => k.key)).toEqual([
      'pb-jira-sync.lease',
    ]);
  });

  it('links issues ("A blocks B") and shows each end in fields.issuelinks', async () => {
    const types = await jira(sb, 'GET', '/rest/api/3/issueLinkType');
    expect(responseProblems('GET', '/rest/api/3/issueLinkType', 200, types.body)).toEqual([]);
    expect(types.body.issueLinkTypes.find((t: { name: string }) => t.name === 'Blocks')).toMatchObject({
      inward: 'is blocked by',
      outward: 'blocks',
    });

    const a = await createIssue(sb, { issuetype: { name: 'Story' }, summary: 'Payment API' });
    const b = await createIssue(sb, { issuetype: { name: 'Story' }, summary: 'Pay button' });
    const link = await jira(sb, 'POST', '/rest/api/3/issueLink', {
      type: { name: 'Blocks' },
      inwardIssue: { key: a.key },
      outwardIssue: { key: b.key },
    });
    expect(link.status).toBe(201);
    expect(link.text).toBe('');
    // The same link again is answered 201 and not duplicated.
    expect(
      (await jira(sb, 'POST', '/rest/api/3/issueLink', { type: { id: '10000' }, inwardIssue: { id: a.id }, outwardIssue: { id: b.id } }))
        .status,
    ).toBe(201);

    const linksOf = async (id: string) => (await jira(sb, 'GET', `/rest/api/3/issue/${id}?fields=issuelinks`)).body.fields.issuelinks;
    const fromA = await linksOf(a.id);
    const fromB = await linksOf(b.id);
    expect(fromA).toHaveLength(1);
    expect(fromA[0]).toMatchObject({
      type: { name: 'Blocks', outward: 'blocks' },
      outwardIssue: { key: b.key, fields: { summary: 'Pay button', status: { name: 'To Do' } } },
    });
    expect(fromA[0]).not.toHaveProperty('inwardIssue');
    expect(fromB[0]).toMatchObject({ id: fromA[0].id, type: { inward: 'is blocked by' }, inwardIssue: { key: a.key } });
    // The IssueLink schema requires both ends, but issue JSON carries only the other end, as the spec's own getIssue
    // example shows: validate everything else.
    for (const l of [...fromA, ...fromB]) expect(adjustedSchemaProblems('IssueLink', (s) => ({ ...s, required: ['type'] }), l)).toEqual([]);
    expect(schemaProblems('IssueLink', fromA[0])).toEqual(["$ must have required property 'inwardIssue'"]);
    expect(sb.jira.state.getIssue(b.key)?.links).toEqual([
      { id: fromA[0].id, type: 'Blocks', direction: 'inward', description: 'is blocked by', otherKey: a.key },
    ]);

    const one = await jira(sb, 'GET', `/rest/api/3/issueLink/${fromA[0].id}`);
    expect(responseProblems('GET', '/rest/api/3/issueLink/{linkId}', 200, one.body)).toEqual([]);
    expect(one.body).toMatchObject({ inwardIssue: { key: a.key }, outwardIssue: { key: b.key }, type: { name: 'Blocks' } });

    expect(
      (
        await jira(sb, 'POST', '/rest/api/3/issueLink', {
          type: { name: 'Causes' },
          inwardIssue: { key: a.key },
          outwardIssue: { key: b.key },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await jira(sb, 'POST', '/rest/api/3/issueLink', {
          type: { name: 'Blocks' },
          inwardIssue: { key: 'PBJ-999' },
          outwardIssue: { key: b.key },
        })
      ).status,
    ).toBe(404);
    const self = await jira(sb, 'POST', '/rest/api/3/issueLink', {
      type: { name: 'Blocks' },
      inwardIssue: { key: a.key },
      outwardIssue: { key: a.key },
    });
    expect(self.status).toBe(400);
    expect(schemaProblems('ErrorCollection', self.body)).toEqual([]);

    expect((await jira(sb, 'DELETE', `/rest/api/3/issueLink/${fromA[0].id}`)).status).toBe(204);
    expect(await linksOf(b.id)).toEqual([]);
    expect((await jira(sb, 'GET', `/rest/api/3/issueLink/${fromA[0].id}`)).status).toBe(404);

    // A person links them in the UI; deleting an issue drops its links.
    sb.jira.state.linkIssues('Blocks', a.key, b.key);
    expect(await linksOf(b.id)).toHaveLength(1);
    sb.jira.state.deleteIssue(a.key);
    expect(await linksOf(b.id)).toEqual([]);
  });

  it('flags an issue as an impediment (Flagged) and finds it through search', async () => {
    const s = await createIssue(sb, { issuetype: { name: 'Story' }, summary: 'Waiting on legal', labels: ['flag-test'] });
    sb.jira.state.flag(s.key);
    expect(sb.jira.state.getIssue(s.key)?.flagged).toBe(true);
    const found = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'labels = flag-test', fields: [FLAGGED.id] });
    expect(found.body.issues[0].fields[FLAGGED.id]).toMatchObject([{ value: 'Impediment', id: '10019' }]);
    sb.jira.state.flag(s.key, false);
    const cleared = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'labels = flag-test', fields: [FLAGGED.id] });
    expect(cleared.body.issues[0].fields[FLAGGED.id]).toBeNull();
    // Flagged is not on the default edit screen: an integration cannot set it there, as in Jira.
    expect((await jira(sb, 'PUT', `/rest/api/3/issue/${s.id}`, { fields: { [FLAGGED.id]: [{ value: 'Impediment' }] } })).status).toBe(400);
  });

  it('returns created and updated when asked; aging an issue moves both', async () => {
    const s = await createIssue(sb, { issuetype: { name: 'Task' }, summary: 'Old work' });
    const before = (await jira(sb, 'GET', `/rest/api/3/issue/${s.id}?fields=created,updated`)).body.fields;
    expect(before.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    expect(before.updated).toBe(before.created);
    sb.jira.state.age(30 * 86_400_000);
    const after = (await jira(sb, 'GET', `/rest/api/3/issue/${s.id}?fields=created,updated`)).body.fields;
    expect(Date.parse(before.created.replace('+0000', 'Z')) - Date.parse(after.created.replace('+0000', 'Z'))).toBe(30 * 86_400_000);
    expect(after.updated).toBe(after.created);
    const stale = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: `key = ${s.key} AND updated < -29d`, fields: ['updated'] });
    expect(stale.body.issues.map((i: { key: string }) => i.key)).toEqual([s.key]);
  });
});
