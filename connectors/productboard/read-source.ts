import type { ProductboardClient } from './client.js';
import { entitySchema, noteSchema, relationshipSchema, type EntityDto } from './schemas.js';
import type { EntityRef, RejectedItem, SourceDelta, SourceItem, SourceNote } from '../../src/model/source.js';
import type { SourceReader, SourceRequest } from '../../src/model/ports.js';
import { formatPath } from '../../src/util/problems.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Pulls the mapped part of the workspace, all of it or what changed since `since` (v2
 * entities/search `updatedAt.from`, notes `updatedFrom`). Throws if any page fails: a partial read
 * must never be mistaken for "those items were deleted".
 */
export async function readSource(client: ProductboardClient, options: SourceRequest): Promise<SourceDelta> {
  const items = new Map<string, SourceItem>();
  const rejected: RejectedItem[] = [];
  const archivedNoteIds: string[] = [];
  const [, notes] = await Promise.all([
    Promise.all(options.types.map((type) => readEntities(client, type, options.since, items, rejected))),
    options.notes ? readNotes(client, options.since, archivedNoteIds) : Promise.resolve([] as SourceNote[]),
  ]);
  return { items, notes, rejected, archivedNoteIds };
}

async function readEntities(
  client: ProductboardClient,
  type: string,
  since: string | undefined,
  items: Map<string, SourceItem>,
  rejected: RejectedItem[],
): Promise<void> {
  const body = { data: { filter: { type: [type], ...(since ? { updatedAt: { from: since } } : {}) } } };
  let cursor: string | null = null;
  do {
    const page = await client.searchEntities(body, cursor);
    for (const raw of page.data) {
      const result = await toSourceItem(client, raw, type);
      if ('reason' in result) rejected.push(result);
      else items.set(result.id, result);
    }
    cursor = page.next;
  } while (cursor);
}

async function toSourceItem(client: ProductboardClient, raw: unknown, expectedType: string): Promise<SourceItem | RejectedItem> {
  const parsed = entitySchema.safeParse(raw);
  const rawRecord = (raw && typeof raw === 'object' ? raw : {}) as { id?: unknown; fields?: { name?: unknown } };
  const id = typeof rawRecord.id === 'string' ? rawRecord.id : '';
  const rawName = typeof rawRecord.fields?.name === 'string' ? rawRecord.fields.name : null;
  const reject = (reason: string): RejectedItem => ({ id, type: expectedType, name: rawName, reason });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return reject(`${formatPath(issue.path)}: ${issue.message}`);
  }
  const entity = parsed.data;
  if (entity.type !== expectedType) return reject(`unexpected type "${entity.type}" in a search for ${expectedType}`);
  const name = entity.fields.name?.trim() ?? '';
  if (!name) return reject('empty name');
  const timeframe = entity.fields.timeframe;
  for (const key of ['startDate', 'endDate'] as const) {
    const value = timeframe?.[key];
    // v1 used the literal "none" for unset dates; tolerate it as unset.
    if (value && value !== 'none' && !isCalendarDate(value)) return reject(`timeframe.${key} "${value}" is not a YYYY-MM-DD date`);
  }
  const relationships = await allRelationships(client, entity);
  if (typeof relationships === 'string') return reject(relationships);
  const parent = relationships.find((r) => r.type === 'parent')?.target ?? null;
  return {
    id: entity.id,
    type: entity.type,
    name,
    descriptionHtml: entity.fields.description ?? '',
    url: entity.links?.html ?? null,
    archived: entity.fields.archived ?? false,
    statusName: entity.fields.status?.name ?? null,
    tags: (entity.fields.tags ?? []).map((t) => t.name),
    timeframe: timeframe ? { startDate: dateOrNull(timeframe.startDate), endDate: dateOrNull(timeframe.endDate) } : null,
    parent,
    links: relationships.filter((r) => r.type === 'link').map((r) => r.target),
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

/** A real calendar date: 2026-02-30 has the right shape but Jira would refuse it. */
const isCalendarDate = (value: string): boolean => ISO_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

const dateOrNull = (value: string | null | undefined): string | null => (value && value !== 'none' ? value : null);

/** Inline relationships are paginated; follow `relationships.links.next` to get them all. */
async function allRelationships(
  client: ProductboardClient,
  entity: EntityDto,
): Promise<Array<{ type: string; target: EntityRef }> | string> {
  const result: Array<{ type: string; target: EntityRef }> = [];
  let data = entity.relationships?.data ?? [];
  let next = entity.relationships?.links?.next ?? null;
  for (;;) {
    for (const raw of data) {
      const parsed = relationshipSchema.safeParse(raw);
      if (!parsed.success) return `relationship ${formatPath(parsed.error.issues[0]!.path)}: ${parsed.error.issues[0]!.message}`;
      result.push({ type: parsed.data.type, target: { id: parsed.data.target.id, type: parsed.data.target.type ?? 'unknown' } });
    }
    if (!next) return result;
    const page = await client.getPage('GET /v2/entities/{id}/relationships', next);
    data = page.data;
    next = page.next;
  }
}

async function readNotes(client: ProductboardClient, since: string | undefined, archivedNoteIds: string[]): Promise<SourceNote[]> {
  const notes: SourceNote[] = [];
  let next: string | null = since ? `/v2/notes?updatedFrom=${encodeURIComponent(since)}` : '/v2/notes';
  while (next) {
    const page = await client.getPage('GET /v2/notes', next);
    for (const raw of page.data) {
      const parsed = noteSchema.safeParse(raw);
      // A note we cannot read only loses its line in an insights list; it never blocks the sync.
      if (!parsed.success) continue;
      if (parsed.data.fields.archived) {
        archivedNoteIds.push(parsed.data.id);
        continue;
      }
      const note = parsed.data;
      const linked = (note.relationships?.data ?? []).flatMap((r) => {
        const rel = relationshipSchema.safeParse(r);
        return rel.success && rel.data.type === 'link' ? [rel.data.target.id] : [];
      });
      notes.push({
        id: note.id,
        name: note.fields.name?.trim() || '(untitled note)',
        url: note.links?.html ?? null,
        linkedIds: linked,
        createdAt: note.createdAt,
      });
    }
    next = page.next;
  }
  return notes;
}

/** The source port over Productboard v2. */
export class ProductboardSource implements SourceReader {
  constructor(private readonly client: ProductboardClient) {}

  read(request: SourceRequest): Promise<SourceDelta> {
    return readSource(this.client, request);
  }
}
