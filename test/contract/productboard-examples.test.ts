import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { readSource } from '../../connectors/productboard/read-source.js';
import { readStatusNames } from '../../connectors/productboard/configuration.js';
import { guardNetwork } from '../helpers/nock-guard.js';
import { SPEC_HOST, specHostClient } from './productboard-client.js';
import { pbSpec } from '../sandbox/openapi-check.js';

// Issue 9, contract tests: every response example of every Productboard operation the connector calls (and of get
// entity / get note, whose records the same parsers read) is served to the connector as the vendor wrote it and read
// by its real code path. Each one parses; where an example contradicts its own schema, the test says which way and
// what the connector does about it (docs/vendor-notes.md §8, "Contradictions").

guardNetwork();

const BASE = SPEC_HOST;
const entities = pbSpec('entities');
const notes = pbSpec('notes');

type Json = Record<string, unknown>;
const example = (spec: typeof entities, path: string, name = 'default', method = 'get'): Json =>
  structuredClone(spec.examples(path, method, 200)[name]) as Json;
const client = specHostClient;

const listed = example(entities, '/entities/search', 'default', 'post');
const relationshipsExample = example(entities, '/entities/{id}/relationships');
const noteRelationshipsExample = example(notes, '/notes/{id}/relationships', 'example');

describe('Productboard response examples through the connector', () => {
  it(`POST /entities/search (EntityListResponse): both entities parse. Contradictions: no "relationships" on either (optional in Entity):
      read from GET /entities/{id}/relationships; links.next points at GET /entities: the cursor is POSTed to the search`, async () => {
    const [initiative, feature] = listed['data'] as Json[];
    for (const type of ['initiative', 'feature']) {
      nock(BASE)
        .post('/v2/entities/search', { data: { filter: { type: [type] } } })
        .reply(200, listed)
        .post('/v2/entities/search', { data: { filter: { type: [type] } } })
        .query({ pageCursor: 'asdf79a0sd' })
        .reply(200, { data: [], links: { next: null } });
    }
    nock(BASE)
      .get(`/v2/entities/${initiative!['id'] as string}/relationships`)
      .reply(200, relationshipsExample)
      .get(`/v2/entities/${feature!['id'] as string}/relationships`)
      .reply(200, relationshipsExample);
    const graph = await readSource(client(), { types: ['initiative', 'feature'], notes: false });
    expect(graph.items.get(initiative!['id'] as string)).toMatchObject({
      type: 'initiative',
      name: 'Q4 2024 Product Launch Initiative',
      statusName: 'In Progress',
      timeframe: { startDate: '2024-10-01', endDate: '2024-12-31' },
      archived: false,
      url: 'https://example.productboard.com/detail/UG1FbnRpdHk6N2EyNmJhMDktZGI5OS00MDQxLTg4NjQtYmNkMTZlOGFmYzVl',
    });
    expect(graph.items.get(feature!['id'] as string)).toMatchObject({
      type: 'feature',
      name: 'User Authentication Feature',
      statusName: 'Upcoming',
      descriptionHtml: '',
      parent: { id: '318de52f-4e38-4c94-a550-a0d47a1f212e', type: 'feature' },
      links: [{ id: '318de52f-4e38-4c94-a550-a0d47a1f212e', type: 'component' }],
    });
    // The shared example mixes two types; a search returns one (performEntitiesSearch): the other is named, not merged in.
    expect(graph.rejected.map((r) => [r.type, r.reason])).toEqual([
      ['initiative', 'unexpected type "feature" in a search for initiative'],
      ['feature', 'unexpected type "initiative" in a search for feature'],
    ]);
  });

  it(`GET /entities/{id}/relationships (EntityRelationshipListResponse): parses. Contradiction: links has "self" and no "next"
      (ListLinks requires it): a missing next is the last page`, async () => {
    expect(entities.response('/entities/{id}/relationships', 'get', 200, relationshipsExample)).toEqual([
      `/links must have required property 'next' {"missingProperty":"next"}`,
    ]);
    const id = '195a1cb2-728f-4be8-900f-aebbd84d7944';
    nock(BASE)
      .post('/v2/entities/search')
      .reply(200, { data: [{ ...(listed['data'] as Json[])[1], id }], links: { next: null } })
      .get(`/v2/entities/${id}/relationships`)
      .reply(200, relationshipsExample);
    const graph = await readSource(client(), { types: ['feature'], notes: false });
    expect(graph.items.get(id)).toMatchObject({ parent: { type: 'feature' }, links: [{ type: 'component' }] });
  });

  it(`GET /entities/{id} (EntityResponse), read by the same parser: parses. Contradiction: "relationships" is a bare array
      (EntityRelationships is {data, links}): read as the complete list`, async () => {
    const response = example(entities, '/entities/{id}');
    expect(entities.response('/entities/{id}', 'get', 200, response)).toEqual(['/data/relationships must be object {"type":"object"}']);
    const entity = response['data'] as Json;
    nock(BASE)
      .post('/v2/entities/search')
      .reply(200, { data: [entity], links: { next: null } });
    const graph = await readSource(client(), { types: ['initiative'], notes: false });
    expect(graph.items.get(entity['id'] as string)).toMatchObject({
      name: 'Q4 2024 Product Launch Initiative',
      tags: ['Q4', 'Launch'],
      parent: { id: '318de52f-4e38-4c94-a550-a0d47a1f212e', type: 'objective' },
      links: [],
    });
  });

  it(`GET /notes (4 examples): every note parses. Contradictions: "relationships" a bare array, createdAt/updatedAt inside
      fields ("success"); neither relationships nor times ("filterBy…"): relationships read per note, no time listed last`, async () => {
    const examples = notes.examples('/notes', 'get', 200);
    expect(Object.keys(examples).sort()).toEqual(['filterByDateRange', 'filterByOwnerEmail', 'filterByUpdateTime', 'success']);
    for (const [name, value] of Object.entries(examples)) {
      const page = value as { data: Json[]; links: { next: string | null } };
      const problems = notes.response('/notes', 'get', 200, page);
      expect(problems.length, name).toBeGreaterThan(0);
      expect(
        problems.filter((p) => !/relationships|createdAt|updatedAt/.test(p)),
        name,
      ).toEqual([]);
      const scope = nock(BASE).get('/v2/notes').reply(200, page);
      if (page.links.next)
        scope
          .get('/v2/notes')
          .query({ pageCursor: 'next_cursor_value' })
          .reply(200, { data: [], links: { next: null } });
      for (const note of page.data.filter((n) => n['relationships'] === undefined)) {
        nock(BASE)
          .get(`/v2/notes/${note['id'] as string}/relationships`)
          .reply(200, noteRelationshipsExample);
      }
      const graph = await readSource(client(), { types: [], notes: true });
      expect(graph.rejected, name).toEqual([]);
      expect(
        graph.notes.map((n) => n.id),
        name,
      ).toEqual(page.data.map((n) => n['id']));
      if (name === 'success') {
        expect(graph.notes).toEqual([
          {
            id: '123e4567-e89b-12d3-a456-426614174000',
            name: 'Customer feedback',
            url: 'https://example.productboard.com/all-notes/notes/42',
            linkedIds: ['g23e4567-e89b-12d3-a456-426614174015'],
            customerId: 'f23e4567-e89b-12d3-a456-426614174014',
            createdAt: '2023-10-01T09:00:00Z',
          },
          {
            id: '223e4567-e89b-12d3-a456-426614174001',
            name: 'Support conversation',
            url: 'https://example.productboard.com/all-notes/notes/43',
            linkedIds: [],
            customerId: 'h23e4567-e89b-12d3-a456-426614174016',
            createdAt: '2023-10-01T10:00:00Z',
          },
        ]);
      } else {
        for (const note of graph.notes)
          expect(note, name).toMatchObject({ linkedIds: ['223e4567-e89b-12d3-a456-426614174001'], createdAt: null });
      }
    }
  });

  it(`GET /notes/{id} (3 examples), read by the same parser: every note parses. Contradiction: "relationships" a bare array;
      createdAt top-level ("text-note") or inside fields (the others)`, async () => {
    const examples = notes.examples('/notes/{id}', 'get', 200);
    for (const [name, value] of Object.entries(examples)) {
      expect(notes.response('/notes/{id}', 'get', 200, value), name).toContain('/data/relationships must be object {"type":"object"}');
    }
    const data = Object.values(examples).map((e) => (e as { data: Json }).data);
    nock(BASE)
      .get('/v2/notes')
      .reply(200, { data, links: { next: null } });
    const graph = await readSource(client(), { types: [], notes: true });
    expect(graph.rejected).toEqual([]);
    expect(graph.notes.map((n) => [n.name, n.createdAt])).toEqual([
      ['My note', '2023-10-01T10:00:00Z'],
      ['Conversation Note', '2023-10-01T10:00:00Z'],
      ['Opportunity Note', '2023-09-15T08:00:00Z'],
    ]);
  });

  it('GET /notes/{id}/relationships: parses; only `link` relationships are insights links (`customer` is not)', async () => {
    const id = '123e4567-e89b-12d3-a456-426614174000';
    nock(BASE)
      .get('/v2/notes')
      .reply(200, { data: [{ id, type: 'textNote', fields: { name: 'n' }, links: {} }], links: { next: null } })
      .get(`/v2/notes/${id}/relationships`)
      .reply(200, noteRelationshipsExample);
    const graph = await readSource(client(), { types: [], notes: true });
    expect(graph.notes[0]!.linkedIds).toEqual(['223e4567-e89b-12d3-a456-426614174001']);
  });

  it(`GET /entities/configurations/{type} (ConfigurationResponse): parses; its feature has no status field in the example, so no
      statuses are read. Contradiction: the owner field's links.self is null (ResourceLinks: a string); we do not read it`, async () => {
    const configuration = example(entities, '/entities/configurations/{type}');
    expect(entities.response('/entities/configurations/{type}', 'get', 200, configuration)).toEqual([
      '/data/fields/owner/links/self must be string {"type":"string"}',
    ]);
    nock(BASE).get('/v2/entities/configurations/feature').reply(200, configuration);
    await expect(readStatusNames(client(), 'feature')).resolves.toBeNull();
  });

  it(`a status field as ConfigurationField and FieldValues describe it (the FieldValueItem example inline, more behind links.next,
      the FieldValuesListResponse "statusValues" example there): every name read once`, async () => {
    const configuration = example(entities, '/entities/configurations/{type}');
    const inline = (entities.at('/components/schemas/FieldValueItem/examples/0/value') as Json)!;
    const values = entities.examples('/entities/fields/{id}/values', 'get', 200)['statusValues'] as {
      data: Json[];
      links: { next: string };
    };
    const more = values.links.next;
    const status = {
      id: 'status',
      name: 'Status',
      path: '/fields/status',
      schema: { type: 'object' },
      values: { data: [inline], links: { next: more } },
    };
    expect(entities.schema('ConfigurationField', status)).toEqual([]);
    (configuration['data'] as { fields: Json }).fields['status'] = status;
    nock(BASE)
      .get('/v2/entities/configurations/feature')
      .reply(200, configuration)
      .get('/v2/entities/fields/status/values')
      .query(new URL(more).searchParams)
      .reply(200, { ...values, links: { next: null } });
    await expect(readStatusNames(client(), 'feature')).resolves.toEqual(['In Progress', 'Done']);
  });
});
