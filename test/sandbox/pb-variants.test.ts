import { afterEach, describe, expect, it } from 'vitest';
import { generateWorkspace, seedIds, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { pb } from './helpers.js';
import { keysOf, pbSpec, shapeOf } from './openapi-check.js';

// Where the Productboard v2 documents contradict themselves, the sandbox can answer either way (behaviour (a)–(f));
// and it can be hostile (an endless cursor). Defaults are covered by the other suites.

const entities = pbSpec('entities');
const notes = pbSpec('notes');
const search = (sb: Sandbox, url = '/v2/entities/search', type = 'feature') => pb(sb, 'POST', url, { data: { filter: { type: [type] } } });

describe('Productboard behaviour variants', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it("(a) notes in the examples' shape: relationships a bare array, createdAt/updatedAt inside fields, as every note example", async () => {
    sb = await startSandbox({ productboard: { noteShape: 'examples' } });
    const list = await pb(sb, 'GET', '/v2/notes');
    const note = list.body.data.find((n: { id: string }) => n.id === seedIds.noteLinkedToTwoFeatures);
    expect(Array.isArray(note.relationships)).toBe(true);
    expect(note.relationships.filter((r: { type: string }) => r.type === 'link')).toHaveLength(2);
    expect(note).not.toHaveProperty('createdAt');
    expect(note.fields.createdAt).toBe(sb.productboard.state.getNote(seedIds.noteLinkedToTwoFeatures)?.createdAt);
    const example = (notes.examples('/notes', 'get', 200)['success'] as { data: Array<Record<string, unknown>> }).data[0]!;
    expect(keysOf(note)).toEqual(keysOf(example));
    const exampleRelationships = example['relationships'] as Array<Record<string, unknown>>;
    expect(keysOf(note.relationships[0])).toEqual(keysOf(exampleRelationships[0]));
    expect(shapeOf(note.relationships[0].target.id)).toEqual(shapeOf((exampleRelationships[0]?.['target'] as { id: string }).id));
    for (const key of ['createdAt', 'updatedAt', 'name', 'processed', 'archived']) expect(note.fields).toHaveProperty(key);
    // This is the contradiction: the schema `Note` rejects what its own examples show.
    expect(notes.schema('Note', note).length).toBeGreaterThan(0);
    expect(notes.schema('Note', example).length).toBeGreaterThan(0);
    const one = (await pb(sb, 'GET', `/v2/notes/${note.id}`)).body.data;
    expect(Array.isArray(one.relationships)).toBe(true);
  });

  it("(b) search's links.next points where the list example points (/v2/entities?type=…&pageCursor=…); the cursor works as pageCursor of the search", async () => {
    sb = await startSandbox({
      workspace: generateWorkspace({ initiatives: 5, features: 150, subfeatures: 0, notes: 0, seed: 3 }),
      productboard: { searchNextLink: 'list' },
    });
    const first = await search(sb);
    expect(entities.response('/entities/search', 'post', 200, first.body)).toEqual([]);
    const next = new URL(first.body.links.next);
    expect(next.pathname).toBe('/v2/entities');
    expect(next.searchParams.get('type')).toBe('feature');
    const example = new URL((entities.examples('/entities/search', 'post', 200)['default'] as { links: { next: string } }).links.next);
    expect([...next.searchParams.keys()]).toEqual([...example.searchParams.keys()]);
    // POSTing the search body to the link itself is not a search (it would be createEntity on Productboard).
    expect((await pb(sb, 'POST', first.body.links.next, { data: { filter: { type: ['feature'] } } })).status).not.toBe(200);
    // GETting it is a list with a cursor that belongs to another request.
    expect((await pb(sb, 'GET', first.body.links.next)).status).toBe(400);
    // What works: take the cursor out and POST to the search with it.
    const second = await search(sb, `/v2/entities/search?pageCursor=${encodeURIComponent(next.searchParams.get('pageCursor') ?? '')}`);
    expect(second.status).toBe(200);
    expect(second.body.data).toHaveLength(50);
    expect(second.body.links.next).toBeNull();
    expect(new Set([...first.body.data, ...second.body.data].map((e: { id: string }) => e.id)).size).toBe(150);
  });

  it('(c) relationships left out of list and search results, as in the list example; get and the paged relationships endpoint still have them', async () => {
    sb = await startSandbox({ productboard: { listRelationships: 'omitted' } });
    const found = await search(sb);
    expect(entities.response('/entities/search', 'post', 200, found.body)).toEqual([]);
    expect(found.body.data.every((e: object) => !('relationships' in e))).toBe(true);
    const listed = await pb(sb, 'GET', '/v2/entities?type[]=initiative');
    expect(listed.body.data.every((e: object) => !('relationships' in e))).toBe(true);
    const example = (entities.examples('/entities', 'get', 200)['default'] as { data: Array<Record<string, unknown>> }).data[0]!;
    expect(keysOf(found.body.data[0])).toEqual(keysOf(example));
    const one = (await pb(sb, 'GET', `/v2/entities/${seedIds.ambiguousFeature}`)).body.data;
    expect(one.relationships.data.length).toBeGreaterThan(0);
    const rels = await pb(sb, 'GET', `/v2/entities/${seedIds.ambiguousFeature}/relationships?type=link&target[type]=initiative`);
    expect(rels.body.data.map((r: { target: { id: string } }) => r.target.id).sort()).toEqual(
      [seedIds.initiatives.accessibility, seedIds.initiatives.selfService].sort(),
    );
  });

  it('(d) relationship changes need not bump updatedAt: with the switch off, link, unlink, re-parent and note links leave it alone', async () => {
    sb = await startSandbox({ productboard: { relationshipChangesBumpUpdatedAt: false } });
    const state = sb.productboard.state;
    const stamp = (id: string) => state.get(id)!.updatedAt;
    const before = [
      seedIds.unparentedFeature,
      seedIds.initiatives.accessibility,
      seedIds.subfeaturesOfFeature[0],
      seedIds.featureWithSubfeatures,
      seedIds.plainFeature,
    ].map(stamp);
    const noteBefore = state.getNote(seedIds.noteLinkedToTwoFeatures)!.updatedAt;
    await new Promise((r) => setTimeout(r, 5));
    state.link(seedIds.unparentedFeature, seedIds.initiatives.accessibility);
    state.unlink(seedIds.unparentedFeature, seedIds.initiatives.accessibility);
    state.setParent(seedIds.subfeaturesOfFeature[0], seedIds.plainFeature);
    state.linkNote(seedIds.noteLinkedToTwoFeatures, seedIds.plainFeature);
    expect(
      [
        seedIds.unparentedFeature,
        seedIds.initiatives.accessibility,
        seedIds.subfeaturesOfFeature[0],
        seedIds.featureWithSubfeatures,
        seedIds.plainFeature,
      ].map(stamp),
    ).toEqual(before);
    expect(state.getNote(seedIds.noteLinkedToTwoFeatures)!.updatedAt).toBe(noteBefore);
    // The change is there for a full read, invisible to an incremental one.
    expect(state.get(seedIds.subfeaturesOfFeature[0])!.parentId).toBe(seedIds.plainFeature);
    const since = new Date(Date.now() - 1000).toISOString();
    const incremental = await pb(sb, 'POST', '/v2/entities/search', {
      data: { filter: { type: ['subfeature'], updatedAt: { from: since } } },
    });
    expect(incremental.body.data).toEqual([]);
    // Field edits still bump.
    state.rename(seedIds.plainFeature, 'Renamed');
    expect(stamp(seedIds.plainFeature)).not.toBe(before[4]);
  });

  it('(e) a merged-away entity: 404 by default; with redirects, 308 Permanent Redirect to the survivor on get and relationships', async () => {
    sb = await startSandbox();
    const state = sb.productboard.state;
    const source = seedIds.plainFeature;
    const target = seedIds.featureWithSubfeatures;
    const subOfSource = state.get(source)!.childIds[0]!;
    state.merge(source, target);
    expect(state.get(subOfSource)!.parentId).toBe(target);
    expect((await pb(sb, 'GET', `/v2/entities/${source}`)).status).toBe(404);
    expect((await search(sb)).body.data.map((e: { id: string }) => e.id)).not.toContain(source);

    sb.productboard.behaviour.mergedEntities = 'redirect';
    const get = await fetch(`${sb.productboard.url}/v2/entities/${source}?fields[]=name`, {
      headers: { Authorization: `Bearer ${sb.productboard.token}` },
      redirect: 'manual',
    });
    expect(get.status).toBe(308);
    expect(get.headers.get('location')).toBe(`${sb.productboard.url}/v2/entities/${target}?fields%5B%5D=name`);
    const rels = await fetch(`${sb.productboard.url}/v2/entities/${source}/relationships?type=child`, {
      headers: { Authorization: `Bearer ${sb.productboard.token}` },
      redirect: 'manual',
    });
    expect(rels.status).toBe(308);
    expect(rels.headers.get('location')).toBe(`${sb.productboard.url}/v2/entities/${target}/relationships?type=child`);
    // A client that follows it lands on the survivor.
    const followed = await pb(sb, 'GET', `/v2/entities/${source}`);
    expect(followed.status).toBe(200);
    expect(followed.body.data.id).toBe(target);
    // Something never merged is still a plain 404.
    expect((await pb(sb, 'GET', '/v2/entities/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it("(f) a note's relationships overflow into links.next, which pages the rest", async () => {
    sb = await startSandbox({ productboard: { noteInlineRelationships: 1 } });
    const note = (await pb(sb, 'GET', `/v2/notes/${seedIds.noteLinkedToTwoFeatures}`)).body.data;
    expect(notes.response('/notes/{id}', 'get', 200, { data: note })).toEqual([]);
    expect(note.relationships.data).toHaveLength(1);
    expect(note.relationships.links.next).toMatch(new RegExp(`/v2/notes/${seedIds.noteLinkedToTwoFeatures}/relationships\\?pageCursor=`));
    const rest = await pb(sb, 'GET', note.relationships.links.next);
    expect(rest.status).toBe(200);
    expect(notes.response('/notes/{id}/relationships', 'get', 200, rest.body)).toEqual([]);
    const all = [...note.relationships.data, ...rest.body.data];
    expect(all.filter((r: { type: string }) => r.type === 'link')).toHaveLength(2);
    expect(all.filter((r: { type: string }) => r.type === 'customer')).toHaveLength(1);
  });

  it('hostile: entities/search and notes repeat the same links.next forever', async () => {
    sb = await startSandbox({ productboard: { endlessSearchCursor: true, endlessNotesCursor: true } });
    let url = '/v2/entities/search';
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const r = await search(sb, url);
      expect(r.status).toBe(200);
      expect(r.body.data.length).toBeGreaterThan(0);
      seen.add(r.body.links.next);
      url = r.body.links.next;
    }
    expect(seen.size).toBe(1);
    let notesUrl = '/v2/notes?archived=false';
    const noteLinks = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const r = await pb(sb, 'GET', notesUrl);
      expect(r.status).toBe(200);
      noteLinks.add(r.body.links.next);
      notesUrl = r.body.links.next;
    }
    expect(noteLinks.size).toBe(1);
    expect([...noteLinks][0]).toContain('archived=false');
    // Switched off again, the same cursor ends the list.
    sb.productboard.behaviour.endlessSearchCursor = false;
    const r = await search(sb, url);
    expect(r.status).toBe(200);
    expect(r.body.links.next).toBeNull();
  });
});
