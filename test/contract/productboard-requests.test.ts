import nock from 'nock';
import { describe, expect, it } from 'vitest';
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
