import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { optionId, PB_READ_ONLY_SCOPES, seedFieldIds, seedIds, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { pb, type Reply } from './helpers.js';
import { pbSpec, shapeOf } from './openapi-check.js';

// PATCH /v2/entities/{id} against entities.openapi.json (EntityPatchRequestBody, EntityUpdateResponse, error responses).

const spec = pbSpec('entities');
const patch = (sb: Sandbox, id: string, data: unknown) => pb(sb, 'PATCH', `/v2/entities/${id}`, { data });
const tick = () => new Promise((r) => setTimeout(r, 5));

function expectError(r: Reply, status: number, code: string, pointer?: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.body.errors[0].code).toBe(code);
  if (pointer !== undefined) expect(r.body.errors[0].source?.pointer).toBe(pointer);
  expect(spec.response('/entities/{id}', 'patch', status, r.body)).toEqual([]);
}

describe('Productboard entity updates (PATCH /v2/entities/{id})', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox();
  });
  afterEach(async () => {
    await sb.close();
  });

  it('replaces values given in `fields`: custom fields of every kind, status by name, owner by email; answers the reference only', async () => {
    const id = seedIds.plainFeature;
    const before = sb.productboard.state.get(id)!.updatedAt;
    await tick();
    const r = await patch(sb, id, {
      fields: {
        [seedFieldIds.jiraKey]: 'PBJ-7',
        [seedFieldIds.jiraStatus]: { value: 'In Progress', metadata: { source: { system: 'Jira' }, isViewableOnly: true } },
        [seedFieldIds.deliveryProgress]: 40,
        [seedFieldIds.impact]: { name: 'Low' },
        [seedFieldIds.platforms]: [{ name: 'API' }, { id: optionId(seedFieldIds.platforms, 'CLI') }],
        [seedFieldIds.engineeringLead]: { email: 'lea.schneider@hubco.example' },
        [seedFieldIds.targetDate]: '2026-09-30',
        status: { name: 'Planned' },
        owner: { email: 'Tom.Okafor@hubco.example' },
      },
    });
    expect(r.status, r.text).toBe(200);
    expect(spec.response('/entities/{id}', 'patch', 200, r.body)).toEqual([]);
    expect(shapeOf(r.body)).toEqual(shapeOf(spec.examples('/entities/{id}', 'patch', 200)['default']));
    expect(r.body).toEqual({
      data: { id, type: 'feature', links: { self: `${sb.productboard.url}/v2/entities/${id}`, html: expect.stringContaining(id) } },
    });

    const view = sb.productboard.state.get(id)!;
    expect(view.customFields).toMatchObject({
      'Jira key': 'PBJ-7',
      'Jira status': 'In Progress',
      'Delivery progress': 40,
      Impact: 'Low',
      Platforms: ['API', 'CLI'],
      'Engineering lead': 'lea.schneider@hubco.example',
      'Target date': '2026-09-30',
    });
    expect(view.status).toBe('Planned');
    expect(view.ownerEmail).toBe('tom.okafor@hubco.example');
    expect(Date.parse(view.updatedAt)).toBeGreaterThan(Date.parse(before));

    const read = (await pb(sb, 'GET', `/v2/entities/${id}`)).body.data.fields;
    expect(read[seedFieldIds.jiraKey]).toBe('PBJ-7');
    expect(read[seedFieldIds.impact]).toEqual({ id: optionId(seedFieldIds.impact, 'Low'), name: 'Low' });
    // And an incremental search finds it.
    const since = await pb(sb, 'POST', '/v2/entities/search', { data: { filter: { type: ['feature'], updatedAt: { from: before } } } });
    expect(since.body.data.map((e: { id: string }) => e.id)).toContain(id);
  });

  it('clears with null, and a PATCH that changes nothing leaves updatedAt alone', async () => {
    const id = seedIds.releasedFeature;
    const r = await patch(sb, id, {
      fields: { [seedFieldIds.releaseNote]: null, [seedFieldIds.impact]: null, timeframe: null, owner: null },
    });
    expect(r.status, r.text).toBe(200);
    const view = sb.productboard.state.get(id)!;
    expect(view.customFields['Release note']).toBeUndefined();
    expect(view.customFields['Impact']).toBeUndefined();
    expect(view.timeframe).toBeUndefined();
    expect(view.ownerEmail).toBeUndefined();

    const stamp = view.updatedAt;
    await tick();
    const same = await patch(sb, id, { fields: { name: view.name, [seedFieldIds.effortDays]: 8 } });
    expect(same.status).toBe(200);
    expect(sb.productboard.state.get(id)!.updatedAt).toBe(stamp);
  });

  it('applies `patch` operations in order: set, clear, addItems and removeItems on tags and multi selects, a timeframe end', async () => {
    const id = seedIds.featureWithSubfeatures;
    const r = await patch(sb, id, {
      patch: [
        { op: 'addItems', path: 'tags', value: [{ name: 'q3' }] },
        { op: 'removeItems', path: 'tags', value: [{ name: 'ux' }] },
        { op: 'addItems', path: seedFieldIds.platforms, value: [{ name: 'CLI' }, { name: 'Web' }] },
        { op: 'removeItems', path: seedFieldIds.platforms, value: [{ name: 'Web' }] },
        { op: 'set', path: seedFieldIds.effortDays, value: 21 },
        { op: 'clear', path: seedFieldIds.targetDate },
        { op: 'clear', path: 'timeframe.startDate' },
      ],
    });
    expect(r.status, r.text).toBe(200);
    const view = sb.productboard.state.get(id)!;
    expect(view.tags).toEqual(['theming', 'q3']);
    expect(view.customFields['Platforms']).toEqual(['CLI']);
    expect(view.customFields['Effort (days)']).toBe(21);
    expect(view.customFields['Target date']).toBeUndefined();
    expect(view.timeframe).toEqual({ endDate: '2026-03-31', granularity: 'quarter' });
    const read = (await pb(sb, 'GET', `/v2/entities/${id}`)).body;
    expect(spec.response('/entities/{id}', 'get', 200, read)).toEqual([]);
    expect(read.data.fields.timeframe).toEqual({ endDate: '2026-03-31', granularity: 'quarter' });
  });

  it("refuses `fields` and `patch` together, as the operation's description says; accepts them when told to follow the `combined` example", async () => {
    const id = seedIds.plainFeature;
    const body = { fields: { name: 'Both ways' }, patch: [{ op: 'set', path: seedFieldIds.effortDays, value: 3 }] };
    expectError(await patch(sb, id, body), 400, 'request.invalid', '/data/patch');
    expect(sb.productboard.state.get(id)!.name).toBe('Bulk user invitations');
    sb.productboard.behaviour.patchWithFieldsAndPatch = 'accept';
    const r = await patch(sb, id, body);
    expect(r.status).toBe(200);
    expect(sb.productboard.state.get(id)).toMatchObject({ name: 'Both ways', customFields: { 'Effort (days)': 3 } });
  });

  it('answers 400 for malformed values and 422 for values the workspace cannot take, naming the field; nothing changes', async () => {
    const id = seedIds.plainFeature;
    const before = JSON.stringify(sb.productboard.state.get(id));
    expectError(
      await patch(sb, id, { fields: { [seedFieldIds.effortDays]: 'five' } }),
      400,
      'request.invalid',
      `/data/fields/${seedFieldIds.effortDays}`,
    );
    expectError(await patch(sb, id, { fields: { name: 42 } }), 400, 'request.invalid', '/data/fields/name');
    expectError(await patch(sb, id, { fields: { [seedFieldIds.targetDate]: '30.09.2026' } }), 400, 'request.invalid');
    expectError(await patch(sb, id, { fields: { [seedFieldIds.releaseNote]: 'x'.repeat(256) } }), 400, 'request.invalid');
    expectError(
      await patch(sb, id, { fields: { 'c0ffee00-0000-4000-8000-000000000000': 1 } }),
      422,
      'validation.failed',
      '/data/fields/c0ffee00-0000-4000-8000-000000000000',
    );
    expectError(
      await patch(sb, id, { fields: { [seedFieldIds.impact]: { name: 'Huge' } } }),
      422,
      'validation.failed',
      `/data/fields/${seedFieldIds.impact}`,
    );
    // Names match exactly: "In Progress" is not a feature status here.
    const status = await patch(sb, id, { fields: { status: { name: 'In Progress' } } });
    expectError(status, 422, 'validation.failed', '/data/fields/status');
    expect(status.body.errors[0].detail).toContain('In progress');
    expectError(await patch(sb, id, { fields: { owner: { email: 'stranger@elsewhere.example' } } }), 422, 'validation.referenceNotFound');
    expectError(await patch(sb, id, { fields: { name: null } }), 422, 'validation.failed', '/data/fields/name');
    expectError(await patch(sb, id, { fields: { name: '   ' } }), 422, 'validation.failed');
    expectError(
      await patch(sb, id, { patch: [{ op: 'addItems', path: seedFieldIds.impact, value: [{ name: 'Low' }] }] }),
      422,
      'validation.failed',
    );
    expectError(await patch(sb, id, { patch: [{ op: 'replace', path: 'name', value: 'x' }] }), 400, 'request.invalid', '/data/patch/0/op');
    expectError(
      await patch(sb, id, { patch: [{ op: 'clear', path: 'description', value: 'x' }] }),
      400,
      'request.invalid',
      '/data/patch/0/value',
    );
    expectError(
      await patch(sb, id, { fields: { timeframe: { startDate: '2026-05-01', endDate: '2026-04-01' } } }),
      422,
      'validation.failed',
    );
    expectError(await patch(sb, id, {}), 400, 'request.invalid', '/data');
    // A field of another type: Release note is a feature field, not an initiative one.
    expectError(
      await patch(sb, seedIds.initiatives.accessibility, { fields: { [seedFieldIds.releaseNote]: 'x' } }),
      422,
      'validation.failed',
    );
    expect(JSON.stringify(sb.productboard.state.get(id))).toBe(before);
    const malformed = await pb(sb, 'PATCH', `/v2/entities/${id}`, '{"data": {');
    expectError(malformed, 400, 'request.malformed');
  });

  it('answers 404 for a deleted entity and 403 for a token without entities:write, changing nothing', async () => {
    const doomed = sb.productboard.state.addEntity({
      type: 'feature',
      name: 'Doomed',
      parentId: seedIds.components.docs,
      status: 'Candidate',
    });
    sb.productboard.state.delete(doomed);
    const gone = await patch(sb, doomed, { fields: { name: 'Back?' } });
    expectError(gone, 404, 'resource.notFound');

    sb.productboard.behaviour.tokenScopes = [...PB_READ_ONLY_SCOPES];
    const denied = await patch(sb, seedIds.plainFeature, { fields: { [seedFieldIds.jiraKey]: 'PBJ-1' } });
    expectError(denied, 403, 'auth.accessDenied');
    expect(denied.body.errors[0].detail).toContain('entities:write');
    expect(sb.productboard.state.get(seedIds.plainFeature)!.customFields['Jira key']).toBeUndefined();
    // Reads still work with a read-only token.
    expect((await pb(sb, 'GET', `/v2/entities/${seedIds.plainFeature}`)).status).toBe(200);
  });
});
