import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorkspace, seedIds, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { pb } from './helpers.js';

describe('Productboard v2 simulator (seed workspace)', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  it('answers 401 with a v2 error body without or with a wrong token', async () => {
    for (const token of ['', 'wrong']) {
      const r = await pb(sb, 'GET', '/v2/entities?type[]=feature', undefined, token);
      expect(r.status).toBe(401);
      expect(typeof r.body.id).toBe('string');
      expect(r.body.errors[0]).toMatchObject({ code: 'authentication.failed', title: 'Unauthorized' });
      expect(typeof r.body.errors[0].detail).toBe('string');
    }
  });

  it('answers 410 for v1 paths', async () => {
    const r = await pb(sb, 'GET', '/features');
    expect(r.status).toBe(410);
    expect(r.body.errors[0].detail).toMatch(/v1/);
  });

  it('serves the seed specials with symmetric relationships', async () => {
    const amb = (await pb(sb, 'GET', `/v2/entities/${seedIds.ambiguousFeature}`)).body.data;
    const links = amb.relationships.data.filter((r: { type: string }) => r.type === 'link');
    expect(links.map((l: { target: { id: string } }) => l.target.id).sort()).toEqual(
      [seedIds.initiatives.accessibility, seedIds.initiatives.selfService].sort(),
    );
    expect(amb.relationships.data.find((r: { type: string }) => r.type === 'parent').target.type).toBe('component');
    expect(amb.links).toEqual({
      self: `${sb.productboard.url}/v2/entities/${seedIds.ambiguousFeature}`,
      html: `https://sandbox.productboard.com/entity-detail/${seedIds.ambiguousFeature}`,
    });

    const unparented = (await pb(sb, 'GET', `/v2/entities/${seedIds.unparentedFeature}`)).body.data;
    expect(unparented.relationships.data.filter((r: { type: string }) => r.type === 'link')).toHaveLength(0);

    const archived = (await pb(sb, 'GET', `/v2/entities/${seedIds.archivedFeature}`)).body.data;
    expect(archived.fields.archived).toBe(true);
    expect(archived.relationships.data).toContainEqual(
      expect.objectContaining({ type: 'child', target: expect.objectContaining({ id: seedIds.archivedFeatureSubfeature }) }),
    );

    const sub = (await pb(sb, 'GET', `/v2/entities/${seedIds.subfeaturesOfFeature[0]}`)).body.data;
    expect(sub.type).toBe('subfeature');
    expect(sub.relationships.data).toContainEqual(
      expect.objectContaining({ type: 'parent', target: expect.objectContaining({ id: seedIds.featureWithSubfeatures, type: 'feature' }) }),
    );

    const feature = (await pb(sb, 'GET', `/v2/entities/${seedIds.featureWithSubfeatures}`)).body.data;
    expect(feature.fields.status).toEqual({ id: expect.any(String), name: 'In progress' });
    expect(feature.fields.description).toMatch(/^<h1>/);
    expect(feature.fields.timeframe).toEqual({ startDate: '2026-01-01', endDate: '2026-03-31', granularity: 'quarter' });
    // Empty fields are omitted: the unparented feature has no tags, owner or timeframe.
    expect(Object.keys(unparented.fields).sort()).toEqual(['archived', 'description', 'name', 'status']);
  });

  it('returns 404 with a v2 error for an unknown entity', async () => {
    const r = await pb(sb, 'GET', '/v2/entities/00000000-0000-4000-8000-000000000000');
    expect(r.status).toBe(404);
    expect(r.body.errors[0].code).toBe('resource.notFound');
  });

  it('requires exactly one type per search and points at malformed input', async () => {
    const two = await pb(sb, 'POST', '/v2/entities/search', { data: { filter: { type: ['feature', 'initiative'] } } });
    expect(two.status).toBe(400);
    expect(two.body.errors[0].source.pointer).toBe('/data/filter/type');
    const badDate = await pb(sb, 'POST', '/v2/entities/search', {
      data: { filter: { type: ['feature'], updatedAt: { from: '2026-01-01' } } },
    });
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors[0].source.pointer).toBe('/data/filter/updatedAt/from');
    const notJson = await pb(sb, 'POST', '/v2/entities/search', '{"data": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.errors[0]).toMatchObject({ code: 'request.malformed', source: { pointer: '' } });
    const noData = await pb(sb, 'POST', '/v2/entities/search', { filter: { type: ['feature'] } });
    expect(noData.status).toBe(400);
    expect(noData.body.errors[0].source.pointer).toBe('/filter');
  });

  it('mutations bump updatedAt so an updatedAt.from search sees them', async () => {
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    sb.productboard.state.rename(seedIds.plainFeature, 'Bulk user invitations (renamed)');
    sb.productboard.state.link(seedIds.unparentedFeature, seedIds.initiatives.accessibility);
    const r = await pb(sb, 'POST', '/v2/entities/search', { data: { filter: { type: ['feature'], updatedAt: { from: since } } } });
    expect(r.status).toBe(200);
    expect(r.body.data.map((e: { id: string }) => e.id).sort()).toEqual([seedIds.plainFeature, seedIds.unparentedFeature].sort());
    const inits = await pb(sb, 'POST', '/v2/entities/search', { data: { filter: { type: ['initiative'], updatedAt: { from: since } } } });
    expect(inits.body.data.map((e: { id: string }) => e.id)).toEqual([seedIds.initiatives.accessibility]);
    sb.productboard.state.unlink(seedIds.unparentedFeature, seedIds.initiatives.accessibility);
  });

  it('deletes cascade to children like v2', async () => {
    const f = sb.productboard.state.addEntity({ type: 'feature', name: 'Doomed', parentId: seedIds.components.docs, status: 'Candidate' });
    const s = sb.productboard.state.addEntity({ type: 'subfeature', name: 'Doomed child', parentId: f });
    sb.productboard.state.delete(f);
    expect(sb.productboard.state.get(s)).toBeUndefined();
    expect((await pb(sb, 'GET', `/v2/entities/${s}`)).status).toBe(404);
  });

  it('pages notes newest first and exposes note links', async () => {
    const r = await pb(sb, 'GET', '/v2/notes');
    expect(r.status).toBe(200);
    const notes = r.body.data;
    expect(notes.length).toBe(15);
    expect(r.body.links.next).toBeNull();
    const times = notes.map((n: { createdAt: string }) => Date.parse(n.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const two = notes.find((n: { id: string }) => n.id === seedIds.noteLinkedToTwoFeatures);
    expect(two.type).toBe('textNote');
    expect(two.links.html).toBe(`https://sandbox.productboard.com/insights/inbox/${two.id}`);
    expect(two.relationships.data.filter((x: { type: string }) => x.type === 'link')).toHaveLength(2);
    expect(two.relationships.data.filter((x: { type: string }) => x.type === 'customer')).toHaveLength(1);
    const one = await pb(sb, 'GET', `/v2/notes/${two.id}`);
    expect(one.body.data.fields.name).toBe(two.fields.name);
  });
});

describe('Productboard v2 paging at volume', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ workspace: generateWorkspace({ initiatives: 10, features: 250, subfeatures: 40, notes: 230, seed: 7 }) });
  });
  afterAll(async () => {
    await sb.close();
  });

  it('pages POST /v2/entities/search by 100 with the cursor in the query and the same body', async () => {
    const body = { data: { filter: { type: ['feature'] } } };
    const ids: string[] = [];
    let url: string | null = '/v2/entities/search';
    const sizes: number[] = [];
    while (url) {
      const r = await pb(sb, 'POST', url, body);
      expect(r.status).toBe(200);
      sizes.push(r.body.data.length);
      ids.push(...r.body.data.map((e: { id: string }) => e.id));
      url = r.body.links.next;
      if (url) expect(url).toMatch(new RegExp(`^${sb.productboard.url}/v2/entities/search\\?pageCursor=`));
    }
    expect(sizes).toEqual([100, 100, 50]);
    expect(new Set(ids).size).toBe(250);
    expect([...ids].sort()).toEqual(ids); // stable id order
    const searches = sb.requests.filter((q) => q.route === 'POST /v2/entities/search');
    expect(searches.slice(-3).map((q) => q.query === '')).toEqual([true, false, false]);
  });

  it('rejects a cursor replayed with a different body', async () => {
    const first = await pb(sb, 'POST', '/v2/entities/search', { data: { filter: { type: ['feature'] } } });
    const r = await pb(sb, 'POST', first.body.links.next, { data: { filter: { type: ['feature'], archived: false } } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].source.parameter).toBe('pageCursor');
  });

  it('pages GET /v2/entities with type[] and keeps the query in links.next', async () => {
    let url: string | null = '/v2/entities?type[]=subfeature&type[]=initiative';
    let count = 0;
    while (url) {
      const r = await pb(sb, 'GET', url);
      expect(r.status).toBe(200);
      count += r.body.data.length;
      url = r.body.links.next;
      if (url) expect(url).toContain('type%5B%5D=subfeature');
    }
    expect(count).toBe(50);
  });

  it('caps inline relationships at 20 and pages the rest through links.next', async () => {
    // Generated components hold ~40 features each.
    const comp = sb.productboard.state.list('component')[0];
    expect(comp).toBeDefined();
    const r = await pb(sb, 'GET', `/v2/entities/${comp?.id}`);
    const rel = r.body.data.relationships;
    expect(rel.data).toHaveLength(20);
    expect(rel.links.next).toMatch(new RegExp(`/v2/entities/${comp?.id}/relationships\\?pageCursor=`));
    const all = [...rel.data];
    let next: string | null = rel.links.next;
    while (next) {
      const page = await pb(sb, 'GET', next);
      expect(page.status).toBe(200);
      all.push(...page.body.data);
      next = page.body.links.next;
    }
    const expected = sb.productboard.state.get(comp?.id ?? '');
    expect(all).toHaveLength((expected?.childIds.length ?? 0) + 1);
    expect(new Set(all.map((x) => x.target.id)).size).toBe(all.length);

    // A big initiative overflows the relationships endpoint's own page of 100 too.
    const init = sb.productboard.state.addEntity({ type: 'initiative', name: 'Big bet', status: 'In progress' });
    for (const f of sb.productboard.state.list('feature').slice(0, 130)) sb.productboard.state.link(f.id, init);
    const first = await pb(sb, 'GET', `/v2/entities/${init}/relationships`);
    expect(first.body.data).toHaveLength(100);
    const second = await pb(sb, 'GET', first.body.links.next);
    expect(second.body.data).toHaveLength(30);
    expect(second.body.links.next).toBeNull();
  });

  it('pages notes by 100 newest first with filters carried in links.next', async () => {
    const all: Array<{ createdAt: string; id: string }> = [];
    let url: string | null = '/v2/notes?archived=false';
    const sizes: number[] = [];
    while (url) {
      const r = await pb(sb, 'GET', url);
      expect(r.status).toBe(200);
      sizes.push(r.body.data.length);
      all.push(...r.body.data);
      url = r.body.links.next;
      if (url) expect(url).toContain('archived=false');
    }
    expect(sizes).toEqual([100, 100, 30]);
    const t = all.map((n) => Date.parse(n.createdAt));
    expect([...t].sort((a, b) => b - a)).toEqual(t);
    const since = new Date(Date.now() - 1000).toISOString();
    const fresh = sb.productboard.state.addNote({ name: 'Fresh', contentHtml: '<p>new</p>', linkedIds: [] });
    const r = await pb(sb, 'GET', `/v2/notes?updatedFrom=${encodeURIComponent(since)}`);
    expect(r.body.data.map((n: { id: string }) => n.id)).toEqual([fresh]);
  });
});
