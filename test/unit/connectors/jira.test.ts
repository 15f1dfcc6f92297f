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

function target(limits?: { maxSearchPages: number }) {
  const policy = new HttpPolicy({
    clock: new VirtualClock(),
    logger: silentLogger(),
    lanes: { default: { concurrency: 2, ratePerSecond: Infinity } },
    random: () => 0.5,
    retry: { maxTransientRetries: 0 },
  });
  return new JiraTarget(new PolicyJiraClient({ host: HOST, email: 'bot@acme.test', apiToken: 'jira-secret', policy }), 'PBJ', limits);
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
  fields: {},
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
    const issues = await target().searchManaged({ reconcileIds: ['555'] });
    expect(issues.map((i) => [i.key, i.pbId, i.parentKey])).toEqual([
      ['PBJ-101', uuid(1), null],
      ['PBJ-102', uuid(2), 'PBJ-101'],
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('reads what the delivery report shows in the same search: status name, created/updated, the Flagged field, unfinished blockers', async () => {
    const link = (direction: 'inwardIssue' | 'outwardIssue', key: string, category: string, inward = 'is blocked by') => ({
      type: { name: 'Blocks', inward, outward: 'blocks' },
      [direction]: { key, fields: { status: { name: 'x', statusCategory: { key: category } } } },
    });
    const scope = nock(HOST)
      .post('/rest/api/3/search/jql', (body) =>
        ['status', 'created', 'updated', 'issuelinks', 'customfield_10021'].every((f) => body.fields.includes(f)),
      )
      .reply(200, {
        issues: [
          bean('101', uuid(1), {
            status: { name: 'Waiting', statusCategory: { key: 'indeterminate' } },
            created: '2026-01-05T09:00:00.000+0000',
            updated: '2026-02-01T10:00:00.000+0000',
            customfield_10021: [{ id: '10019', value: 'Impediment' }],
            issuelinks: [
              link('inwardIssue', 'PBJ-7', 'new'), // blocked by an open issue
              link('inwardIssue', 'PBJ-8', 'done'), // its blocker is done: blocks nothing any more
              link('outwardIssue', 'PBJ-9', 'new'), // PBJ-101 blocks PBJ-9: not blocked by it
              link('inwardIssue', 'PBJ-10', 'new', 'relates to'), // another link type
            ],
          }),
          bean('102', uuid(2), { customfield_10021: null, created: 1_767_225_600_000, issuelinks: 'not a list' }),
        ],
        isLast: true,
      });
    const [flagged, plain] = await target().searchManaged({});
    expect(flagged!.activity).toEqual({
      statusName: 'Waiting',
      created: '2026-01-05T09:00:00.000+0000',
      updated: '2026-02-01T10:00:00.000+0000',
      flagged: true,
      blockedBy: ['PBJ-7'],
    });
    // Values the report cannot use are left out; the issue itself is read as always.
    expect(plain).toMatchObject({
      key: 'PBJ-102',
      activity: { flagged: false, created: '2026-01-01T00:00:00.000Z', updated: null, blockedBy: [] },
    });
    scope.done();
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

  it('lists transitions with their screens (expand=transitions.fields): target category and name, required fields without a default', async () => {
    nock(HOST)
      .get('/rest/api/3/issue/PBJ-7/transitions')
      .query({ expand: 'transitions.fields' })
      .reply(200, {
        transitions: [
          { id: '11', name: 'Начать', hasScreen: false, to: { id: '10001', name: 'В работе', statusCategory: { key: 'indeterminate' } } },
          {
            id: '31',
            name: 'Готово',
            hasScreen: true,
            to: { id: '10002', name: 'Готово', statusCategory: { key: 'done' } },
            fields: {
              resolution: {
                required: true,
                name: 'Resolution',
                schema: { type: 'resolution' },
                allowedValues: [{ id: '10000', name: 'Done' }],
              },
              priority: { required: true, hasDefaultValue: true, name: 'Priority', schema: { type: 'priority' } },
              comment: { required: false, name: 'Comment', schema: { type: 'comments-page' } },
            },
          },
        ],
      })
      .post('/rest/api/3/issue/PBJ-7/transitions', { transition: { id: '31' }, fields: { resolution: { id: '10000' } } })
      .reply(204);
    const jira = target();
    const options = await jira.transitionOptions('PBJ-7');
    expect(options).toEqual([
      { id: '11', name: 'Начать', category: 'indeterminate', toStatus: 'В работе', hasScreen: false, requiredFields: [] },
      {
        id: '31',
        name: 'Готово',
        category: 'done',
        toStatus: 'Готово',
        hasScreen: true,
        requiredFields: [
          {
            id: 'resolution',
            name: 'Resolution',
            required: true,
            hasDefaultValue: false,
            type: 'resolution',
            allowed: [{ id: '10000', name: 'Done' }],
          },
        ],
      },
    ]);
    await jira.doTransition('PBJ-7', '31', { resolution: { id: '10000' } });
  });

  it('issue 9 §7: a fully successful bulk create answered out of order is matched by stamp (one bulk fetch), with each transition outcome', async () => {
    nock(HOST)
      .get('/rest/api/3/project/PBJ')
      .query(true)
      .reply(200, PROJECT)
      .post('/rest/api/3/issue/bulk')
      .reply(201, {
        issues: [
          {
            id: '302',
            key: 'PBJ-302',
            transition: { status: 400, errorCollection: { errorMessages: [], errors: { resolution: 'Resolution is required.' } } },
          },
          { id: '301', key: 'PBJ-301', transition: { status: 200, errorCollection: { errorMessages: [], errors: {} } } },
        ],
        errors: [],
      })
      .post('/rest/api/3/issue/bulkfetch', (body) => body.issueIdsOrKeys.join() === '302,301')
      .reply(200, { issues: [bean('301', uuid(1)), bean('302', uuid(2))], issueErrors: [] });
    const outcomes = await target().bulkCreate([
      { ...draft(uuid(1)), transitionId: '31' },
      { ...draft(uuid(2)), transitionId: '31' },
    ]);
    expect(outcomes).toEqual([
      { pbId: uuid(1), ok: true, jiraId: '301', jiraKey: 'PBJ-301' },
      { pbId: uuid(2), ok: true, jiraId: '302', jiraKey: 'PBJ-302', transitionRefused: 'resolution: Resolution is required.' },
    ]);
  });

  it('issue 9 §7: created issues that cannot be read back are of unknown outcome (ambiguous), never failed', async () => {
    nock(HOST)
      .get('/rest/api/3/project/PBJ')
      .query(true)
      .reply(200, PROJECT)
      .post('/rest/api/3/issue/bulk')
      .reply(201, { issues: [{ id: '301', key: 'PBJ-301' }], errors: [] })
      .post('/rest/api/3/issue/bulkfetch')
      .reply(502, 'Bad gateway');
    const [outcome] = await target().bulkCreate([draft(uuid(1))]);
    expect(outcome).toMatchObject({ ok: false, ambiguous: true });
  });

  it('issue 9 §6: reads every page of an issue type’s create screen', async () => {
    const field = (id: string, required = false) => ({
      fieldId: id,
      key: id,
      name: id.toUpperCase(),
      required,
      schema: { type: 'string' },
    });
    nock(HOST)
      .get('/rest/api/3/issue/createmeta/PBJ/issuetypes/1')
      .query({ startAt: '0', maxResults: '200' })
      .reply(200, { fields: [field('summary', true), field('labels')], startAt: 0, maxResults: 2, total: 3 })
      .get('/rest/api/3/issue/createmeta/PBJ/issuetypes/1')
      .query({ startAt: '2', maxResults: '200' })
      .reply(200, { fields: [field('customfield_10011', true)], startAt: 2, maxResults: 2, total: 3 });
    const fields = await target().createFields('1');
    expect(fields.map((f) => [f.id, f.required])).toEqual([
      ['summary', true],
      ['labels', false],
      ['customfield_10011', true],
    ]);
  });

  it('issue 10 H1: a search that never ends (new tokens every page) is stopped at the page cap, naming the endpoint', async () => {
    let page = 0;
    nock(HOST)
      .post('/rest/api/3/search/jql')
      .times(3)
      .reply(200, () => ({ issues: [], nextPageToken: `t${++page}` }));
    await expect(target({ maxSearchPages: 3 }).searchManaged()).rejects.toMatchObject({
      kind: 'invalid-response',
      endpoint: 'POST /rest/api/3/search/jql',
      message: expect.stringContaining('more than 3 pages'),
    });
  });

  it('issue 9 §10: an edit whose parent change Jira refuses says so; the edit is not thrown as a failure', async () => {
    nock(HOST)
      .put('/rest/api/3/issue/77', (body) => body.fields.parent.id === '12')
      .reply(400, {
        errorMessages: [],
        errors: { parent: "Field 'parent' cannot be set. It is not on the appropriate screen, or unknown." },
      })
      .put('/rest/api/3/issue/77')
      .reply(400, { errorMessages: [], errors: { summary: 'The summary is invalid.' } });
    expect(await target().edit({ jiraId: '77', jiraKey: 'PBJ-77', parentJiraId: '12' })).toEqual({
      ok: false,
      parentRefused: "parent: Field 'parent' cannot be set. It is not on the appropriate screen, or unknown.",
    });
    // Any other refusal is the edit's own failure.
    await expect(target().edit({ jiraId: '77', jiraKey: 'PBJ-77', summary: 'x', parentJiraId: '12' })).rejects.toMatchObject({
      kind: 'rejected',
    });
  });

  it('names endpoints by template for stats and errors', () => {
    expect(routeTemplate('/rest/api/3/issue/PBJ-12/transitions')).toBe('/rest/api/3/issue/{id}/transitions');
    expect(routeTemplate('/rest/api/3/issue/bulk')).toBe('/rest/api/3/issue/bulk');
    expect(routeTemplate('/rest/api/3/project/PBJ')).toBe('/rest/api/3/project/{key}');
  });
});
