import type { RejectedItem, SourceDelta, SourceItem, SourceNote } from '../../src/model/source.js';
import type { SourceCatalog, SourceCustomField, SourceReader, SourceRequest } from '../../src/model/ports.js';
import type { ProductboardClient } from './client.js';
import { Configurations } from './configurations.js';
import { readEntities } from './entities.js';
import { readNotes } from './notes.js';
import { readCustomFields, readStatusNames } from './configuration.js';

/**
 * Pulls the mapped part of the workspace, all of it or what changed since `since` (v2
 * entities/search `updatedAt.from`, notes `updatedFrom`). Throws if any page fails: a partial read
 * must never be mistaken for "those items were deleted". A record it cannot read is rejected with
 * its reason, never dropped.
 */
export async function readSource(client: ProductboardClient, options: SourceRequest): Promise<SourceDelta> {
  const items = new Map<string, SourceItem>();
  const rejected: RejectedItem[] = [];
  const archivedNoteIds: string[] = [];
  const [, notes] = await Promise.all([
    Promise.all(options.types.map((type) => readEntities(client, type, options.since, { items, rejected }))),
    options.notes ? readNotes(client, options.since, { archivedNoteIds, rejected }) : Promise.resolve([] as SourceNote[]),
  ]);
  return { items, notes, rejected, archivedNoteIds };
}

/** The source ports over Productboard v2. */
export class ProductboardSource implements SourceReader, SourceCatalog {
  constructor(
    private readonly client: ProductboardClient,
    private readonly configurations = new Configurations(client),
  ) {}

  read(request: SourceRequest): Promise<SourceDelta> {
    return readSource(this.client, request);
  }

  statusNames(type: string): Promise<string[] | null> {
    return readStatusNames(this.client, type, this.configurations);
  }

  customFields(type: string): Promise<SourceCustomField[]> {
    return readCustomFields(this.client, type, this.configurations);
  }
}
