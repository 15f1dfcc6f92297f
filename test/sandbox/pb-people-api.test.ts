import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedIds, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { serveSandbox } from '../../src/sandbox/serve.js';
import { pb } from './helpers.js';

// The people's write API under /_sandbox/: drift made by hand shows up in the v2 API like a UI change would.

describe('Productboard sandbox: write API for people', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });
  const post = (path: string, body?: unknown) => pb(sb, 'POST', `/_sandbox/entities/${path}`, body);

  it('renames and archives; the v2 API and an incremental search see it', async () => {
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const renamed = await post(`${seedIds.plainFeature}/rename`, { name: 'Invite many users at once' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ id: seedIds.plainFeature, name: 'Invite many users at once' });
    expect((await post(`${seedIds.unparentedFeature}/archive`)).body.data.archived).toBe(true);
    expect((await post(`${seedIds.unparentedFeature}/archive`, { archived: false })).body.data.archived).toBe(false);
    const changed = await pb(sb, 'POST', '/v2/entities/search', { data: { filter: { type: ['feature'], updatedAt: { from: since } } } });
    expect(changed.body.data.map((e: { id: string }) => e.id).sort()).toEqual([seedIds.plainFeature, seedIds.unparentedFeature].sort());
    expect((await pb(sb, 'GET', `/v2/entities/${seedIds.plainFeature}`)).body.data.fields.name).toBe('Invite many users at once');
  });

  it('relinks a feature from one initiative to another and moves a subfeature to another feature', async () => {
    const f = seedIds.plainFeature;
    const r = await post(`${f}/relink`, { unlink: seedIds.initiatives.partnerOnboarding, link: seedIds.initiatives.selfService });
    expect(r.status, r.text).toBe(200);
    const links = (await pb(sb, 'GET', `/v2/entities/${f}/relationships?type=link&target[type]=initiative`)).body.data;
    expect(links.map((l: { target: { id: string } }) => l.target.id)).toEqual([seedIds.initiatives.selfService]);
    const sub = seedIds.subfeaturesOfFeature[2];
    expect((await post(`${sub}/relink`, { parent: seedIds.inProgressFeature })).body.data.parentId).toBe(seedIds.inProgressFeature);
    // What the UI would not allow is refused, with the reason.
    const wrong = await post(`${sub}/relink`, { parent: seedIds.initiatives.accessibility });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].detail).toMatch(/cannot have a initiative as parent/);
  });

  it('changes a custom field by name, and a status; refuses unknown options and statuses', async () => {
    const f = seedIds.releasedFeature;
    const r = await post(`${f}/field`, { field: 'Impact', value: 'Low' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.data.customFields.Impact).toBe('Low');
    expect((await post(`${f}/field`, { field: 'Platforms', value: ['API', 'CLI'] })).body.data.customFields.Platforms).toEqual([
      'API',
      'CLI',
    ]);
    expect((await post(`${f}/field`, { field: 'Impact', value: null })).body.data.customFields.Impact).toBeUndefined();
    expect((await post(`${f}/field`, { field: 'Impact', value: 'Huge' })).status).toBe(422);
    expect((await post(`${f}/field`, { field: 'No such field', value: 1 })).status).toBe(422);
    expect((await post(`${f}/status`, { status: 'In progress' })).body.data.status).toBe('In progress');
    const bad = await post(`${f}/status`, { status: 'Done' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].detail).toContain('New idea');
  });

  it('lists ids with their custom fields, merges, and refuses unknown entities, bad bodies and missing tokens', async () => {
    const list = await pb(sb, 'GET', '/_sandbox/entities?type=initiative');
    expect(list.body.data.map((e: { name: string }) => e.name).sort()).toEqual([
      'Accessibility',
      'Partner onboarding',
      'Reliable cost reporting',
      'Self-service hub customization',
    ]);
    const extra = sb.productboard.state.addEntity({
      type: 'feature',
      name: 'Duplicate idea',
      parentId: seedIds.components.docs,
      status: 'New idea',
    });
    const merged = await post(`${extra}/merge`, { into: seedIds.unparentedFeature });
    expect(merged.status).toBe(200);
    expect(merged.body.data.id).toBe(seedIds.unparentedFeature);
    expect(sb.productboard.state.get(extra)).toBeUndefined();
    expect((await pb(sb, 'GET', `/v2/entities/${extra}`)).status).toBe(404);
    expect(sb.productboard.state.mergedTarget(extra)).toBe(seedIds.unparentedFeature);
    expect((await post('00000000-0000-4000-8000-000000000000/rename', { name: 'x' })).status).toBe(404);
    expect((await post(`${seedIds.plainFeature}/rename`, { name: '' })).status).toBe(400);
    expect((await post(`${seedIds.plainFeature}/rename`, '{"name": ')).status).toBe(400);
    expect((await pb(sb, 'POST', `/_sandbox/entities/${seedIds.plainFeature}/rename`, { name: 'x' }, 'wrong')).status).toBe(401);
    // Outside /_sandbox/ and /v2/ the v1 retirement answer stands.
    expect((await pb(sb, 'GET', '/features')).status).toBe(410);
  });

  it('serveSandbox prints the routes as shell comments after the env block', async () => {
    const lines: string[] = [];
    const served = await serveSandbox({
      print: (l) => lines.push(l),
      format: 'shell',
      generate: { initiatives: 1, features: 2, subfeatures: 0, notes: 0, seed: 1 },
    });
    try {
      const help = lines.filter((l) => l.includes('/_sandbox/'));
      expect(help.length).toBeGreaterThanOrEqual(7);
      expect(help.every((l) => l.startsWith('#'))).toBe(true);
      expect(help.join('\n')).toMatch(/rename[\s\S]*archive[\s\S]*relink[\s\S]*field/);
    } finally {
      await served.close();
    }
  });
});
