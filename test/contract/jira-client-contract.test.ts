import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { PolicyJiraClient } from '../../connectors/jira/client.js';
import { JiraTarget } from '../../connectors/jira/jira-target.js';
import {
  bulkFetchSchema,
  createMetaPageSchema,
  createdIssuesSchema,
  entityPropertySchema,
  errorCollectionSchema,
  namedListSchema,
  projectSchema,
  searchResultsSchema,
  siteFieldsSchema,
  transitionsSchema,
  usersSchema,
} from '../../connectors/jira/schemas.js';
import { HttpPolicy } from '../../src/http/policy.js';
import { silentLogger } from '../../src/log/logger.js';
import type { OpenApiDocument } from '../../src/sandbox/index.js';
import { serviceContract } from '../../src/sandbox/kit/contract/sandbox-contract.js';
import { VirtualClock } from '../../src/util/clock.js';
import { stamp, uuid } from '../helpers/builders.js';
import { loadContracts } from './load-contracts.js';

// Issue 9: the Jira connector held to Atlassian's published document (test/contract/specs/jira-platform-v3.openapi.json)
// on its own, without the sandbox. Every response example of every operation the connector calls is fed to its parsers;
// every request it builds is checked against the operation's parameters and request schema.

type Json = Record<string, unknown>;
const doc = loadContracts().jira[0] as OpenApiDocument & { paths: Record<string, Record<string, Json>> };
const contract = serviceContract(loadContracts().jira);

/** The operations the connector calls, and the parser that reads each one's success answer (none: the body is not read). */
const OPERATIONS: ReadonlyArray<{ method: string; path: string; success: ZodType | null }> = [
  { method: 'get', path: '/rest/api/3/project/{projectIdOrKey}', success: projectSchema },
  { method: 'post', path: '/rest/api/3/search/jql', success: searchResultsSchema },
  { method: 'post', path: '/rest/api/3/issue/bulkfetch', success: bulkFetchSchema },
  { method: 'post', path: '/rest/api/3/issue/bulk', success: createdIssuesSchema },
  { method: 'put', path: '/rest/api/3/issue/{issueIdOrKey}', success: null },
  { method: 'get', path: '/rest/api/3/issue/{issueIdOrKey}/transitions', success: transitionsSchema },
  { method: 'post', path: '/rest/api/3/issue/{issueIdOrKey}/transitions', success: null },
  { method: 'post', path: '/rest/api/3/issue/{issueIdOrKey}/remotelink', success: null },
  { method: 'get', path: '/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}', success: createMetaPageSchema },
  { method: 'get', path: '/rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}', success: entityPropertySchema },
  { method: 'put', path: '/rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}', success: null },
  // Mapping version 2: the site's fields, users by email, the project's components and versions, and adding them.
  { method: 'get', path: '/rest/api/3/field', success: siteFieldsSchema },
  { method: 'get', path: '/rest/api/3/user/search', success: usersSchema },
  { method: 'get', path: '/rest/api/3/project/{projectIdOrKey}/components', success: namedListSchema },
  { method: 'get', path: '/rest/api/3/project/{projectIdOrKey}/versions', success: namedListSchema },
  { method: 'post', path: '/rest/api/3/component', success: null },
  { method: 'post', path: '/rest/api/3/version', success: null },
];

/**
 * Every example of every documented JSON answer of an operation. Contradiction: Atlassian's document gives each
 * `example` as a string holding JSON text, where OpenAPI expects the value itself; the tolerant choice is to read the
 * string as JSON (what the server sends), and to fail the test if a string example is not JSON.
 */
function examples(method: string, path: string): Array<{ status: number; value: unknown }> {
  const responses = doc.paths[path]![method]!['responses'] as Record<string, { content?: Record<string, Json> }>;
  return Object.entries(responses).flatMap(([status, response]) => {
    const media = response.content?.['application/json'];
    if (!media) return [];
    const raw =
      media['example'] !== undefined
        ? [media['example']]
        : Object.values((media['examples'] as Record<string, { value: unknown }> | undefined) ?? {}).map((e) => e.value);
    return raw.map((value) => ({ status: Number(status), value: typeof value === 'string' ? (JSON.parse(value) as unknown) : value }));
  });
}

/** Which of our parsers reads an answer: the operation's for success, the bulk create's for its 400, Jira's ErrorCollection otherwise. */
function parserFor(op: (typeof OPERATIONS)[number], status: number): ZodType | null {
  if (status < 300) return op.success;
  if (op.path === '/rest/api/3/issue/bulk' && status === 400) return createdIssuesSchema;
  return errorCollectionSchema;
}

describe('issue 9 §10 (contract): every response example of the Jira operations we call parses', () => {
  it('each operation we call is documented, with its examples', () => {
    for (const op of OPERATIONS) expect(doc.paths[op.path]?.[op.method], `${op.method} ${op.path}`).toBeDefined();
    // The answers the connector reads all have examples to check it with.
    for (const op of OPERATIONS.filter((o) => o.success)) expect(examples(op.method, op.path).length, op.path).toBeGreaterThan(0);
  });

  for (const op of OPERATIONS) {
    for (const { status, value } of examples(op.method, op.path)) {
      const parser = parserFor(op, status);
      if (!parser) continue;
      it(`${op.method.toUpperCase()} ${op.path} ${status}`, () => {
        const parsed = parser.safeParse(value);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      });
    }
  }

  it('the examples read as the engine expects: a created issue with its transition outcome, a create screen, a transition screen', () => {
    const created = createdIssuesSchema.parse(examples('post', '/rest/api/3/issue/bulk').find((e) => e.status === 201)!.value);
    expect(created.issues[0]).toMatchObject({ id: '10000', key: 'ED-24', transition: { status: 200 } });
    const refused = createdIssuesSchema.parse(examples('post', '/rest/api/3/issue/bulk').find((e) => e.status === 400)!.value);
    expect(refused.errors.map((e) => e.failedElementNumber)).toEqual([0, 1]);
    const screen = createMetaPageSchema.parse(
      examples('get', '/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}').find((e) => e.status === 200)!.value,
    );
    expect(screen.fields.map((f) => f.fieldId)).toContain('assignee');
    const transitions = transitionsSchema.parse(examples('get', '/rest/api/3/issue/{issueIdOrKey}/transitions')[0]!.value);
    expect(transitions.transitions.length).toBeGreaterThan(0);
  });
});

// ---- requests ----

const HOST = 'https://acme.atlassian.test';

interface Sent {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** Answers every Jira request with the operation's own documented example; records what was sent. */
function documentedJira(): Sent[] {
  const sent: Sent[] = [];
  const answer = (method: string) =>
    function (this: unknown, uri: string, body: unknown): [number, unknown] {
      const url = new URL(uri, HOST);
      sent.push({ method, path: url.pathname, query: url.searchParams, body: body === '' ? undefined : body });
      const op = contract.operation(method, url.pathname);
      if (!op) return [404, { errorMessages: ['undocumented'], errors: {} }];
      const ok = examples(op.method.toLowerCase(), op.template).find((e) => e.status < 300);
      const status = ok?.status ?? (method === 'PUT' || method === 'POST' ? 204 : 200);
      return [status, ok?.value ?? ''];
    };
  for (const method of ['GET', 'POST', 'PUT'])
    nock(HOST)
      .persist()
      .intercept(() => true, method)
      .reply(answer(method));
  return sent;
}

function target(): JiraTarget {
  const policy = new HttpPolicy({
    clock: new VirtualClock(),
    logger: silentLogger(),
    lanes: { default: { concurrency: 1, ratePerSecond: Infinity } },
    retry: { maxTransientRetries: 0 },
  });
  return new JiraTarget(new PolicyJiraClient({ host: HOST, email: 'bot@acme.test', apiToken: 'jira-secret', policy }), 'PBJ');
}

const problemsOf = (s: Sent) =>
  contract.request({
    method: s.method,
    path: s.path,
    query: s.query,
    contentType: s.body === undefined ? undefined : 'application/json',
    body: Buffer.from(s.body === undefined ? '' : JSON.stringify(s.body)),
  });

describe('issue 9 §10 (contract): every request the Jira connector builds satisfies the operation it calls', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('reads, creates, edits, transitions, links and the writer record: parameters and bodies as the document requires', async () => {
    const sent = documentedJira();
    const jira = target();
    await jira.project();
    await jira.createFields('10001');
    await jira.searchManaged({ reconcileIds: ['10002'], knownKeys: [], updatedWithinMinutes: 15 });
    await jira.findByPbIds([uuid(1)]);
    await jira.fetchByIds(['10000']);
    await jira.bulkCreate([
      {
        pbId: uuid(1),
        issueTypeId: '10001',
        parentJiraId: '10000',
        summary: 'Custom hub themes',
        description: { version: 1, type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Why' }] }] },
        labels: ['pb-jira-sync', `pb-${uuid(1)}`],
        dueDate: '2026-06-30',
        stamp: stamp(uuid(1), 'feature'),
        fields: { customfield_10011: 'Themes', customfield_10100: { value: 'Adaptive' }, components: [{ name: 'Frontend' }] },
        transitionId: '21',
      },
    ]);
    await jira.edit({
      jiraId: '10000',
      jiraKey: 'ED-1',
      summary: 'Renamed',
      dueDate: null,
      labels: { add: ['web'], remove: ['mobile'] },
      parentJiraId: null,
      stamp: stamp(uuid(1), 'feature'),
    });
    await jira.edit({ jiraId: '10000', jiraKey: 'ED-1', parentJiraId: '10005' });
    await jira.transitionOptions('10000');
    await jira.doTransition('10000', '31', { resolution: { id: '10000' } });
    await jira.upsertRemoteLink('10000', uuid(1), 'Productboard: Custom hub themes', 'https://acme.productboard.com/entity-detail/x');
    await jira.siteFields();
    await jira.userByEmail('ada@example.com');
    await jira.projectOptions();
    await jira.addToProject({ kind: 'component', name: 'Hub experience' });
    await jira.addToProject({ kind: 'version', name: '2026.4' });
    await jira.withoutParent(['10001']);
    await jira.edit({
      jiraId: '10000',
      jiraKey: 'ED-1',
      fields: { customfield_10100: { value: 'Adaptive' }, priority: { name: 'High' }, assignee: null },
    });
    await jira.readWriterRecord();
    await jira.writeWriterRecord({
      holder: { id: 'host:0123456789ab:1:1:aa', ledger: 'l', token: 't' },
      heartbeatAt: 1,
      lastWrite: { at: 1, ledger: 'l' },
    });

    const operations = sent.map((s) => contract.operation(s.method, s.path)?.template);
    expect(new Set(operations)).toEqual(new Set(OPERATIONS.map((o) => o.path)));
    for (const s of sent) expect(problemsOf(s).problems, `${s.method} ${s.path}?${s.query.toString()}`).toEqual([]);
  });

  it('the check is real: a body the document refuses is reported (a search with an unknown key)', () => {
    const bad: Sent = {
      method: 'POST',
      path: '/rest/api/3/search/jql',
      query: new URLSearchParams(),
      body: { jql: 'project = PBJ', startAt: 100 },
    };
    expect(problemsOf(bad).problems).toMatchObject([{ part: 'body', pointer: '/startAt' }]);
  });
});
