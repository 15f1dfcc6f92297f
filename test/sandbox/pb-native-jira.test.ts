import { afterEach, describe, expect, it } from 'vitest';
import { seedIds, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { pb } from './helpers.js';
import { pbSpec, shapeOf } from './openapi-check.js';

// Productboard's native Jira integration, read-only, against jira-integrations.openapi.json.

const spec = pbSpec('jira-integrations');
const CLOUD = seedIds.jiraIntegrations.cloud;
const LEGACY = seedIds.jiraIntegrations.legacy;

describe("Productboard's native Jira integration", () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it('lists the integrations and gets one, as JiraIntegrationListResponse / JiraIntegrationResponse', async () => {
    sb = await startSandbox();
    const list = await pb(sb, 'GET', '/v2/jira-integrations');
    expect(list.status).toBe(200);
    expect(spec.response('/jira-integrations', 'get', 200, list.body)).toEqual([]);
    expect(list.body.data.map((i: { id: string; fields: { integrationStatus: string } }) => [i.id, i.fields.integrationStatus])).toEqual([
      [LEGACY, 'disabled'],
      [CLOUD, 'enabled'],
    ]);
    // Laid out like the spec's example, key for key.
    expect(shapeOf(list.body)).toEqual(shapeOf(spec.examples('/jira-integrations', 'get', 200)['default']));
    const one = await pb(sb, 'GET', `/v2/jira-integrations/${CLOUD}`);
    expect(spec.response('/jira-integrations/{integrationId}', 'get', 200, one.body)).toEqual([]);
    expect(one.body.data.links).toEqual({
      self: `${sb.productboard.url}/v2/jira-integrations/${CLOUD}`,
      connections: `${sb.productboard.url}/v2/jira-integrations/${CLOUD}/connections`,
      html: expect.stringContaining(CLOUD),
    });
    const missing = await pb(sb, 'GET', '/v2/jira-integrations/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(spec.response('/jira-integrations/{integrationId}', 'get', 404, missing.body)).toEqual([]);
  });

  it('lists feature-to-issue connections (the id is the entity id), finds one by issue key or id, 404s an unlinked entity', async () => {
    sb = await startSandbox();
    const list = await pb(sb, 'GET', `/v2/jira-integrations/${CLOUD}/connections`);
    expect(spec.response('/jira-integrations/{integrationId}/connections', 'get', 200, list.body)).toEqual([]);
    const pairs = list.body.data.map((c: { id: string; fields: { issueKey: string } }) => [c.id, c.fields.issueKey]);
    expect(new Map(pairs)).toEqual(
      new Map([
        [seedIds.inProgressFeature, 'HUB-101'],
        [sb.productboard.state.list('subfeature').find((s) => s.name === 'IdP metadata upload')!.id, 'HUB-102'],
        [seedIds.releasedFeature, 'HUB-87'],
      ]),
    );
    expect(list.body.links.next).toBeNull();
    expect(shapeOf(list.body.data[0])).toEqual(
      shapeOf((spec.examples('/jira-integrations/{integrationId}/connections', 'get', 200)['default'] as { data: unknown[] }).data[0]),
    );
    const byKey = await pb(sb, 'GET', `/v2/jira-integrations/${CLOUD}/connections?issueKey=HUB-87`);
    expect(byKey.body.data).toEqual([
      {
        id: seedIds.releasedFeature,
        type: 'jiraIntegrationConnection',
        fields: { issueKey: 'HUB-87', issueId: '20087' },
        links: { self: `${sb.productboard.url}/v2/jira-integrations/${CLOUD}/connections/${seedIds.releasedFeature}` },
      },
    ]);
    expect(
      (await pb(sb, 'GET', `/v2/jira-integrations/${CLOUD}/connections?issueId=20101`)).body.data.map((c: { id: string }) => c.id),
    ).toEqual([seedIds.inProgressFeature]);
    expect((await pb(sb, 'GET', `/v2/jira-integrations/${CLOUD}/connections?issueKey=HUB-999`)).body.data).toEqual([]);

    const one = await pb(sb, 'GET', `/v2/jira-integrations/${CLOUD}/connections/${seedIds.releasedFeature}`);
    expect(spec.response('/jira-integrations/{integrationId}/connections/{entityId}', 'get', 200, one.body)).toEqual([]);
    const none = await pb(sb, 'GET', `/v2/jira-integrations/${CLOUD}/connections/${seedIds.plainFeature}`);
    expect(none.status).toBe(404);
    expect(spec.response('/jira-integrations/{integrationId}/connections/{entityId}', 'get', 404, none.body)).toEqual([]);
  });

  it('pages connections by 100 through links.next', async () => {
    sb = await startSandbox();
    const state = sb.productboard.state;
    const component = seedIds.components.docs;
    for (let i = 0; i < 120; i++) {
      const id = state.addEntity({ type: 'feature', name: `Pushed ${i}`, parentId: component, status: 'Planned' });
      state.jiraIntegrations.connect(CLOUD, id, { issueKey: `HUB-${1000 + i}`, issueId: String(30000 + i) });
    }
    const first = await pb(sb, 'GET', `/v2/jira-integrations/${CLOUD}/connections`);
    expect(first.body.data).toHaveLength(100);
    expect(first.body.links.next).toMatch(new RegExp(`^${sb.productboard.url}/v2/jira-integrations/${CLOUD}/connections\\?pageCursor=`));
    const second = await pb(sb, 'GET', first.body.links.next);
    expect(second.body.data).toHaveLength(23);
    expect(second.body.links.next).toBeNull();
    expect(new Set([...first.body.data, ...second.body.data].map((c: { id: string }) => c.id)).size).toBe(123);
  });

  it('with createNativeJiraIssues, the linked issues exist in the sandbox Jira and the connections point at them', async () => {
    sb = await startSandbox({ createNativeJiraIssues: true });
    const jira = sb.jira.state;
    const list = (await pb(sb, 'GET', `/v2/jira-integrations/${CLOUD}/connections`)).body.data as Array<{
      id: string;
      fields: { issueKey: string; issueId: string };
    }>;
    expect(list).toHaveLength(3);
    for (const c of list) {
      const issue = jira.getIssue(c.fields.issueKey);
      expect(issue?.id).toBe(c.fields.issueId);
      expect(issue?.summary).toBe(sb.productboard.state.get(c.id)?.name);
      expect(issue?.labels).toEqual([]); // made by the native integration: no stamp of ours
    }
    const sso = jira.getIssue(list.find((c) => c.id === seedIds.inProgressFeature)!.fields.issueKey)!;
    expect(sso.issueType.name).toBe('Story');
    const idp = jira.issues().find((i) => i.summary === 'IdP metadata upload')!;
    expect(idp.issueType.name).toBe('Sub-task');
    expect(idp.parentKey).toBe(sso.key);
    // Only the enabled integration's links were made; the retired one still points at its old project.
    expect(jira.issues()).toHaveLength(3);
    const legacy = (await pb(sb, 'GET', `/v2/jira-integrations/${LEGACY}/connections`)).body.data;
    expect(legacy.map((c: { fields: { issueKey: string } }) => c.fields.issueKey)).toEqual(['OPS-12']);
  });

  it('a test can link an entity to an issue it made itself (the API has no way to)', async () => {
    sb = await startSandbox();
    const issue = sb.jira.state.createIssue({ issueType: 'Story', summary: 'Bulk user invitations' });
    sb.productboard.state.jiraIntegrations.connect(CLOUD, seedIds.plainFeature, { issueKey: issue.key, issueId: issue.id });
    const r = await pb(sb, 'GET', `/v2/jira-integrations/${CLOUD}/connections?issueKey=${issue.key}`);
    expect(r.body.data.map((c: { id: string }) => c.id)).toEqual([seedIds.plainFeature]);
    expect(sb.productboard.state.jiraIntegrations.views().find((v) => v.id === CLOUD)?.connections).toContainEqual({
      entityId: seedIds.plainFeature,
      issueKey: issue.key,
      issueId: issue.id,
    });
  });

  it('answers 403 to a token without jira-integrations:read', async () => {
    sb = await startSandbox({ productboard: { tokenScopes: ['entities:read', 'notes:read'] } });
    const r = await pb(sb, 'GET', '/v2/jira-integrations');
    expect(r.status).toBe(403);
    expect(r.body.errors[0]).toMatchObject({ code: 'auth.accessDenied', detail: expect.stringContaining('jira-integrations:read') });
    expect(spec.response('/jira-integrations', 'get', 403, r.body)).toEqual([]);
    expect((await pb(sb, 'POST', '/v2/entities/search', { data: { filter: { type: ['feature'] } } })).status).toBe(200);
  });
});
