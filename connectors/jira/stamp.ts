import { z } from 'zod';
import type { StampProperty } from '../../src/engine/model.js';

// The stamp every managed issue carries, so it can be found again without the ledger
// (architecture principle 1; reference/jira-api.md §5):
// - labels: `pb-jira-sync` (all managed issues: one bounded JQL finds them) and `pb-<uuid>` (one item);
//   searchable, but users can edit them, so they are hints;
// - the issue property `pb-jira-sync`, set in the create call itself (atomic with the issue),
//   returned by search/jql `properties=`; it is the authority for the Productboard id;
// - a remote link whose globalId names the item, the backlink people click.

export const MANAGED_LABEL = 'pb-jira-sync';
export const STAMP_PROPERTY_KEY = 'pb-jira-sync';

export const itemLabel = (pbId: string): string => `pb-${pbId}`;

const ITEM_LABEL = /^pb-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export const pbIdFromLabels = (labels: readonly string[]): string | null => {
  for (const label of labels) {
    const match = ITEM_LABEL.exec(label);
    if (match) return match[1]!;
  }
  return null;
};

export const remoteLinkGlobalId = (pbId: string): string => `system=productboard&id=${pbId}`;

const stampSchema = z.object({
  v: z.literal(1),
  pbId: z.string().min(1),
  pbType: z.string(),
  labels: z.array(z.string()).default([]),
  descriptionHash: z.string().nullable().default(null),
  statusCategory: z.enum(['new', 'indeterminate', 'done']).nullable().default(null),
});

/** A stamp someone else wrote or corrupted is treated as absent, not as an error. */
export const parseStamp = (value: unknown): StampProperty | null => {
  const parsed = stampSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
};

/** Jira labels cannot contain whitespace (400 "contains spaces"); tags often do. */
export const tagToLabel = (tag: string): string => tag.trim().replace(/\s+/g, '-').slice(0, 255);
