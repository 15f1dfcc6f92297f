import { describe, expect, it } from 'vitest';
import { buildSeedWorkspace, generateWorkspace, PbState, seedIds } from '../../src/sandbox/index.js';

describe('seed workspace', () => {
  const state = new PbState(buildSeedWorkspace());

  it('is deterministic', () => {
    expect(buildSeedWorkspace()).toEqual(buildSeedWorkspace());
  });

  it('has the required shape and special items', () => {
    const features = state.list('feature');
    const initiatives = state.list('initiative');
    expect(initiatives.map((i) => i.name).sort()).toEqual([
      'Accessibility',
      'Partner onboarding',
      'Reliable cost reporting',
      'Self-service hub customization',
    ]);
    expect(features.length).toBeGreaterThanOrEqual(12);
    expect(state.list('subfeature').length).toBeGreaterThanOrEqual(8);
    expect(state.listNotes().length).toBeGreaterThanOrEqual(15);
    expect(
      state
        .list('product')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['Community Portal', 'Hub Platform']);

    const linkCount = (id: string) => state.get(id)?.linkedIds.filter((l) => state.get(l)?.type === 'initiative').length;
    expect(linkCount(seedIds.unparentedFeature)).toBe(0);
    expect(linkCount(seedIds.ambiguousFeature)).toBe(2);
    const normal = features.filter((f) => f.id !== seedIds.unparentedFeature && f.id !== seedIds.ambiguousFeature);
    expect(normal.every((f) => linkCount(f.id) === 1)).toBe(true);

    const archived = state.get(seedIds.archivedFeature);
    expect(archived?.archived).toBe(true);
    expect(archived?.childIds).toEqual([seedIds.archivedFeatureSubfeature]);
    expect(state.get(seedIds.featureWithSubfeatures)?.childIds).toEqual(seedIds.subfeaturesOfFeature);
    expect(state.get(seedIds.releasedFeature)?.status).toBe('Released');
    expect(state.get(seedIds.inProgressFeature)?.status).toBe('In progress');
    expect(features.some((f) => f.tags.includes('mobile app'))).toBe(true);
    expect(features.some((f) => f.timeframe)).toBe(true);

    const notesPerFeature = new Map<string, number>();
    for (const n of state.listNotes()) for (const l of n.linkedIds) notesPerFeature.set(l, (notesPerFeature.get(l) ?? 0) + 1);
    expect(features.some((f) => !notesPerFeature.has(f.id))).toBe(true);
    expect(Math.max(...notesPerFeature.values())).toBeGreaterThan(1);
    expect(state.getNote(seedIds.noteLinkedToTwoFeatures)?.linkedIds).toHaveLength(2);
  });

  it('uses only the rich-text tags Productboard accepts', () => {
    const allowed = new Set(['p', 'b', 'i', 'u', 's', 'code', 'h1', 'h2', 'ul', 'ol', 'li', 'pre', 'blockquote', 'hr', 'a']);
    const html = [...state.list().map((e) => e.descriptionHtml), ...state.listNotes().map((n) => n.contentHtml)].join('');
    const used = new Set([...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
    for (const t of used) expect(allowed).toContain(t);
    for (const t of allowed) expect(used).toContain(t);
  });
});

describe('generateWorkspace', () => {
  it('produces the default volume quickly and deterministically', () => {
    const t0 = Date.now();
    const ws = generateWorkspace();
    const ms = Date.now() - t0;
    // A guard against a pathological slowdown (`npm run bench` measures): a few hundred ms when idle, generous for a
    // busy machine.
    expect(ms).toBeLessThan(20_000);
    const count = (type: string) => ws.entities.filter((e) => e.type === type).length;
    expect(count('initiative')).toBe(1000);
    expect(count('feature')).toBe(10000);
    expect(count('subfeature')).toBe(5000);
    expect(ws.notes).toHaveLength(20000);
    const features = ws.entities.filter((e) => e.type === 'feature');
    expect(features.every((f) => f.linkedIds?.length === 1)).toBe(true);
    expect(ws.notes.every((n) => n.linkedIds.length >= 1 && n.linkedIds.length <= 2)).toBe(true);
    const small = generateWorkspace({ initiatives: 3, features: 20, subfeatures: 5, notes: 10, seed: 9 });
    expect(small).toEqual(generateWorkspace({ initiatives: 3, features: 20, subfeatures: 5, notes: 10, seed: 9 }));
    expect(small).not.toEqual(generateWorkspace({ initiatives: 3, features: 20, subfeatures: 5, notes: 10, seed: 10 }));
  });
});
