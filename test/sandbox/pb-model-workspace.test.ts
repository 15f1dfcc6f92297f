import { describe, expect, it } from 'vitest';
import { buildModelWorkspace, modelIds, modelOwners, PbState, startSandbox } from '../../src/sandbox/index.js';
import { pb } from './helpers.js';
import { pbSpec } from './openapi-check.js';

// The model workspace: objectives → initiatives → features → subfeatures with the seeds' drivers, investment and
// feature types, value streams, owners, releases, insights, and hierarchy defects on purpose.

const state = new PbState(buildModelWorkspace());
const features = state.list('feature');
const vsTag = (tags: string[]) => tags.find((t) => t.startsWith('vs:'));
const STREAM_TAG: Record<string, string> = {
  'Self-service': 'vs:self-service',
  Onboarding: 'vs:onboarding',
  'Cost transparency': 'vs:cost',
  Compute: 'vs:compute',
};
const insightsOf = (id: string) => state.listNotes().filter((n) => !n.archived && n.linkedIds.includes(id));

describe('model workspace', () => {
  it('is deterministic and small enough for fast e2e tests', () => {
    expect(buildModelWorkspace()).toEqual(buildModelWorkspace());
    const ws = buildModelWorkspace();
    expect(ws.entities.length).toBeGreaterThanOrEqual(30);
    expect(ws.entities.length).toBeLessThanOrEqual(60);
    expect(state.list('objective')).toHaveLength(3);
    expect(state.list('initiative')).toHaveLength(6);
    expect(features).toHaveLength(14);
    expect(state.list('subfeature')).toHaveLength(8);
  });

  it('links objectives → initiatives → features, and puts subfeatures under features', () => {
    const objectivesOf = (id: string) => state.get(id)!.linkedIds.filter((l) => state.get(l)?.type === 'objective');
    expect(objectivesOf(modelIds.initiatives.customise)).toEqual([modelIds.objectives.selfService]);
    const initiativesOf = (id: string) => state.get(id)!.linkedIds.filter((l) => state.get(l)?.type === 'initiative');
    expect(features.filter((f) => initiativesOf(f.id).length === 1).length).toBe(12);
    for (const s of state.list('subfeature')) expect(state.get(s.parentId!)?.type).toBe('feature');
  });

  it('gives every idea the four drivers: three selects, and request frequency from insights (0, 1–4 and 5+ all occur)', () => {
    for (const f of features) {
      expect(['Low', 'Medium', 'High']).toContain(f.customFields['Impact']);
      expect(['Low', 'Med', 'High']).toContain(f.customFields['Strategic alignment']);
      expect(['Low', 'Med', 'High']).toContain(f.customFields['Effort']);
    }
    const frequency = features.map((f) => insightsOf(f.id).length);
    expect(frequency.some((n) => n === 0)).toBe(true);
    expect(frequency.some((n) => n >= 1 && n <= 4)).toBe(true);
    expect(frequency.some((n) => n >= 5)).toBe(true);
    const theme = insightsOf(modelIds.features['Theme editor']!);
    expect(theme).toHaveLength(6);
    expect(new Set(theme.map((n) => n.customerId)).size).toBe(6);
    // Fewer customers than insights: one customer asked twice.
    const invites = insightsOf(modelIds.features['Invite timeout on large CSVs']!);
    expect(invites).toHaveLength(4);
    expect(new Set(invites.map((n) => n.customerId)).size).toBe(3);
  });

  it('classifies by investment type (all five) and feature type (Backlog item, Spike, Bug)', () => {
    expect(new Set(features.map((f) => f.customFields['Investment type']))).toEqual(
      new Set(['Perfective', 'Preventative', 'Adaptive', 'Corrective', 'Added value']),
    );
    expect(new Set(features.map((f) => f.customFields['Feature type']))).toEqual(new Set(['Backlog item', 'Spike', 'Bug']));
    for (const i of state.list('initiative')) expect(i.customFields['Investment type']).toBeDefined();
  });

  it('carries value streams as vs: tags and a select; they agree except where the defects say', () => {
    const d = modelIds.defects;
    const odd = new Set<string>([d.featureWithoutValueStream, d.featureWithConflictingValueStreams, d.featureWithValueStreamTagOnly]);
    for (const f of features.filter((x) => !odd.has(x.id)))
      expect(vsTag(f.tags)).toBe(STREAM_TAG[f.customFields['Value stream'] as string]);
    const none = state.get(d.featureWithoutValueStream)!;
    expect([vsTag(none.tags), none.customFields['Value stream']]).toEqual([undefined, undefined]);
    const conflicting = state.get(d.featureWithConflictingValueStreams)!;
    expect(vsTag(conflicting.tags)).not.toBe(STREAM_TAG[conflicting.customFields['Value stream'] as string]);
    const tagOnly = state.get(d.featureWithValueStreamTagOnly)!;
    expect([vsTag(tagOnly.tags), tagOnly.customFields['Value stream']]).toEqual(['vs:self-service', undefined]);
  });

  it('has owners who are Jira users and one who is not, member and date fields, and releases on features', () => {
    const owners = new Set(features.map((f) => f.ownerEmail));
    expect(owners).toEqual(new Set([modelOwners.maria, modelOwners.tom, modelOwners.lea, modelOwners.contractor]));
    expect(features.filter((f) => f.ownerEmail === modelOwners.contractor)).toHaveLength(1);
    expect(features.some((f) => typeof f.customFields['Engineering lead'] === 'string')).toBe(true);
    expect(features.some((f) => /^\d{4}-\d{2}-\d{2}$/.test(String(f.customFields['Target date'])))).toBe(true);
    const releaseLinked = features.filter((f) => f.linkedIds.some((l) => state.get(l)?.type === 'release'));
    expect(releaseLinked.length).toBeGreaterThanOrEqual(5);
    expect(state.list('subfeature').every((s) => s.customFields['Jira key'] === undefined)).toBe(true);
  });

  it('has the hierarchy defects on purpose', () => {
    const d = modelIds.defects;
    const linked = (id: string, type: string) => state.get(id)!.linkedIds.filter((l) => state.get(l)?.type === type);
    expect(linked(d.initiativeWithoutObjective, 'objective')).toHaveLength(0);
    expect(linked(d.initiativeWithTwoObjectives, 'objective')).toHaveLength(2);
    expect(linked(d.featureWithoutInitiative, 'initiative')).toHaveLength(0);
    expect(linked(d.featureWithTwoInitiatives, 'initiative')).toHaveLength(2);
    const archived = state.get(d.archivedFeatureWithLiveSubfeature)!;
    expect(archived.archived).toBe(true);
    expect(archived.childIds.map((c) => state.get(c)!.archived)).toEqual([false]);
  });

  it('is served like any workspace: its configuration names the drivers, and a search filters on them', async () => {
    const sb = await startSandbox({ workspace: buildModelWorkspace() });
    try {
      const cfg = await pb(sb, 'GET', '/v2/entities/configurations/feature');
      expect(pbSpec('entities').response('/entities/configurations/{type}', 'get', 200, cfg.body)).toEqual([]);
      const alignment = cfg.body.data.fields[modelIds.fields['Strategic alignment']];
      expect(alignment.values.data.map((o: { name: string }) => o.name)).toEqual(['Low', 'Med', 'High']);
      const objective = (await pb(sb, 'GET', '/v2/entities/configurations/objective')).body.data;
      expect(objective.fields.status.values.data.map((v: { name: string }) => v.name)).toEqual(['Not started', 'In progress', 'Completed']);
      const spikes = await pb(sb, 'POST', '/v2/entities/search', {
        data: { filter: { type: ['feature'], fields: { [modelIds.fields['Feature type']]: { name: 'Spike' } } } },
      });
      expect(spikes.body.data.map((e: { fields: { name: string } }) => e.fields.name).sort()).toEqual([
        'Currency conversion rules',
        'Theme import from CSS',
      ]);
    } finally {
      await sb.close();
    }
  });
});
