import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { ProductboardPluginIntegrations } from '../../connectors/productboard/plugin-integration.js';
import { readSource } from '../../connectors/productboard/read-source.js';
import { guardNetwork } from '../helpers/nock-guard.js';
import { SPEC_HOST, specHostClient } from './productboard-client.js';
import { pbSpec } from '../sandbox/openapi-check.js';

// Issue 9, contract tests: every request body the Productboard connector builds, and the query parameters it sets
// itself, checked against the operation's request schema in the vendored documents (ajv: additionalProperties,
// formats, enums), independent of the sandbox.

guardNetwork();

const BASE = SPEC_HOST;
const entities = pbSpec('entities');
const notes = pbSpec('notes');
const SEARCH_BODY = '/components/requestBodies/EntitySearchRequestBody/content/application~1json/schema';
const UPDATED_FROM = '/paths/~1notes/get/parameters/12/schema';

const client = specHostClient;

describe('Productboard request bodies against the request schemas', () => {
  it('POST /entities/search: the body of a full read and of a read since a time (page 1 and the next) is an EntitySearch request', async () => {
    const bodies: unknown[] = [];
    const queries: string[] = [];
    const take = (body: unknown) => (bodies.push(body), true);
    nock(BASE)
      .post('/v2/entities/search', take)
      .query((q) => (queries.push(new URLSearchParams(q as Record<string, string>).toString()), true))
      .times(4)
      .reply(200, (uri) => ({
        data: [],
        links: { next: uri.includes('pageCursor') ? null : `${BASE}/v2/entities?type=feature&pageCursor=c2` },
      }));
    const since = new Date(Date.UTC(2026, 10, 29, 12, 0, 0)).toISOString();
    await readSource(client(), { types: ['feature'], notes: false });
    await readSource(client(), { types: ['subfeature'], notes: false, since });
    expect(bodies).toEqual([
      { data: { filter: { type: ['feature'] } } },
      { data: { filter: { type: ['feature'] } } },
      { data: { filter: { type: ['subfeature'], updatedAt: { from: since } } } },
      { data: { filter: { type: ['subfeature'], updatedAt: { from: since } } } },
    ]);
    expect(queries).toEqual(['', 'pageCursor=c2', '', 'pageCursor=c2']);
    for (const body of bodies) expect(entities.check(SEARCH_BODY, body)).toEqual([]);
    // The checker refuses what the specification refuses: the flat body removed on 2026-04-30, a bare type.
    expect(entities.check(SEARCH_BODY, { data: { type: ['feature'] } })).not.toEqual([]);
    expect(entities.check(SEARCH_BODY, { data: { filter: { type: 'feature' } } })).not.toEqual([]);
  });

  it('GET /notes: updatedFrom is the date-time the parameter declares', async () => {
    const since = '2026-11-29T12:00:00.000Z';
    let sent: string | undefined;
    nock(BASE)
      .get('/v2/notes')
      .query((q) => ((sent = String(q['updatedFrom'])), true))
      .reply(200, { data: [], links: { next: null } });
    await readSource(client(), { types: [], notes: true, since });
    expect(sent).toBe(since);
    expect(notes.at('/paths/~1notes/get/parameters/12/name')).toBe('updatedFrom');
    expect(notes.check(UPDATED_FROM, sent)).toEqual([]);
    expect(notes.check(UPDATED_FROM, '29/11/2026')).not.toEqual([]);
  });
});

describe('Productboard plugin-integration requests against the request schemas', () => {
  const plugins = pbSpec('plugin-integrations');
  const CONNECTION_BODY = '/components/requestBodies/PluginIntegrationConnectionUpdateStateRequestBody/content/application~1json/schema';
  const CREATE_BODY = '/components/requestBodies/PluginIntegrationCreateRequestBody/content/application~1json/schema';
  const INTEGRATION = '6f1c1c56-0000-4000-8000-000000000001';

  it('a connection is set by PUT with a ConnectionState (connected, error) and reset by DELETE; the integration is found by name', async () => {
    const bodies: unknown[] = [];
    nock(BASE)
      .get('/v2/plugin-integrations')
      .reply(200, {
        data: [
          {
            id: INTEGRATION,
            type: 'pluginIntegration',
            fields: { type: 'pb-jira-sync', name: 'Jira delivery', integrationStatus: 'enabled' },
          },
        ],
        links: { next: null },
      })
      .put(`/v2/plugin-integrations/${INTEGRATION}/connections/e-1`, (b: unknown) => (bodies.push(b), true))
      .times(2)
      .reply(200, { data: { id: 'e-1', links: { self: `${BASE}/v2/plugin-integrations/${INTEGRATION}/connections/e-1` } } })
      .delete(`/v2/plugin-integrations/${INTEGRATION}/connections/e-1`)
      .reply(204);
    const writer = new ProductboardPluginIntegrations(client(), { name: 'Jira delivery' });
    const connected = {
      state: 'connected',
      label: 'In Progress',
      hoverLabel: 'PBJ-7 · 33%',
      tooltip: 'PBJ-7: In Progress, 33% done',
      color: 'blue',
      targetUrl: 'https://acme.atlassian.net/browse/PBJ-7',
    } as const;
    expect(await writer.writeConnection('e-1', connected)).toEqual({ ok: true });
    expect(await writer.writeConnection('e-1', { state: 'error', message: 'Jira refused PBJ-7: summary too long' })).toEqual({ ok: true });
    expect(await writer.writeConnection('e-1', { state: 'initial' })).toEqual({ ok: true });
    expect(nock.isDone()).toBe(true);
    for (const body of bodies) expect(plugins.check(CONNECTION_BODY, body)).toEqual([]);
    expect(plugins.check(CONNECTION_BODY, { data: { fields: { connection: { ...connected, hoverLabel: 'x'.repeat(21) } } } })).not.toEqual(
      [],
    );
  });

  it('creating the integration sends its action URL and secret as the create request defines them', async () => {
    let sent: unknown;
    nock(BASE)
      .post('/v2/plugin-integrations', (b: unknown) => ((sent = b), true))
      .reply(201, { data: { id: INTEGRATION, links: { self: `${BASE}/v2/plugin-integrations/${INTEGRATION}` } } });
    const created = await new ProductboardPluginIntegrations(client(), null).create({
      name: 'Jira delivery',
      actionUrl: 'https://sync.acme.example/pb-action',
      authorization: 'Bearer s3cret',
    });
    expect(created).toEqual({ id: INTEGRATION, name: 'Jira delivery', enabled: true });
    expect(plugins.check(CREATE_BODY, sent)).toEqual([]);
  });
});
