import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/ledger/ledger.js';
import { removedBy, sourceGraph, sourceRows } from '../../../src/ledger/views.js';
import { applyDelta, type RejectedItem, type SourceDelta, type SourceGraph, type SourceNote } from '../../../src/model/source.js';
import { item, uuid } from '../../helpers/builders.js';

// The Productboard view an incremental pass merges (sync.incrementalProductboard): records it could not read are
// kept like the others, notes and entities without an id included, and a record read again replaces what was known.

const note = (id: string, linkedIds: string[] = []): SourceNote => ({ id, name: 'Call', url: null, linkedIds, createdAt: null });
const rejected = (id: string, type: string, name: string, reason: string): RejectedItem => ({ id, type, name, reason });
const delta = (partial: Partial<SourceDelta>): SourceDelta => ({
  items: new Map(),
  rejected: [],
  notes: [],
  archivedNoteIds: [],
  ...partial,
});

const feature = item({ id: uuid(1), type: 'feature', name: 'Fine' });
const base: SourceGraph = {
  items: new Map([[feature.id, feature]]),
  notes: [note(uuid(10), [feature.id])],
  rejected: [
    rejected(uuid(2), 'feature', 'Broken', 'empty name'),
    rejected(uuid(11), 'note', 'Unreadable', 'relationship target.id: Required'),
    rejected('', 'feature', 'First without id', 'no id'),
    rejected('', 'feature', 'Second without id', 'no id'),
  ],
};
const change = delta({
  // The broken feature and the unreadable note were fixed; the good note broke.
  items: new Map([[uuid(2), item({ id: uuid(2), type: 'feature', name: 'Fixed' })]]),
  notes: [note(uuid(11), [feature.id])],
  rejected: [rejected(uuid(10), 'note', 'Call', 'no id')],
});

function expectMerged(graph: SourceGraph): void {
  expect([...graph.items.keys()].sort()).toEqual([uuid(1), uuid(2)]);
  expect(graph.notes.map((n) => n.id)).toEqual([uuid(11)]);
  expect(graph.rejected.map((r) => [r.id, r.name]).sort()).toEqual([
    ['', 'First without id'],
    ['', 'Second without id'],
    [uuid(10), 'Call'],
  ]);
}

describe('nothing dropped silently, between passes too', () => {
  it('applyDelta: two records without an id stay two; a record read again replaces its rejection, a rejection its record', () => {
    expectMerged(applyDelta(base, change));
  });

  it('the ledger keeps the same view as applyDelta computes', () => {
    const ledger = Ledger.open(join(mkdtempSync(join(tmpdir(), 'pbjs-view-')), 'ledger.sqlite'));
    const cursor = { readStartedAt: 1, fullReadAt: 1, scope: 's' };
    ledger.source.saveFull(sourceRows(base), cursor);
    expect(sourceGraph(ledger.source.load()).rejected).toHaveLength(4);
    ledger.source.saveDelta(sourceRows(change), removedBy(change), cursor);
    expectMerged(sourceGraph(ledger.source.load()));
    ledger.close();
  });
});
