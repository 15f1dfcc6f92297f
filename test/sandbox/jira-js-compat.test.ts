import { HttpException, Version3Client } from 'jira.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

// The engine talks to Jira through jira.js 5 (Version3Client): comma-joined query arrays, JSON bodies, the hidden
// getIssue before editIssue with a string description. Exercise the simulator through the real client.

describe('jira.js 5 Version3Client against the simulator', () => {
  let sb: Sandbox;
  let client: Version3Client;
  beforeAll(async () => {
    sb = await startSandbox({ searchLagMs: 60_000 });
    client = new Version3Client({ host: sb.jira.url, authentication: { basic: { email: sb.jira.email, apiToken: sb.jira.apiToken } } });
  });
  afterAll(async () => {
    await sb.close();
  });

  it('runs the calls a sync makes', async () => {
    const me = await client.myself.getCurrentUser();
    expect(me.emailAddress).toBe(sb.jira.email);

    const epic = await client.issues.createIssue({
      fields: { project: { key: 'PBJ' }, issuetype: { name: 'Epic' }, summary: 'Epic via jira.js', labels: ['pb-sync'] },
      properties: [{ key: 'pb.sync', value: { pbId: 'e1' } }],
    });
    expect(epic.key).toBe('PBJ-1');

    const bulk = await client.issues.createIssues({
      issueUpdates: [
        {
          fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'S1', parent: { key: epic.key }, labels: ['pb-sync'] },
        },
        { fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'S2', labels: ['bad label'] } },
      ],
    });
    expect(bulk.issues).toHaveLength(1);
    expect(bulk.errors?.[0]?.failedElementNumber).toBe(1);

    // A string description makes jira.js GET the issue first, then send ADF.
    await client.issues.editIssue({ issueIdOrKey: epic.id, fields: { description: 'Plain text from the engine' } });
    const got = await client.issues.getIssue({ issueIdOrKey: epic.id, fields: ['description', 'summary'], properties: ['pb.sync'] });
    expect(got.fields.description).toMatchObject({ type: 'doc', version: 1 });
    expect(got.properties).toEqual({ 'pb.sync': { pbId: 'e1' } });

    const story = bulk.issues?.[0];
    const search = await client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
      jql: 'project = PBJ AND labels = pb-sync',
      fields: ['summary', 'parent'],
      properties: ['pb.sync'],
      reconcileIssues: [Number(epic.id), Number(story?.id)],
    });
    expect(search.issues?.map((i) => i.key).sort()).toEqual([epic.key, story?.key].sort());
    expect(search.nextPageToken).toBeUndefined();
    const lagged = await client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({ jql: 'project = PBJ', fields: ['summary'] });
    expect(lagged.issues).toEqual([]);

    await client.issueProperties.setIssueProperty({ issueIdOrKey: epic.id, propertyKey: 'pb.extra', propertyValue: { a: 1 } });
    const prop = await client.issueProperties.getIssueProperty({ issueIdOrKey: epic.id, propertyKey: 'pb.extra' });
    expect(prop.value).toEqual({ a: 1 });

    const link = await client.issueRemoteLinks.createOrUpdateRemoteIssueLink({
      issueIdOrKey: epic.id,
      globalId: 'system=productboard&id=e1',
      object: { url: 'https://sandbox.productboard.com/entity-detail/e1', title: 'PB feature' },
    });
    expect(typeof link.id).toBe('number');

    const { transitions } = await client.issues.getTransitions({ issueIdOrKey: epic.id });
    const done = transitions?.find((t) => t.to?.statusCategory?.key === 'done');
    await client.issues.doTransition({ issueIdOrKey: epic.id, transition: { id: done?.id ?? '' } });
    expect(sb.jira.state.getIssue(epic.id)?.status.categoryKey).toBe('done');

    const fetched = await client.issues.bulkFetchIssues({ issueIdsOrKeys: [story?.key ?? '', epic.key], fields: ['summary'] });
    expect(fetched.issues?.map((i) => i.id)).toEqual([epic.id, story?.id]);

    const err = await client.issues
      .createIssue({ fields: { project: { key: 'PBJ' }, issuetype: { name: 'Story' }, summary: 'x', parent: { key: story?.key ?? '' } } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpException);
    expect((err as HttpException).status).toBe(400);

    await client.issues.deleteIssue({ issueIdOrKey: epic.id });
    expect(sb.jira.state.getIssue(epic.id)).toBeUndefined();
    expect(sb.jira.state.getIssue(story?.id ?? '')?.parentId).toBeNull();
  });
});
