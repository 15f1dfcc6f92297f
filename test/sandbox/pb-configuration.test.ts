import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_STATUSES, INITIATIVE_STATUSES, seedFieldIds, startSandbox, statusId, type Sandbox } from '../../src/sandbox/index.js';
import { pb } from './helpers.js';
import { keysOf, pbSpec } from './openapi-check.js';

// GET /v2/entities/configurations[/{type}] and GET /v2/entities/fields/{id}/values against entities.openapi.json.

const spec = pbSpec('entities');

describe('the OpenAPI checker', () => {
  it('rejects what the specs forbid: a wrong enum, a missing required key, a bad format, a too long string', () => {
    expect(spec.response('/entities/configurations/{type}', 'get', 200, { data: { type: 'epic' } }).join()).toMatch(/allowed values/);
    expect(spec.schema('ConfigurationField', { id: 'name', name: 'Name', path: '/fields/name' }).join()).toMatch(/schema/);
    expect(spec.schema('MemberFieldValue', { id: 'not-a-uuid', email: 'a@b.example' }).join()).toMatch(/format/);
    expect(spec.schema('Error', { code: 'x', title: 't'.repeat(256), detail: 'd' }).join()).toMatch(/255/);
    expect(
      pbSpec('plugin-integrations')
        .schema('ConnectedState', {
          state: 'connected',
          label: 'x',
          hoverLabel: 'y',
          tooltip: 'z',
          color: 'pink',
          targetUrl: 'https://x.example',
        })
        .join(),
    ).toMatch(/allowed values/);
  });
});

describe('Productboard workspace configuration', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  it('gives each type its own status set: features and subfeatures share one, initiatives have Not started / In progress / Completed', async () => {
    const feature = await pb(sb, 'GET', '/v2/entities/configurations/feature');
    expect(feature.status).toBe(200);
    expect(spec.response('/entities/configurations/{type}', 'get', 200, feature.body)).toEqual([]);
    const featureStatus = feature.body.data.fields.status;
    expect(featureStatus.values.data.map((v: { name: string }) => v.name)).toEqual([...FEATURE_STATUSES]);
    expect(featureStatus.values.data[0]).toEqual({
      id: statusId('feature', 'New idea'),
      name: 'New idea',
      assignedEntityTypes: ['feature', 'subfeature'],
    });

    const initiative = (await pb(sb, 'GET', '/v2/entities/configurations/initiative')).body.data;
    const names = initiative.fields.status.values.data.map((v: { name: string }) => v.name);
    expect(names).toEqual([...INITIATIVE_STATUSES]);
    const inProgress = (cfg: { fields: { status: { values: { data: Array<{ id: string; name: string }> } } } }) =>
      cfg.fields.status.values.data.find((v) => v.name === 'In progress')?.id;
    // Same name, different value: an initiative's "In progress" is not a feature's.
    expect(inProgress(initiative)).toBe(statusId('initiative', 'In progress'));
    expect(inProgress(initiative)).not.toBe(inProgress(feature.body.data));
    // The ids are those entities carry.
    const started = sb.productboard.state.list('initiative').find((i) => i.status === 'In progress');
    const entity = (await pb(sb, 'GET', `/v2/entities/${started?.id ?? ''}`)).body.data;
    expect(entity.fields.status.id).toBe(inProgress(initiative));

    const component = (await pb(sb, 'GET', '/v2/entities/configurations/component')).body.data;
    expect(component.fields.status).toBeUndefined();
  });

  it('describes custom fields of every kind by id, with option names, as ConfigurationField shapes them', async () => {
    const cfg = (await pb(sb, 'GET', '/v2/entities/configurations/feature')).body.data;
    const f = cfg.fields;
    expect(f[seedFieldIds.impact]).toMatchObject({
      id: seedFieldIds.impact,
      name: 'Impact',
      path: `/fields/${seedFieldIds.impact}`,
      schema: { type: 'object', required: ['id', 'name'] },
      lifecycle: { update: { set: true, clear: true }, patch: { set: true, clear: true } },
    });
    expect(f[seedFieldIds.impact].values.data.map((o: { name: string }) => o.name)).toEqual(['Low', 'Medium', 'High']);
    expect(f[seedFieldIds.platforms].schema.type).toBe('array');
    expect(f[seedFieldIds.platforms].lifecycle.patch).toEqual({ set: true, clear: true, addItems: true, removeItems: true });
    expect(f[seedFieldIds.effortDays].schema).toEqual({ type: 'number' });
    expect(f[seedFieldIds.releaseNote].schema).toEqual({ type: 'string', maxLength: 255 });
    expect(f[seedFieldIds.targetDate].schema).toEqual({ type: 'string', format: 'date' });
    expect(f[seedFieldIds.engineeringLead].schema.required).toEqual(['id', 'email']);
    // Every field has what the spec's example shows for one.
    const example = (
      spec.examples('/entities/configurations/{type}', 'get', 200)['default'] as { data: { fields: Record<string, unknown> } }
    ).data;
    for (const field of Object.values(f)) {
      for (const key of ['id', 'name', 'path', 'schema', 'lifecycle']) expect(field).toHaveProperty(key);
      expect(
        keysOf(field).every((k) => ['id', 'name', 'path', 'schema', 'lifecycle', 'constraints', 'values', 'links', 'default'].includes(k)),
      ).toBe(true);
    }
    expect(keysOf(cfg)).toEqual([...new Set([...keysOf(example), 'filters'])].sort());
    // Relationships as the spec's feature example has them.
    expect(cfg.relationships.parent).toEqual({ targetType: ['component', 'product'], cardinality: 'single', mandatory: false });
    expect(cfg.relationships.link.targetType).toEqual(['initiative', 'release', 'feature']);
    expect(cfg.filters.find((x: { name: string }) => x.name === 'owner[email]').requiredScopes).toEqual(['members:pii:read']);
    // Fields not assigned to a type are not in its configuration.
    const initiative = (await pb(sb, 'GET', '/v2/entities/configurations/initiative')).body.data;
    expect(initiative.fields[seedFieldIds.effortDays]).toBeUndefined();
    expect(initiative.fields[seedFieldIds.valueStream].name).toBe('Value stream');
  });

  it('lists configurations, filtered by type[], as ConfigurationListResponse; refuses an unknown type', async () => {
    const all = await pb(sb, 'GET', '/v2/entities/configurations');
    expect(all.status).toBe(200);
    expect(spec.response('/entities/configurations', 'get', 200, all.body)).toEqual([]);
    expect(all.body.data.map((c: { type: string }) => c.type)).toContain('release');
    expect(all.body.links).toEqual({ next: null });
    const two = await pb(sb, 'GET', '/v2/entities/configurations?type[]=subfeature&type[]=initiative');
    expect(two.body.data.map((c: { type: string }) => c.type)).toEqual(['subfeature', 'initiative']);
    expect(two.body.data[0].relationships.parent).toEqual({ targetType: ['feature'], cardinality: 'single', mandatory: true });

    const bad = await pb(sb, 'GET', '/v2/entities/configurations/epic');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].source).toEqual({ parameter: 'type' });
    expect(spec.response('/entities/configurations/{type}', 'get', 400, bad.body)).toEqual([]);
  });

  it("names value schemas the way the Field Value Types guide shows them when asked to (behaviour 'named')", async () => {
    sb.productboard.behaviour.configurationSchemas = 'named';
    try {
      const f = (await pb(sb, 'GET', '/v2/entities/configurations/feature')).body.data.fields;
      expect(f.description.schema).toBe('RichTextFieldValue');
      expect(f.status.schema).toBe('StatusFieldValue');
      expect(f[seedFieldIds.impact].schema).toBe('SingleSelectFieldValue');
      expect(f[seedFieldIds.platforms].schema).toBe('MultiSelectFieldValue');
      expect(f[seedFieldIds.engineeringLead].schema).toBe('MemberFieldValue');
    } finally {
      sb.productboard.behaviour.configurationSchemas = 'inline';
    }
  });

  it('lists the values of a select and of the status field (by assigned type), as FieldValuesListResponse', async () => {
    const impact = await pb(sb, 'GET', `/v2/entities/fields/${seedFieldIds.impact}/values`);
    expect(impact.status).toBe(200);
    expect(spec.response('/entities/fields/{id}/values', 'get', 200, impact.body)).toEqual([]);
    expect(impact.body.data.map((v: { fields: { name: string } }) => v.fields.name)).toEqual(['Low', 'Medium', 'High']);

    const status = await pb(sb, 'GET', '/v2/entities/fields/status/values?assignedEntityType[]=initiative');
    expect(spec.response('/entities/fields/{id}/values', 'get', 200, status.body)).toEqual([]);
    expect(status.body.data.map((v: { fields: { name: string } }) => v.fields.name)).toEqual([...INITIATIVE_STATUSES]);
    expect(status.body.data[0].fields.assignedEntityTypes).toEqual(['initiative']);

    const tags = await pb(sb, 'GET', '/v2/entities/fields/tags/values');
    expect(tags.body.data.map((v: { fields: { name: string } }) => v.fields.name)).toContain('mobile app');

    const number = await pb(sb, 'GET', `/v2/entities/fields/${seedFieldIds.effortDays}/values`);
    expect(number.status).toBe(400);
    const unknown = await pb(sb, 'GET', '/v2/entities/fields/00000000-0000-4000-8000-000000000000/values');
    expect(unknown.status).toBe(404);
    expect(spec.response('/entities/fields/{id}/values', 'get', 404, unknown.body)).toEqual([]);
  });
});
