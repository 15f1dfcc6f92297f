import type { ObservedIssue } from '../model/observed.js';
import { rejectionKey, type RejectedItem, type SourceDelta, type SourceGraph, type SourceItem, type SourceNote } from '../model/source.js';
import type { CacheTable } from './incremental-cache.js';

// The two remote views the ledger keeps between passes, as rows of the generic incremental cache.

/** One stored piece of the Productboard view. */
export type SourceRow =
  { kind: 'item'; value: SourceItem } | { kind: 'rejected'; value: RejectedItem } | { kind: 'note'; value: SourceNote };

const sourceKey = (row: SourceRow): string =>
  row.kind === 'item' ? row.value.id : row.kind === 'rejected' ? `rejected:${rejectionKey(row.value)}` : `note:${row.value.id}`;

export const SOURCE_TABLE: CacheTable<SourceRow> = {
  table: 'source_items',
  cursorKey: 'source.cursor',
  key: sourceKey,
  kind: { of: (row) => row.kind, data: (row) => row.value, decode: (kind, data) => ({ kind, value: data }) as SourceRow },
};

export const JIRA_TABLE: CacheTable<ObservedIssue> = { table: 'jira_cache', cursorKey: 'jira.cursor', key: (issue) => issue.id };

export function sourceRows(graph: Pick<SourceGraph, 'items' | 'rejected' | 'notes'>): SourceRow[] {
  return [
    ...[...graph.items.values()].map((value) => ({ kind: 'item' as const, value })),
    ...graph.rejected.map((value) => ({ kind: 'rejected' as const, value })),
    ...graph.notes.map((value) => ({ kind: 'note' as const, value })),
  ];
}

export function sourceGraph(rows: readonly SourceRow[]): SourceGraph {
  const items = new Map<string, SourceItem>();
  const rejected: RejectedItem[] = [];
  const notes: SourceNote[] = [];
  for (const row of rows) {
    if (row.kind === 'item') items.set(row.value.id, row.value);
    else if (row.kind === 'rejected') rejected.push(row.value);
    else notes.push(row.value);
  }
  return { items, rejected, notes };
}

/** The keys a delta removes: a record read fine is no longer rejected (and the reverse), archived notes leave. */
export function removedBy(delta: SourceDelta): string[] {
  return [
    ...[...delta.items.keys(), ...delta.notes.map((n) => n.id), ...delta.archivedNoteIds].map((id) => `rejected:${id}`),
    ...delta.rejected.flatMap((r) => [r.id, `note:${r.id}`]),
    ...delta.archivedNoteIds.map((id) => `note:${id}`),
  ];
}
