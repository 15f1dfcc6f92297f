import type { RejectedItem, SourceNote } from '../../src/model/source.js';
import { mapPool } from '../../src/util/map-pool.js';
import type { ProductboardClient } from './client.js';
import { RELATIONSHIP_READS_IN_FLIGHT } from './entities.js';
import { parseRecord } from './record.js';
import { noteRelationships, readRelationships } from './relationships.js';
import { noteSchema } from './schemas.js';

/** What one note of a page turned into. */
type NoteResult = { kind: 'note'; note: SourceNote } | { kind: 'archived'; id: string } | { kind: 'rejected'; rejected: RejectedItem };

/**
 * The notes (all, or those updated since `since`), newest first as `GET /v2/notes` lists them. A
 * note we cannot read is rejected with its reason, never skipped: it would silently leave the
 * insights lists of the issues it is linked to.
 */
export async function readNotes(
  client: ProductboardClient,
  since: string | undefined,
  sink: { archivedNoteIds: string[]; rejected: RejectedItem[] },
): Promise<SourceNote[]> {
  const notes: SourceNote[] = [];
  const first = since ? `/v2/notes?updatedFrom=${encodeURIComponent(since)}` : '/v2/notes';
  for await (const page of client.list('GET /v2/notes', first)) {
    for (const result of await mapPool(page, RELATIONSHIP_READS_IN_FLIGHT, (raw) => toSourceNote(client, raw))) {
      if (result.kind === 'note') notes.push(result.note);
      else if (result.kind === 'archived') sink.archivedNoteIds.push(result.id);
      else sink.rejected.push(result.rejected);
    }
  }
  return notes;
}

async function toSourceNote(client: ProductboardClient, raw: unknown): Promise<NoteResult> {
  const record = parseRecord(raw, noteSchema, 'note');
  if ('reason' in record) return { kind: 'rejected', rejected: record };
  const { value: note, reject } = record;
  if (note.fields.archived) return { kind: 'archived', id: note.id };
  const relationships = await readRelationships(client, note.relationships, noteRelationships(note.id));
  if (typeof relationships === 'string') return { kind: 'rejected', rejected: reject(relationships) };
  return {
    kind: 'note',
    note: {
      id: note.id,
      name: note.fields.name?.trim() || '(untitled note)',
      url: note.links?.html ?? null,
      linkedIds: relationships.filter((r) => r.type === 'link').map((r) => r.target.id),
      // v2 notes have at most one customer (a company or a user); absent when it has none.
      ...customerOf(relationships),
      // Top-level in the schema `Note`, inside `fields` in the list examples; neither in the filter examples.
      createdAt: note.createdAt ?? note.fields.createdAt ?? null,
    },
  };
}

function customerOf(relationships: ReadonlyArray<{ type: string; target: { id: string } }>): { customerId?: string } {
  const customer = relationships.find((r) => r.type === 'customer');
  return customer ? { customerId: customer.target.id } : {};
}
