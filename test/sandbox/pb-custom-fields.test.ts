import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionId, seedFieldIds, seedIds, startSandbox, tagId, type Sandbox } from '../../src/sandbox/index.js';
import { pb } from './helpers.js';
import { pbSpec } from './openapi-check.js';

// Custom field values in `fields` (keyed by field id), release links, and the search filters on them, against
// entities.openapi.json ("Dynamic Field System", the EntityListResponse example, EntitySearchFieldFilters).

const spec = pbSpec('entities');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const search = (sb: Sandbox, filter: Record<string, unknown>, ret?: unknown) =>
  pb(sb, 'POST', '/v2/entities/search', { data: { filter: { type: ['feature'], ...filter }, ...(ret ? { return: ret } : {}) } });
const ids = (body: { data: Array<{ id: string }> }) => body.data.map((e) => e.id).sort();

describe('Productboard custom fields on entities', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  it('carries custom values in `fields` keyed by field id, each kind shaped as the spec shapes it', async () => {
    const r = await pb(sb, 'GET', `/v2/entities/${seedIds.featureWithSubfeatures}`);
    expect(spec.response('/entities/{id}', 'get', 200, r.body)).toEqual([]);
    const f = r.body.data.fields;
    expect(f[seedFieldIds.impact]).toEqual({ id: optionId(seedFieldIds.impact, 'High'), name: 'High' });
    expect(f[seedFieldIds.effortDays]).toBe(13);
    expect(f[seedFieldIds.platforms]).toEqual([{ id: optionId(seedFieldIds.platforms, 'Web'), name: 'Web' }]);
    expect(f[seedFieldIds.engineeringLead]).toEqual({ id: expect.stringMatching(UUID), email: 'tom.okafor@hubco.example' });
    expect(f[seedFieldIds.targetDate]).toBe('2026-03-20');
    expect(f.owner).toEqual({ id: expect.stringMatching(UUID), email: 'maria.ionescu@hubco.example' });
    // Each value fits one of the spec's value schemas.
    for (const id of Object.values(seedFieldIds)) if (f[id] !== undefined) expect(spec.schema('EntityFieldValue', f[id])).toEqual([]);
    // Empty custom fields are left out by default, as every empty field is.
    expect(f).not.toHaveProperty(seedFieldIds.jiraKey);
    expect(f).not.toHaveProperty(seedFieldIds.releaseNote);
    // The same member has the same id wherever it appears.
    const other = (await pb(sb, 'GET', `/v2/entities/${seedIds.inProgressFeature}`)).body.data.fields;
    expect(other.owner.id).toBe(f[seedFieldIds.engineeringLead].id);
  });

  it('returns empty custom fields as null with fields=all, and only the named ones with a list, like the list example', async () => {
    const all = await pb(sb, 'GET', '/v2/entities?type[]=feature&fields[]=all');
    expect(spec.response('/entities', 'get', 200, all.body)).toEqual([]);
    const plain = all.body.data.find((e: { id: string }) => e.id === seedIds.unparentedFeature);
    // Every seed field is assigned to features; this feature has no custom value at all.
    for (const id of Object.values(seedFieldIds)) expect(plain.fields[id]).toBeNull();
    // The spec's example: custom keys are UUIDs next to the standard fields, some null.
    const example = spec.examples('/entities', 'get', 200)['default'] as { data: Array<{ fields: Record<string, unknown> }> };
    const exampleCustom = Object.keys(example.data[0]?.fields ?? {}).filter((k) => UUID.test(k));
    expect(exampleCustom.length).toBeGreaterThan(0);
    expect(Object.keys(plain.fields).filter((k) => UUID.test(k)).length).toBe(Object.keys(seedFieldIds).length);

    const some = await search(
      sb,
      { id: [seedIds.featureWithSubfeatures] },
      { fields: ['name', seedFieldIds.impact, seedFieldIds.jiraKey] },
    );
    expect(some.status).toBe(200);
    expect(some.body.data[0].fields).toEqual({
      name: 'Custom hub themes',
      [seedFieldIds.impact]: { id: optionId(seedFieldIds.impact, 'High'), name: 'High' },
      [seedFieldIds.jiraKey]: null,
    });
  });

  it('links features to releases with `link` relationships, next to their initiative', async () => {
    const r = (await pb(sb, 'GET', `/v2/entities/${seedIds.releasedFeature}/relationships?type=link`)).body.data;
    expect(r.map((x: { target: { id: string; type: string } }) => [x.target.type, x.target.id]).sort()).toEqual(
      [
        ['initiative', seedIds.initiatives.costReporting],
        ['release', seedIds.releases.r2026_1],
      ].sort(),
    );
    const release = (await pb(sb, 'GET', `/v2/entities/${seedIds.releases.r2026_1}`)).body.data;
    expect(release.fields).toMatchObject({
      name: '2026.1',
      status: { name: 'Released' },
      timeframe: { startDate: '2026-01-01', endDate: '2026-03-31' },
    });
    expect(release.relationships.data).toContainEqual(
      expect.objectContaining({ type: 'parent', target: expect.objectContaining({ id: seedIds.releaseGroup }) }),
    );
  });

  it('searches by custom field values as EntitySearchFieldFilters describes, per field type', async () => {
    const high = await search(sb, { fields: { [seedFieldIds.impact]: { name: 'High' } } });
    expect(high.status).toBe(200);
    expect(ids(high.body)).toEqual([seedIds.featureWithSubfeatures, seedIds.releasedFeature, seedIds.inProgressFeature].sort());
    const byId = await search(sb, { fields: { [seedFieldIds.impact]: { id: optionId(seedFieldIds.impact, 'High') } } });
    expect(ids(byId.body)).toEqual(ids(high.body));
    const number = await search(sb, { fields: { [seedFieldIds.effortDays]: { eq: 8 } } });
    expect(ids(number.body)).toEqual([seedIds.releasedFeature]);
    const text = await search(sb, { fields: { [seedFieldIds.releaseNote]: { contains: 'PER COMMUNITY' } } });
    expect(ids(text.body)).toEqual([seedIds.releasedFeature]);
    const date = await search(sb, { fields: { [seedFieldIds.targetDate]: { eq: '2026-03-31' } } });
    expect(ids(date.body)).toEqual([seedIds.inProgressFeature]);
    const any = await search(sb, { fields: { [seedFieldIds.platforms]: { any: [{ name: 'CLI' }, { name: 'Mobile' }] } } });
    expect(any.body.data.map((e: { fields: { name: string } }) => e.fields.name).sort()).toEqual([
      'Per-hub environment images',
      'Screen-reader labels in the portal',
    ]);
    const all = await search(sb, { fields: { [seedFieldIds.platforms]: { all: [{ name: 'Web' }, { name: 'API' }] } } });
    expect(all.body.data.map((e: { fields: { name: string } }) => e.fields.name)).toEqual(['Monthly cost export (CSV)']);
    const tags = await search(sb, { fields: { tags: { all: [{ name: 'billing' }, { id: tagId('export') }] } } });
    expect(tags.body.data.map((e: { fields: { name: string } }) => e.fields.name)).toEqual(['Monthly cost export (CSV)']);
    const unset = await search(sb, { fields: { [seedFieldIds.impact]: { isSet: false } }, archived: false });
    expect(unset.body.data.map((e: { id: string }) => e.id)).toContain(seedIds.unparentedFeature);
    expect(unset.body.data.map((e: { id: string }) => e.id)).not.toContain(seedIds.releasedFeature);
    // Several entries AND together.
    const both = await search(sb, {
      fields: { [seedFieldIds.impact]: { name: 'High' }, [seedFieldIds.valueStream]: { name: 'Cost transparency' } },
    });
    expect(ids(both.body)).toEqual([seedIds.releasedFeature]);
  });

  it('refuses a custom field filter whose keys do not fit the field type, or an unknown field, with a 400 naming it', async () => {
    for (const [field, value] of [
      [seedFieldIds.effortDays, { contains: '8' }],
      [seedFieldIds.impact, { id: optionId(seedFieldIds.impact, 'High'), name: 'High' }],
      [seedFieldIds.platforms, { any: [{ name: 'Web' }], all: [{ name: 'API' }] }],
      [seedFieldIds.targetDate, { eq: '31/03/2026' }],
      [seedFieldIds.impact, { isSet: true, name: 'High' }],
      ['00000000-0000-4000-8000-000000000000', { isSet: true }],
    ] as const) {
      const r = await search(sb, { fields: { [field]: value } });
      expect(r.status, JSON.stringify(value)).toBe(400);
      expect(r.body.errors[0].source.pointer).toBe(`/data/filter/fields/${field}`);
      expect(spec.response('/entities/search', 'post', 400, r.body)).toEqual([]);
    }
  });

  it('filters by owner (email or member id) and by metadata.source', async () => {
    const lea = await search(sb, { fields: { owner: [{ email: 'LEA.SCHNEIDER@hubco.example' }] } });
    expect(lea.body.data.map((e: { fields: { name: string } }) => e.fields.name).sort()).toEqual([
      'Monthly cost export (CSV)',
      'Screen-reader labels in the portal',
      'Usage dashboard per community',
    ]);
    const byMember = await search(sb, { fields: { owner: [{ id: lea.body.data[0].fields.owner.id }] } });
    expect(ids(byMember.body)).toEqual(ids(lea.body));
    const viaGet = await pb(sb, 'GET', '/v2/entities?type[]=feature&owner[email]=lea.schneider@hubco.example');
    expect(ids(viaGet.body)).toEqual(ids(lea.body));

    const none = await search(sb, { metadata: { source: { system: 'Jira' } } });
    expect(none.body.data).toEqual([]);
    const patched = await pb(sb, 'PATCH', `/v2/entities/${seedIds.plainFeature}`, {
      data: { metadata: { source: { system: 'Jira', recordId: 'PBJ-7' } } },
    });
    expect(patched.status).toBe(200);
    const found = await search(sb, { metadata: { source: { recordId: 'PBJ-7' } } });
    expect(ids(found.body)).toEqual([seedIds.plainFeature]);
    expect(found.body.data[0].metadata).toEqual({ source: { system: 'Jira', recordId: 'PBJ-7' } });
    expect(spec.response('/entities/search', 'post', 200, found.body)).toEqual([]);
    const viaQuery = await pb(sb, 'GET', '/v2/entities?type[]=feature&metadata[source][system]=Jira');
    expect(ids(viaQuery.body)).toEqual([seedIds.plainFeature]);
  });
});
