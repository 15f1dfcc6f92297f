import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { PolicyJiraClient, routeTemplate } from '../../../connectors/jira/client.js';
import { JiraTarget } from '../../../connectors/jira/jira-target.js';
import { HttpPolicy } from '../../../src/http/policy.js';
import { silentLogger } from '../../../src/log/logger.js';
import { guardNetwork } from '../../helpers/nock-guard.js';
import { stamp, uuid } from '../../helpers/builders.js';
import { VirtualClock } from '../../../src/util/clock.js';
import type { IssueDraft } from '../../../src/model/ports.js';

guardNetwork();

const HOST = 'https://acme.atlassian.test';
const PROJECT = {
  id: '10000',
  key: 'PBJ',
  name: 'Delivery',
  issueTypes: [
    { id: '1', name: 'Epic', hierarchyLevel: 1 },
    { id: '2', name: 'Story', hierarchyLevel: 0 },
    { id: '4', name: 'Sub-task', subtask: true, hierarchyLevel: -1 },
  ],
};

function target() {
  const policy = new HttpPolicy({
    clock: new VirtualClock(),
    logger: silentLogger(),
    lanes: { default: { concurrency: 2, ratePerSecond: Infinity } },
    random: () => 0.5,
  });
  return new JiraTarget(new PolicyJiraClient({ host: HOST, email: 'bot@acme.test', apiToken: 'jira-secret', policy }), 'PBJ');
}

const bean = (id: string, pbId: string, extra: Record<string, unknown> = {}) => ({
  id,
  key: `PBJ-${id}`,
  fields: {
    summary: `Issue ${id}`,
    labels: ['pb-jira-sync', `pb-${pbId}`],
    issuetype: { id: '2', name: 'Story', hierarchyLevel: 0 },
    status: { name: 'To Do', statusCategory: { key: 'new' } },
    ...extra,
  },
  properties: { 'pb-jira-sync': stamp(pbId, 'feature') },
});

const draft = (pbId: string): IssueDraft => ({
  pbId,
  issueTypeId: '2',
  parentJiraId: '100',
  summary: 'S',
  description: null,
  labels: ['pb-jira-sync'],
  dueDate: null,
  stamp: stamp(pbId, 'feature'),
});

describe('Jira target', () => {
  it('pages search/jql with nextPageToken (no total), asking for the stamp property', async () => {
    const basic = `Basic ${Buffer.from('bot@acme.test:jira-secret').toString('base64')}`;
    const scope = nock(HOST, { reqheaders: { authorization: basic } })
      .post(
        '/rest/api/3/search/jql',
        (body) =>
          body.jql === 'project = "PBJ" AND labels = "pb-jira-sync" ORDER BY key ASC' &&
          body.properties[0] === 'pb-jira-sync' &&
          !body.nextPageToken,
      )
      .reply(200, { issues: [bean('101', uuid(1))], nextPageToken: 'p2' })
      .post('/rest/api/3/search/jql', (body) => body.nextPageToken === 'p2' && body.reconcileIssues[0] === 555)
      .reply(200, { issues: [bean('102', uuid(2), { parent: { id: '101', key: 'PBJ-101' } })], isLast: true });
    const issues = await target().searchManaged(['555']);
    expect(issues.map((i) => [i.key, i.pbId, i.parentKey])).toEqual([
      ['PBJ-101', uuid(1), null],
      ['PBJ-102', uuid(2), 'PBJ-101'],
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("maps a partially failed bulk create back to each draft by stamp, with Jira's message for the failure", async () => {
    nock(HOST)
      .get('/rest/api/3/project/PBJ')
      .query(true)
      .reply(200, PROJECT)
      .post('/rest/api/3/issue/bulk', (body) => body.issueUpdates.length === 3 && body.issueUpdates[0].properties[0].key === 'pb-jira-sync')
      .reply(201, {
        // Out of request order: positions cannot be trusted once an item failed (JRACLOUD-81005).
        issues: [
          { id: '203', key: 'PBJ-203' },
          { id: '201', key: 'PBJ-201' },
        ],
        errors: [
          {
            status: 400,
            failedElementNumber: 1,
            elementErrors: { errorMessages: [], errors: { parentId: 'Given parent work item does not belong to appropriate hierarchy.' } },
          },
        ],
      })
      .post('/rest/api/3/issue/bulkfetch', (body) => body.issueIdsOrKeys.join() === '203,201' && body.properties[0] === 'pb-jira-sync')
      .reply(200, { issues: [bean('201', uuid(1)), bean('203', uuid(3))], issueErrors: [] });
    const outcomes = await target().bulkCreate([draft(uuid(1)), draft(uuid(2)), draft(uuid(3))]);
    expect(outcomes).toEqual([
      { pbId: uuid(1), ok: true, jiraId: '201', jiraKey: 'PBJ-201' },
      { pbId: uuid(2), ok: false, ambiguous: false, error: 'parentId: Given parent work item does not belong to appropriate hierarchy.' },
      { pbId: uuid(3), ok: true, jiraId: '203', jiraKey: 'PBJ-203' },
    ]);
  });

  it('reads the per-item errors of a bulk create in which every item failed (HTTP 400)', async () => {
    nock(HOST)
      .get('/rest/api/3/project/PBJ')
      .query(true)
      .reply(200, PROJECT)
      .post('/rest/api/3/issue/bulk')
      .reply(400, {
        issues: [],
        errors: [
          {
            status: 400,
            failedElementNumber: 0,
            elementErrors: { errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } },
          },
        ],
      });
    expect(await target().bulkCreate([draft(uuid(1))])).toEqual([
      { pbId: uuid(1), ok: false, ambiguous: false, error: 'summary: You must specify a summary of the issue.' },
    ]);
  });

  it('reports a lost bulk-create response as ambiguous for every draft, without retrying', async () => {
    nock(HOST)
      .get('/rest/api/3/project/PBJ')
      .query(true)
      .reply(200, PROJECT)
      .post('/rest/api/3/issue/bulk')
      // An Error, not a plain object: nock 14 never delivers a plain-object error, and the request would only end at
      // the policy's 30 s deadline (a timeout, not the reset this test is about).
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const outcomes = await target().bulkCreate([draft(uuid(1)), draft(uuid(2))]);
    expect(outcomes).toEqual(
      [uuid(1), uuid(2)].map((pbId) => ({
        pbId,
        ok: false,
        ambiguous: true,
        error: 'no response (ECONNRESET); the write may or may not have happened',
      })),
    );
  });

  it('turns an unknown project into a config error naming the setting', async () => {
    nock(HOST)
      .get('/rest/api/3/project/PBJ')
      .query(true)
      .reply(404, { errorMessages: ["No project could be found with key 'PBJ'."], errors: {} });
    await expect(target().project()).rejects.toMatchObject({
      kind: 'config',
      message: expect.stringContaining('jira.project / JIRA_PROJECT'),
    });
  });

  it('says Jira rejected the credentials on 401', async () => {
    nock(HOST)
      .get('/rest/api/3/project/PBJ')
      .query(true)
      .reply(401, { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });
    await expect(target().project()).rejects.toMatchObject({
      kind: 'auth',
      service: 'jira',
      message: expect.stringContaining('Jira rejected the credentials'),
    });
  });

  it('transitions by target status category, never by a hard-coded id or name', async () => {
    nock(HOST)
      .get('/rest/api/3/issue/PBJ-7/transitions')
      .reply(200, {
        transitions: [
          { id: '11', name: 'Начать', to: { id: '10001', statusCategory: { key: 'indeterminate' } } },
          { id: '31', name: 'Готово', to: { id: '10002', statusCategory: { key: 'done' } } },
        ],
      })
      .post('/rest/api/3/issue/PBJ-7/transitions', { transition: { id: '31' } })
      .reply(204);
    expect(await target().transition('PBJ-7', 'done')).toBe('transitioned');
  });

  it('names endpoints by template for stats and errors', () => {
    expect(routeTemplate('/rest/api/3/issue/PBJ-12/transitions')).toBe('/rest/api/3/issue/{id}/transitions');
    expect(routeTemplate('/rest/api/3/issue/bulk')).toBe('/rest/api/3/issue/bulk');
    expect(routeTemplate('/rest/api/3/project/PBJ')).toBe('/rest/api/3/project/{key}');
  });
});
