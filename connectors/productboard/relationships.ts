import { isSyncError } from '../../src/errors.js';
import type { EntityRef } from '../../src/model/source.js';
import { formatPath } from '../../src/util/problems.js';
import { isRedirectError, type ProductboardClient } from './client.js';
import { relationshipSchema, type InlineRelationships } from './schemas.js';

export interface Relationship {
  type: string;
  target: EntityRef;
}

/** Where a record's relationships are listed in full: `GET /v2/entities/{id}/relationships` or `GET /v2/notes/{id}/relationships`. */
export interface RelationshipsEndpoint {
  route: string;
  path: string;
}

export const entityRelationships = (id: string): RelationshipsEndpoint => ({
  route: 'GET /v2/entities/{id}/relationships',
  path: `/v2/entities/${encodeURIComponent(id)}/relationships`,
});

export const noteRelationships = (id: string): RelationshipsEndpoint => ({
  route: 'GET /v2/notes/{id}/relationships',
  path: `/v2/notes/${encodeURIComponent(id)}/relationships`,
});

/**
 * Every relationship of one record. Inline ones are taken as they are and `links.next` is followed
 * for the rest (the inline list is paginated). When the record came without relationships, absent
 * means "not included", never "none" (the key is optional in `Entity`, and the list example leaves
 * it out): the whole list is read from the record's relationships endpoint.
 *
 * Returns the reason instead when this one record cannot be read: a relationship we cannot parse,
 * the record gone since the page listed it (404), or a redirect we may not follow (a merged entity
 * pointing at another host). Anything else (throttling, a server down) fails the read.
 */
export async function readRelationships(
  client: ProductboardClient,
  inline: InlineRelationships | null | undefined,
  endpoint: RelationshipsEndpoint,
): Promise<Relationship[] | string> {
  const found = new Map<string, Relationship>();
  const take = (data: readonly unknown[]): string | null => {
    for (const raw of data) {
      const parsed = relationshipSchema.safeParse(raw);
      if (!parsed.success) return `relationship ${formatPath(parsed.error.issues[0]!.path)}: ${parsed.error.issues[0]!.message}`;
      const { type, target } = parsed.data;
      // A merged entity's redirect restarts at the survivor's first page: keep each relationship once.
      found.set(`${type} ${target.id}`, { type, target: { id: target.id, type: target.type ?? 'unknown' } });
    }
    return null;
  };
  const inlineProblem = take(inline?.data ?? []);
  if (inlineProblem) return inlineProblem;
  const rest = inline ? inline.next : endpoint.path;
  if (!rest) return [...found.values()];
  try {
    for await (const page of client.list(endpoint.route, rest)) {
      const problem = take(page);
      if (problem) return problem;
    }
  } catch (error) {
    const reason = perRecordReason(error);
    if (reason === null) throw error;
    return reason;
  }
  return [...found.values()];
}

/** Failures that concern this one record only, in words; null for those that concern the whole read. */
function perRecordReason(error: unknown): string | null {
  if (isRedirectError(error)) return `its relationships could not be read: ${(error as Error).message}`;
  if (isSyncError(error) && error.kind === 'not-found') return 'deleted in Productboard while it was being read (relationships: HTTP 404)';
  return null;
}
