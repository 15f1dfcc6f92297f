import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { ProductboardClient } from '../../../connectors/productboard/client.js';
import { RELATIONSHIP_READS_IN_FLIGHT } from '../../../connectors/productboard/entities.js';
import { readSource } from '../../../connectors/productboard/read-source.js';
import { HttpPolicy } from '../../../src/http/policy.js';
import { silentLogger } from '../../../src/log/logger.js';
import { guardNetwork } from '../../helpers/nock-guard.js';
import { uuid } from '../../helpers/builders.js';
import { VirtualClock } from '../../../src/util/clock.js';

guardNetwork();

const BASE = 'https://pb.test';
const client = (options: { maxPagesPerRead?: number; concurrency?: number } = {}) =>
  new ProductboardClient({
    baseUrl: BASE,
    token: 'pb-secret-token',
    policy: new HttpPolicy({
      clock: new VirtualClock(),
      logger: silentLogger(),
      lanes: { default: { concurrency: options.concurrency ?? 2, ratePerSecond: Infinity } },
      retry: { maxTransientRetries: 1 },
      random: () => 0.5,
    }),
    ...(options.maxPagesPerRead ? { maxPagesPerRead: options.maxPagesPerRead } : {}),
  });

const entity = (id: string, type: string, name: string, relationships: unknown[] | null = [], next: string | null = null) => ({
  id,
  type,
  fields: { name, description: '<p>x</p>', status: { id: uuid(9), name: 'Planned' }, tags: [{ id: uuid(8), name: 'mobile app' }] },
  ...(relationships === null ? {} : { relationships: { data: relationships, links: { next } } }),
  links: { self: `${BASE}/v2/entities/${id}`, html: `https://acme.productboard.com/entity-detail/${id}` },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-02T00:00:00Z',
});

const link = (id: string, type: string) => ({ type: 'link', target: { id, type } });
const search = (type: string) => ({ data: { filter: { type: [type] } } });
const read = (types: string[], notes = false, c = client()) => readSource(c, { types, notes });

describe('Productboard v2 reader', () => {
  it('pages entities/search through links.next, resending the same body with the cursor in the query', async () => {
    const [a, b, init] = [uuid(1), uuid(2), uuid(3)];
    const scope = nock(BASE, { reqheaders: { authorization: 'Bearer pb-secret-token', accept: /application\/json/ } })
      .post('/v2/entities/search', search('feature'))
      .reply(200, {
        data: [entity(a, 'feature', 'A', [link(init, 'initiative')])],
        links: { next: `${BASE}/v2/entities/search?pageCursor=c2` },
      })
      .post('/v2/entities/search', search('feature'))
      .query({ pageCursor: 'c2' })
      .reply(200, { data: [entity(b, 'feature', 'B')], links: { next: null } });
    const graph = await read(['feature']);
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
        data: [entity(id, 'feature', 'Busy', [link(uuid(2), 'release')], `${BASE}/v2/entities/${id}/relationships?pageCursor=r2`)],
        links: { next: null },
      })
      .get(`/v2/entities/${id}/relationships`)
      .query({ pageCursor: 'r2' })
      .reply(200, { data: [link(uuid(3), 'initiative')], links: { next: null } });
    const graph = await read(['feature']);
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
    const graph = await read(['feature']);
    expect([...graph.items.keys()]).toEqual([uuid(3)]);
    expect(graph.rejected).toEqual([
      { id: uuid(1), type: 'feature', name: '  ', reason: 'empty name' },
      { id: uuid(2), type: 'feature', name: 'Dated', reason: 'timeframe.startDate "soon" is not a YYYY-MM-DD date' },
    ]);
  });

  it('fails with an error naming the endpoint and field when a page is malformed', async () => {
    nock(BASE)
      .post('/v2/entities/search')
      .reply(200, { data: 'oops', links: { next: null } });
    await expect(read(['feature'])).rejects.toMatchObject({
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
    await expect(read(['feature'])).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringMatching(/^Productboard rejected the credentials \(HTTP 401\): authentication.failed: Invalid token/),
    });
  });

  it('refuses to follow a notes link to another host with the token', async () => {
    nock(BASE)
      .get('/v2/notes')
      .reply(200, { data: [], links: { next: 'https://evil.test/v2/notes?pageCursor=x' } });
    await expect(read([], true)).rejects.toMatchObject({
      kind: 'invalid-response',
      endpoint: 'GET /v2/notes',
      message: expect.stringContaining('another host'),
    });
  });
});

const schemaNote = (id: string, linked: string[], next: string | null = null) => ({
  id,
  type: 'textNote',
  fields: { name: 'Call with Acme' },
  relationships: {
    data: [...linked.map((l) => link(l, 'feature')), { type: 'customer', target: { id: uuid(5), type: 'company' } }],
    links: { next },
  },
  links: { html: `https://acme.productboard.com/insights/${id}` },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('issue 9 §1: notes in both shapes', () => {
  it("reads the schema's shape: relationships {data, links}, createdAt top-level", async () => {
    nock(BASE)
      .get('/v2/notes')
      .reply(200, { data: [schemaNote(uuid(7), [uuid(1)])], links: { next: null } });
    const graph = await read([], true);
    expect(graph.notes).toEqual([
      {
        id: uuid(7),
        name: 'Call with Acme',
        url: `https://acme.productboard.com/insights/${uuid(7)}`,
        linkedIds: [uuid(1)],
        // The note's customer: what `insights.customers` counts (mappings/README.md, "Sources").
        customerId: uuid(5),
        createdAt: '2026-01-01T00:00:00Z',
      },
    ]);
  });

  it("reads the examples' shape: relationships a bare array, createdAt/updatedAt inside fields", async () => {
    nock(BASE)
      .get('/v2/notes')
      .reply(200, {
        data: [
          {
            id: uuid(7),
            type: 'textNote',
            fields: { name: 'Call with Acme', createdAt: '2026-02-01T09:00:00Z', updatedAt: '2026-02-02T09:00:00Z' },
            relationships: [
              link(uuid(1), 'feature'),
              link(uuid(2), 'subfeature'),
              { type: 'customer', target: { id: uuid(5), type: 'user' } },
            ],
            links: { html: 'https://acme.productboard.com/insights/7' },
          },
        ],
        links: { next: null },
      });
    const graph = await read([], true);
    expect(graph.notes).toEqual([
      {
        id: uuid(7),
        name: 'Call with Acme',
        url: 'https://acme.productboard.com/insights/7',
        linkedIds: [uuid(1), uuid(2)],
        customerId: uuid(5),
        createdAt: '2026-02-01T09:00:00Z',
      },
    ]);
    expect(graph.rejected).toEqual([]);
  });

  it('a note that came without relationships has them read from its relationships endpoint, not taken as unlinked', async () => {
    const id = uuid(7);
    nock(BASE)
      .get('/v2/notes')
      .reply(200, {
        data: [{ id, type: 'textNote', fields: { name: 'No relationships listed' }, links: { html: null } }],
        links: { next: null },
      })
      .get(`/v2/notes/${id}/relationships`)
      .reply(200, { data: [link(uuid(1), 'feature')], links: { next: null } });
    const graph = await read([], true);
    expect(graph.notes).toEqual([{ id, name: 'No relationships listed', url: null, linkedIds: [uuid(1)], createdAt: null }]);
  });

  it('a note that cannot be read is rejected with its id and reason, never skipped silently; the others are read', async () => {
    nock(BASE)
      .get('/v2/notes')
      .reply(200, {
        data: [
          { ...schemaNote(uuid(7), []), fields: { name: 'Broken links' }, relationships: { data: [{ type: 'link', target: {} }] } },
          { id: '', fields: { name: 'No id at all' } },
          schemaNote(uuid(8), [uuid(1)]),
        ],
        links: { next: null },
      });
    const graph = await read([], true);
    expect(graph.notes.map((n) => n.id)).toEqual([uuid(8)]);
    expect(graph.rejected).toEqual([
      {
        id: uuid(7),
        type: 'note',
        name: 'Broken links',
        reason: 'relationship target.id: Invalid input: expected string, received undefined',
      },
      { id: '', type: 'note', name: 'No id at all', reason: 'no id' },
    ]);
  });
});

describe('issue 9 §2: search paging takes the cursor out of links.next', () => {
  it('a next link pointing at GET /v2/entities (the spec example) is never POSTed to: the cursor goes to the search', async () => {
    const scope = nock(BASE)
      .post('/v2/entities/search', search('feature'))
      .reply(200, { data: [entity(uuid(1), 'feature', 'A')], links: { next: `${BASE}/v2/entities?type=feature&pageCursor=asdf79a0sd` } })
      .post('/v2/entities/search', search('feature'))
      .query({ pageCursor: 'asdf79a0sd' })
      .reply(200, { data: [entity(uuid(2), 'feature', 'B')], links: { next: null } });
    const graph = await read(['feature']);
    expect([...graph.items.keys()]).toEqual([uuid(1), uuid(2)]);
    expect(scope.isDone()).toBe(true);
  });

  it('whatever host the link names, the next page is POSTed to the configured one (the token goes nowhere else)', async () => {
    nock(BASE)
      .post('/v2/entities/search', search('feature'))
      .reply(200, { data: [], links: { next: 'https://evil.test/v2/entities/search?pageCursor=x' } })
      .post('/v2/entities/search', search('feature'))
      .query({ pageCursor: 'x' })
      .reply(200, { data: [], links: { next: null } });
    await expect(read(['feature'])).resolves.toMatchObject({ rejected: [] });
  });

  it('a next link without a pageCursor stops the read with an invalid-response naming the endpoint', async () => {
    nock(BASE)
      .post('/v2/entities/search')
      .reply(200, { data: [], links: { next: `${BASE}/v2/entities/search?page=2` } });
    await expect(read(['feature'])).rejects.toMatchObject({
      kind: 'invalid-response',
      endpoint: 'POST /v2/entities/search',
      message: expect.stringContaining('links.next carries no pageCursor'),
    });
  });
});

describe('issue 9 §3: relationships absent from a search result mean "not included"', () => {
  it('reads GET /v2/entities/{id}/relationships (every page) for each entity without them; none is taken as unparented', async () => {
    const [feature, sub] = [uuid(1), uuid(2)];
    nock(BASE)
      .post('/v2/entities/search', search('subfeature'))
      .reply(200, { data: [entity(sub, 'subfeature', 'Child', null), entity(uuid(3), 'subfeature', 'Listed', [])], links: { next: null } })
      .get(`/v2/entities/${sub}/relationships`)
      .reply(200, { data: [link(uuid(4), 'release')], links: { next: `${BASE}/v2/entities/${sub}/relationships?pageCursor=p2` } })
      .get(`/v2/entities/${sub}/relationships`)
      .query({ pageCursor: 'p2' })
      .reply(200, { data: [{ type: 'parent', target: { id: feature, type: 'feature' } }], links: { next: null } });
    const graph = await read(['subfeature']);
    expect(graph.items.get(sub)).toMatchObject({ parent: { id: feature, type: 'feature' }, links: [{ id: uuid(4), type: 'release' }] });
    // Present and empty is "none": no request for it.
    expect(graph.items.get(uuid(3))).toMatchObject({ parent: null, links: [] });
  });

  it(`reads them side by side, at most ${RELATIONSHIP_READS_IN_FLIGHT} at once, one request each`, async () => {
    const ids = Array.from({ length: 30 }, (_, i) => uuid(100 + i));
    let inFlight = 0;
    let started = 0;
    let most = 0;
    const held: Array<() => void> = [];
    nock(BASE)
      .post('/v2/entities/search', search('feature'))
      .reply(200, { data: ids.map((id) => entity(id, 'feature', `F ${id}`, null)), links: { next: null } });
    nock(BASE)
      .get(/\/v2\/entities\/[0-9a-f-]+\/relationships$/)
      .times(ids.length)
      .reply(async () => {
        inFlight += 1;
        started += 1;
        most = Math.max(most, inFlight);
        // Answers are held until the reader has as many reads in flight as it may (or has started them all), so the
        // limit is reached however the machine schedules the requests. A reader that never gets there has each read
        // let go after 1 s, and fails below.
        if (inFlight >= RELATIONSHIP_READS_IN_FLIGHT || started === ids.length) for (const go of held.splice(0)) go();
        else
          await new Promise<void>((resolve) => {
            held.push(resolve);
            setTimeout(resolve, 1000).unref();
          });
        inFlight -= 1;
        return [200, { data: [link(uuid(1), 'initiative')], links: { next: null } }];
      });
    const graph = await read(['feature'], false, client({ concurrency: 50 }));
    expect(graph.items.size).toBe(ids.length);
    expect(most).toBe(RELATIONSHIP_READS_IN_FLIGHT);
  });

  it('an entity deleted before its relationships are read is rejected with the reason; a failing server fails the read loudly', async () => {
    nock(BASE)
      .post('/v2/entities/search', search('feature'))
      .reply(200, { data: [entity(uuid(1), 'feature', 'Gone', null), entity(uuid(2), 'feature', 'Here', [])], links: { next: null } })
      .get(`/v2/entities/${uuid(1)}/relationships`)
      .reply(404, { id: 'r', errors: [{ code: 'resource.notFound', title: 'Not found' }] });
    const graph = await read(['feature']);
    expect([...graph.items.keys()]).toEqual([uuid(2)]);
    expect(graph.rejected).toEqual([
      { id: uuid(1), type: 'feature', name: 'Gone', reason: 'deleted in Productboard while it was being read (relationships: HTTP 404)' },
    ]);

    nock(BASE)
      .post('/v2/entities/search', search('feature'))
      .reply(200, { data: [entity(uuid(1), 'feature', 'Unknown', null)], links: { next: null } })
      .get(`/v2/entities/${uuid(1)}/relationships`)
      .times(2)
      .reply(500, {});
    await expect(read(['feature'])).rejects.toMatchObject({ kind: 'transient', endpoint: 'GET /v2/entities/{id}/relationships' });
  });
});

describe('issue 9 §4: note relationship overflow and merged entities', () => {
  it("follows links.next inside a note's relationships", async () => {
    const id = uuid(7);
    nock(BASE)
      .get('/v2/notes')
      .reply(200, { data: [schemaNote(id, [uuid(1)], `${BASE}/v2/notes/${id}/relationships?pageCursor=o20`)], links: { next: null } })
      .get(`/v2/notes/${id}/relationships`)
      .query({ pageCursor: 'o20' })
      .reply(200, { data: [link(uuid(2), 'feature')], links: { next: null } });
    const graph = await read([], true);
    expect(graph.notes[0]!.linkedIds).toEqual([uuid(1), uuid(2)]);
  });

  it('a 308 for a merged entity is followed to the entity it was merged into (same origin)', async () => {
    const [merged, survivor] = [uuid(1), uuid(2)];
    nock(BASE)
      .post('/v2/entities/search', search('feature'))
      .reply(200, { data: [entity(merged, 'feature', 'Merged away', null)], links: { next: null } })
      .get(`/v2/entities/${merged}/relationships`)
      .reply(308, '', { Location: `${BASE}/v2/entities/${survivor}/relationships` })
      .get(`/v2/entities/${survivor}/relationships`)
      .reply(200, { data: [link(uuid(3), 'initiative')], links: { next: null } });
    const graph = await read(['feature']);
    expect(graph.items.get(merged)!.links).toEqual([{ id: uuid(3), type: 'initiative' }]);
  });

  it('a 308 to another host is reported for that item only, never followed, never a hard error for the pass', async () => {
    nock(BASE)
      .post('/v2/entities/search', search('feature'))
      .reply(200, {
        data: [entity(uuid(1), 'feature', 'Merged away', null), entity(uuid(2), 'feature', 'Fine', [])],
        links: { next: null },
      })
      .get(`/v2/entities/${uuid(1)}/relationships`)
      .reply(308, '', { Location: 'https://elsewhere.test/v2/entities/x/relationships' });
    const graph = await read(['feature']);
    expect([...graph.items.keys()]).toEqual([uuid(2)]);
    expect(graph.rejected).toEqual([
      {
        id: uuid(1),
        type: 'feature',
        name: 'Merged away',
        reason: expect.stringContaining('the redirect (HTTP 308) points to another host (https://elsewhere.test)'),
      },
    ]);
  });
});

describe('issue 10 H1: endless paging (Productboard)', () => {
  const same = (url: string) => ({ data: [], links: { next: url } });

  it('a repeated links.next of entities/search stops the read with an invalid-response naming the endpoint', async () => {
    nock(BASE)
      .post('/v2/entities/search')
      .reply(200, same(`${BASE}/v2/entities/search?pageCursor=SAME`))
      .post('/v2/entities/search')
      .query({ pageCursor: 'SAME' })
      .reply(200, same(`${BASE}/v2/entities/search?pageCursor=SAME`));
    await expect(read(['feature'])).rejects.toMatchObject({
      kind: 'invalid-response',
      service: 'productboard',
      endpoint: 'POST /v2/entities/search',
      message: 'links.next repeats a cursor already followed (after page 2); stopped reading',
    });
  });

  it('the same for notes and for relationships', async () => {
    nock(BASE)
      .get('/v2/notes')
      .reply(200, same(`${BASE}/v2/notes?pageCursor=SAME`))
      .get('/v2/notes')
      .query({ pageCursor: 'SAME' })
      .reply(200, same(`${BASE}/v2/notes?pageCursor=SAME`));
    await expect(read([], true)).rejects.toMatchObject({ kind: 'invalid-response', endpoint: 'GET /v2/notes' });

    const id = uuid(1);
    const loop = `${BASE}/v2/entities/${id}/relationships?pageCursor=SAME`;
    nock(BASE)
      .post('/v2/entities/search')
      .reply(200, { data: [entity(id, 'feature', 'Looping', [], loop)], links: { next: null } })
      .get(`/v2/entities/${id}/relationships`)
      .query({ pageCursor: 'SAME' })
      .times(2)
      .reply(200, same(loop));
    await expect(read(['feature'])).rejects.toMatchObject({
      kind: 'invalid-response',
      endpoint: 'GET /v2/entities/{id}/relationships',
      message: expect.stringContaining('repeats a cursor'),
    });
  });

  it('a cursor that changes on every page forever is stopped at the page ceiling', async () => {
    let page = 0;
    nock(BASE)
      .post('/v2/entities/search')
      .query(true)
      .times(5)
      .reply(200, () => same(`${BASE}/v2/entities/search?pageCursor=fresh-${++page}`));
    await expect(read(['feature'], false, client({ maxPagesPerRead: 5 }))).rejects.toMatchObject({
      kind: 'invalid-response',
      endpoint: 'POST /v2/entities/search',
      message: 'more than 5 pages in one read (the ceiling); stopped reading',
    });
    expect(page).toBe(5);
  });
});

describe('issue 10 low: an entity with an empty id', () => {
  it('is rejected with the reason, each one kept (two without an id are two), never dropped', async () => {
    const noId = { ...entity('', 'feature', 'Nameless id'), id: '' };
    const { id: _omitted, ...missing } = entity(uuid(9), 'feature', 'Missing id');
    nock(BASE)
      .post('/v2/entities/search')
      .reply(200, { data: [noId, missing, entity(uuid(1), 'feature', 'Fine')], links: { next: null } });
    const graph = await read(['feature']);
    expect([...graph.items.keys()]).toEqual([uuid(1)]);
    expect(graph.rejected).toEqual([
      { id: '', type: 'feature', name: 'Nameless id', reason: 'no id' },
      { id: '', type: 'feature', name: 'Missing id', reason: 'no id' },
    ]);
  });
});
