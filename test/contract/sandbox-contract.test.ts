import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractGate, serviceContract } from '../../src/sandbox/kit/contract/sandbox-contract.js';
import { seedIds, startSandbox, type ContractViolation, type Sandbox } from '../../src/sandbox/index.js';
import { jira, pb } from '../sandbox/helpers.js';
import { startCheckedSandbox } from '../helpers/checked-sandbox.js';
import { takeViolations } from '../helpers/contract-guard.js';
import { loadContracts } from './load-contracts.js';

// Issue 9, "Done means": the sandbox rejects requests the vendors' specifications reject, with the vendor's own
// error answer, and records what it refused; it records its own answers outside the specification and any route the
// specification does not document. The checks are the documents' own JSON schemas (formats, lengths, patterns,
// additionalProperties), the operation's parameters and its documented responses.

let sb: Sandbox;
beforeAll(async () => {
  sb = await startCheckedSandbox();
});
afterAll(async () => {
  await sb.close();
});

const brief = (v: ContractViolation) => ({ side: v.side, operation: v.operation, part: v.part, pointer: v.pointer });

describe('the sandbox refuses what the specifications refuse', () => {
  it("a malformed search body gets the spec's 400 (Productboard ErrorResponse), and never reaches the simulator", async () => {
    const r = await pb(sb, 'POST', '/v2/entities/search', { data: { filter: { type: 'feature' }, sort: 'name' } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      id: expect.any(String),
      errors: [
        {
          code: 'request.invalid',
          title: 'Request schema invalid',
          detail: expect.stringContaining('additionalProperties'),
          source: { pointer: '/data/sort' },
        },
        {
          code: 'request.invalid',
          title: 'Request schema invalid',
          detail: "Field '/data/filter/type' must be array (type).",
          source: { pointer: '/data/filter/type' },
        },
      ],
    });
    expect(sb.requests.at(-1)).toMatchObject({
      route: 'POST /v2/entities/search',
      operation: 'POST /entities/search',
      status: 400,
      contract: 'rejected',
    });
    expect(takeViolations(sb).map(brief)).toEqual([
      { side: 'request', operation: 'POST /entities/search', part: 'body', pointer: '/data/sort' },
      { side: 'request', operation: 'POST /entities/search', part: 'body', pointer: '/data/filter/type' },
    ]);
  });

  it('formats are checked: a search from a date that is not a date-time, a path id that is not a UUID', async () => {
    const date = await pb(sb, 'POST', '/v2/entities/search', { data: { filter: { type: ['feature'], updatedAt: { from: 'yesterday' } } } });
    expect(date.body.errors[0]).toMatchObject({
      source: { pointer: '/data/filter/updatedAt/from' },
      detail: expect.stringContaining('must match format "date-time"'),
    });
    const id = await pb(sb, 'GET', '/v2/entities/PBJ-1');
    expect(id.status).toBe(400);
    expect(id.body.errors[0]).toMatchObject({
      code: 'request.invalid',
      source: { parameter: 'id' },
      detail: expect.stringContaining('must match format "uuid"'),
    });
    expect(takeViolations(sb).map((v) => [v.part, v.pointer, v.value])).toEqual([
      ['body', '/data/filter/updatedAt/from', '"yesterday"'],
      ['path', '/id', '"PBJ-1"'],
    ]);
  });

  it('query parameters: unknown names and wrong types are refused; broken JSON and a wrong content type are request.malformed', async () => {
    const unknown = await pb(sb, 'GET', `/v2/entities/${seedIds.plainFeature}?expand=all`);
    expect(unknown.body.errors[0]).toMatchObject({
      source: { parameter: 'expand' },
      detail: expect.stringContaining('is not a query parameter of GET /entities/{id}'),
    });
    const broken = await pb(sb, 'POST', '/v2/entities/search', '{"data": {');
    expect(broken.body.errors[0]).toMatchObject({ code: 'request.malformed', title: 'Request malformed' });
    const asText = await fetch(`${sb.productboard.url}/v2/entities/search`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sb.productboard.token}`, 'Content-Type': 'text/plain' },
      body: '{"data":{}}',
    });
    expect(asText.status).toBe(400);
    expect(((await asText.json()) as { errors: Array<{ code: string }> }).errors[0]?.code).toBe('request.malformed');
    const maxResults = await jira(sb, 'GET', '/rest/api/3/search/jql?jql=project%3DPBJ&maxResults=lots');
    expect(maxResults.status).toBe(400);
    expect(maxResults.body).toEqual({ errorMessages: [], errors: { maxResults: 'must be integer (type)' } });
    expect(takeViolations(sb).map((v) => [v.service, v.part, v.pointer])).toEqual([
      ['productboard', 'query', '/expand'],
      ['productboard', 'json', ''],
      ['productboard', 'content-type', ''],
      ['jira', 'query', '/maxResults'],
    ]);
  });

  it("an unknown key in a Jira search/jql body gets Jira's 400 ErrorCollection", async () => {
    const r = await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'project = PBJ', startAt: 0 });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      errorMessages: [
        'Invalid request payload. Refer to the REST API documentation and try again.',
        '/startAt: is not a property the schema allows (additionalProperties: false)',
      ],
      errors: {},
    });
    // Without the unknown key the same search goes through to the simulator.
    expect((await jira(sb, 'POST', '/rest/api/3/search/jql', { jql: 'project = PBJ' })).status).toBe(200);
    expect(takeViolations(sb).map(brief)).toEqual([
      { side: 'request', operation: 'POST /rest/api/3/search/jql', part: 'body', pointer: '/startAt' },
    ]);
  });

  it('a route the specification does not document is recorded; the simulator answers it as the vendor does', async () => {
    const r = await jira(sb, 'GET', '/rest/api/3/issue/PBJ-1/changelogs');
    expect(r.status).toBe(404);
    expect(takeViolations(sb)).toMatchObject([{ side: 'request', operation: 'undocumented', route: 'GET <unmatched>', part: 'route' }]);
  });
});

describe('the sandbox records its own answers outside the specifications', () => {
  it('an entity whose type the v2 EntityType enum does not list', async () => {
    sb.productboard.state.corruptions.set(seedIds.plainFeature, (json) => ({ ...json, type: 'featurette' }));
    try {
      const r = await pb(sb, 'GET', `/v2/entities/${seedIds.plainFeature}`);
      expect(r.status).toBe(200);
    } finally {
      sb.productboard.state.corruptions.delete(seedIds.plainFeature);
    }
    expect(takeViolations(sb)).toMatchObject([
      {
        side: 'response',
        operation: 'GET /entities/{id}',
        operationId: 'getEntity',
        status: 200,
        part: 'body',
        pointer: '/data/type',
        value: '"featurette"',
      },
    ]);
  });

  it('a status the operation does not document (the 410 of the removed Jira /search)', async () => {
    expect((await jira(sb, 'GET', '/rest/api/3/search?jql=project%3DPBJ')).status).toBe(410);
    const [deprecated, status] = takeViolations(sb);
    expect(deprecated).toMatchObject({
      side: 'request',
      part: 'route',
      message: 'GET /rest/api/3/search (searchForIssuesUsingJql) is deprecated',
    });
    expect(status).toMatchObject({
      side: 'response',
      part: 'status',
      status: 410,
      message: expect.stringContaining('documented: 200, 400, 401'),
    });
  });

  it('every route a simulator serves is one the specification documents; an invented one is recorded at start', () => {
    const found: ContractViolation[] = [];
    const gate = new ContractGate('jira', serviceContract(loadContracts().jira), [], found, () => ({ status: 400 }));
    gate.auditRoutes(['GET /rest/api/3/issue/{id}', 'POST /rest/api/3/issue/{id}/clone']);
    expect(found).toMatchObject([
      { side: 'sandbox', route: 'POST /rest/api/3/issue/{id}/clone', message: expect.stringContaining('does not document') },
    ]);
  });
});

describe('strictness of the checks', () => {
  const plugins = () => serviceContract(loadContracts().productboard);
  const body = (b: unknown) => ({
    method: 'POST',
    path: '/v2/plugin-integrations',
    query: new URLSearchParams(),
    contentType: 'application/json',
    body: Buffer.from(JSON.stringify(b)),
  });
  const fields = {
    type: 'com.example.jira',
    name: 'Jira',
    initialState: { label: 'Push' },
    action: { url: 'https://example.com/hook', version: 1 },
  };

  it('a valid body passes (the baseline for the cases below)', () => {
    expect(plugins().request(body({ data: { fields } })).problems).toEqual([]);
  });

  it('pattern, minLength and maxLength (additionalProperties: the search bodies above)', () => {
    const bad = {
      data: {
        fields: { ...fields, name: '', initialState: { label: 'Push to Jira now' }, action: { ...fields.action, url: 'http://plain' } },
      },
    };
    const problems = plugins()
      .request(body(bad))
      .problems.map((p) => [p.pointer, p.message]);
    expect(problems).toEqual([
      ['/data/fields/name', 'must NOT have fewer than 1 characters (minLength)'],
      ['/data/fields/initialState/label', 'must NOT have more than 10 characters (maxLength)'],
      ['/data/fields/action/url', 'must match pattern "https://.+" (pattern)'],
    ]);
  });

  it('a response is checked against the documented status and schema', () => {
    const c = plugins();
    const op = c.operation('GET', '/v2/plugin-integrations');
    expect(op?.template).toBe('/plugin-integrations');
    const tooLong = { id: 'x', errors: [{ code: 'c', title: 't'.repeat(256), detail: 'd' }] };
    expect(c.response(op!, { status: 400, json: tooLong }).map((p) => [p.part, p.pointer])).toEqual([['body', '/errors/0/title']]);
    expect(c.response(op!, { status: 418, json: {} })).toMatchObject([
      { part: 'status', message: expect.stringContaining('418 is not a documented response') },
    ]);
    expect(c.response(op!, { status: 400, text: 'Bad request' })).toMatchObject([{ part: 'content-type' }]);
  });

  it('tolerated violations are recorded with their reason and let through', async () => {
    const contract = loadContracts();
    const tolerant = await startSandbox({
      contract: {
        ...contract,
        tolerated: [
          {
            service: 'jira',
            side: 'request',
            operation: 'POST /rest/api/3/search/jql',
            part: 'body',
            pointer: '/startAt',
            reason: 'test: startAt kept',
          },
        ],
      },
    });
    try {
      const r = await jira(tolerant, 'POST', '/rest/api/3/search/jql', { jql: 'project = PBJ', startAt: 0 });
      // Let through to the simulator, whose own body check decides.
      expect(r.body.errorMessages ?? []).not.toContain('Invalid request payload. Refer to the REST API documentation and try again.');
      expect(tolerant.contractViolations).toMatchObject([{ pointer: '/startAt', tolerated: 'test: startAt kept' }]);
    } finally {
      await tolerant.close();
    }
  });
});
