import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { ProductboardClient } from '../../../connectors/productboard/client.js';
import { readSource } from '../../../connectors/productboard/read-source.js';
import { HttpPolicy } from '../../../src/http/policy.js';
import { silentLogger } from '../../../src/log/logger.js';
import { guardNetwork } from '../../helpers/nock-guard.js';
import { uuid } from '../../helpers/builders.js';
import { VirtualClock } from '../../../src/util/clock.js';

guardNetwork();

const BASE = 'https://pb.test';
const client = () =>
  new ProductboardClient({
    baseUrl: BASE,
    token: 'pb-secret-token',
    policy: new HttpPolicy({
      clock: new VirtualClock(),
      logger: silentLogger(),
      lanes: { default: { concurrency: 2, ratePerSecond: Infinity } },
      random: () => 0.5,
    }),
  });

const entity = (id: string, type: string, name: string, relationships: unknown[] = [], next: string | null = null) => ({
  id,
  type,
  fields: { name, description: '<p>x</p>', status: { id: uuid(9), name: 'Planned' }, tags: [{ id: uuid(8), name: 'mobile app' }] },
  relationships: { data: relationships, links: { next } },
  links: { self: `${BASE}/v2/entities/${id}`, html: `https://acme.productboard.com/entity-detail/${id}` },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-02T00:00:00Z',
});

const search = (type: string) => ({ data: { filter: { type: [type] } } });

describe('Productboard v2 reader', () => {
  it('pages entities/search through links.next, resending the same body with the cursor in the query', async () => {
    const [a, b, init] = [uuid(1), uuid(2), uuid(3)];
    const scope = nock(BASE, { reqheaders: { authorization: 'Bearer pb-secret-token', accept: /application\/json/ } })
      .post('/v2/entities/search', search('feature'))
      .reply(200, {
        data: [entity(a, 'feature', 'A', [{ type: 'link', target: { id: init, type: 'initiative' } }])],
        links: { next: `${BASE}/v2/entities/search?pageCursor=c2` },
      })
      .post('/v2/entities/search', search('feature'))
      .query({ pageCursor: 'c2' })
      .reply(200, { data: [entity(b, 'feature', 'B')], links: { next: null } });
    const graph = await readSource(client(), { types: ['feature'], notes: false });
    expect([...graph.items.keys()]).toEqual([a, b]);
    expect(graph.items.get(a)).toMatchObject({
      name: 'A',
      statusName: 'Planned',
      tags: ['mobile app'],
      links: [{ id: init, type: 'initiative' }],
    });
    expect(scope.isDone()).toBe(true);
  });

  it('follows the relationships overflow link of an entity', async () => {
    const id = uuid(1);
    nock(BASE)
      .post('/v2/entities/search', search('feature'))
      .reply(200, {
        data: [
          entity(
            id,
            'feature',
            'Busy',
            [{ type: 'link', target: { id: uuid(2), type: 'release' } }],
            `${BASE}/v2/entities/${id}/relationships?pageCursor=r2`,
          ),
        ],
        links: { next: null },
      })
      .get(`/v2/entities/${id}/relationships`)
      .query({ pageCursor: 'r2' })
      .reply(200, { data: [{ type: 'link', target: { id: uuid(3), type: 'initiative' } }], links: { next: null } });
    const graph = await readSource(client(), { types: ['feature'], notes: false });
    expect(graph.items.get(id)!.links).toEqual([
      { id: uuid(2), type: 'release' },
      { id: uuid(3), type: 'initiative' },
    ]);
  });

  it('rejects an item with an empty name or a bad date, naming the reason, and keeps the rest', async () => {
    const bad = entity(uuid(1), 'feature', '  ');
    const badDate = {
      ...entity(uuid(2), 'feature', 'Dated'),
      fields: { name: 'Dated', timeframe: { startDate: 'soon', endDate: '2026-13' } },
    };
    nock(BASE)
      .post('/v2/entities/search', search('feature'))
      .reply(200, { data: [bad, badDate, entity(uuid(3), 'feature', 'Fine')], links: { next: null } });
    const graph = await readSource(client(), { types: ['feature'], notes: false });
    expect([...graph.items.keys()]).toEqual([uuid(3)]);
    expect(graph.rejected).toEqual([
      { id: uuid(1), type: 'feature', name: '  ', reason: 'empty name' },
      { id: uuid(2), type: 'feature', name: 'Dated', reason: 'timeframe.startDate "soon" is not a YYYY-MM-DD date' },
    ]);
  });

  it('reads notes and their links to features', async () => {
    nock(BASE)
      .get('/v2/notes')
      .reply(200, {
        data: [
          {
            id: uuid(7),
            type: 'textNote',
            fields: { name: 'Call with Acme' },
            relationships: {
              data: [
                { type: 'link', target: { id: uuid(1), type: 'feature' } },
                { type: 'customer', target: { id: uuid(5), type: 'company' } },
              ],
            },
            links: { html: 'https://acme.productboard.com/insights/7' },
            createdAt: '2026-01-01T00:00:00Z',
            updatedAt: '2026-01-01T00:00:00Z',
          },
        ],
        links: { next: null },
      });
    const graph = await readSource(client(), { types: [], notes: true });
    expect(graph.notes).toEqual([
      {
        id: uuid(7),
        name: 'Call with Acme',
        url: 'https://acme.productboard.com/insights/7',
        linkedIds: [uuid(1)],
        createdAt: '2026-01-01T00:00:00Z',
      },
    ]);
  });

  it('fails with an error naming the endpoint and field when a page is malformed', async () => {
    nock(BASE)
      .post('/v2/entities/search')
      .reply(200, { data: 'oops', links: { next: null } });
    await expect(readSource(client(), { types: ['feature'], notes: false })).rejects.toMatchObject({
      kind: 'invalid-response',
      service: 'productboard',
      endpoint: 'POST /v2/entities/search',
      message: expect.stringContaining('data: Invalid input: expected array'),
    });
  });

  it('says Productboard rejected the token on 401, without retrying', async () => {
    nock(BASE)
      .post('/v2/entities/search')
      .reply(401, { id: 'req-1', errors: [{ code: 'authentication.failed', title: 'Unauthorized', detail: 'Invalid token' }] });
    await expect(readSource(client(), { types: ['feature'], notes: false })).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringMatching(/^Productboard rejected the credentials \(HTTP 401\): authentication.failed: Invalid token/),
    });
  });

  it('refuses to follow a cursor link to another host with the token', async () => {
    nock(BASE)
      .post('/v2/entities/search')
      .reply(200, { data: [], links: { next: 'https://evil.test/v2/entities/search?pageCursor=x' } });
    await expect(readSource(client(), { types: ['feature'], notes: false })).rejects.toMatchObject({
      kind: 'invalid-response',
      message: expect.stringContaining('another host'),
    });
  });
});
