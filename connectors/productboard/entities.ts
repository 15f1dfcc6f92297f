import type { RejectedItem, SourceItem } from '../../src/model/source.js';
import { mapPool } from '../../src/util/map-pool.js';
import type { ProductboardClient } from './client.js';
import { customValues } from './custom-values.js';
import { parseRecord } from './record.js';
import { entityRelationships, readRelationships } from './relationships.js';
import { entitySchema } from './schemas.js';

/**
 * Records read side by side when their relationships take requests of their own (not inline, or
 * more behind `links.next`). The Productboard lane of the HTTP policy paces them; this bounds how
 * many wait in it, and so the memory they hold.
 */
export const RELATIONSHIP_READS_IN_FLIGHT = 8;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One type's entities (all, or those updated since `since`), read or rejected with a reason each. */
export async function readEntities(
  client: ProductboardClient,
  type: string,
  since: string | undefined,
  sink: { items: Map<string, SourceItem>; rejected: RejectedItem[] },
): Promise<void> {
  const body = { data: { filter: { type: [type], ...(since ? { updatedAt: { from: since } } : {}) } } };
  for await (const page of client.searchEntities(body)) {
    const read = await mapPool(page, RELATIONSHIP_READS_IN_FLIGHT, (raw) => toSourceItem(client, raw, type));
    for (const result of read) {
      if ('reason' in result) sink.rejected.push(result);
      else sink.items.set(result.id, result);
    }
  }
}

async function toSourceItem(client: ProductboardClient, raw: unknown, expectedType: string): Promise<SourceItem | RejectedItem> {
  const record = parseRecord(raw, entitySchema, expectedType);
  if ('reason' in record) return record;
  const { value: entity, reject } = record;
  if (entity.type !== expectedType) return reject(`unexpected type "${entity.type}" in a search for ${expectedType}`);
  const name = entity.fields.name?.trim() ?? '';
  if (!name) return reject('empty name');
  const timeframe = entity.fields.timeframe;
  for (const key of ['startDate', 'endDate'] as const) {
    const value = timeframe?.[key];
    // v1 used the literal "none" for unset dates; tolerate it as unset.
    if (value && value !== 'none' && !isCalendarDate(value)) return reject(`timeframe.${key} "${value}" is not a YYYY-MM-DD date`);
  }
  const relationships = await readRelationships(client, entity.relationships, entityRelationships(entity.id));
  if (typeof relationships === 'string') return reject(relationships);
  return {
    id: entity.id,
    type: entity.type,
    name,
    descriptionHtml: entity.fields.description ?? '',
    url: entity.links?.html ?? null,
    archived: entity.fields.archived ?? false,
    statusName: entity.fields.status?.name ?? null,
    tags: (entity.fields.tags ?? []).map((t) => t.name),
    ownerEmail: entity.fields.owner?.email?.toLowerCase() ?? null,
    values: customValues(entity.fields),
    timeframe: timeframe ? { startDate: dateOrNull(timeframe.startDate), endDate: dateOrNull(timeframe.endDate) } : null,
    parent: relationships.find((r) => r.type === 'parent')?.target ?? null,
    links: relationships.filter((r) => r.type === 'link').map((r) => r.target),
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

/** A real calendar date: 2026-02-30 has the right shape but Jira would refuse it. */
const isCalendarDate = (value: string): boolean => ISO_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

const dateOrNull = (value: string | null | undefined): string | null => (value && value !== 'none' ? value : null);
