import { clipText, singleLine } from '../util/untrusted-text.js';
import type { StatusCategory } from './status.js';

// The stamp every managed issue carries, so it can be found again without the ledger:
// - labels: `pb-jira-sync` (all managed issues: one bounded JQL finds them) and `pb-<uuid>` (one item);
//   searchable, but users can edit them, so they are hints;
// - the issue property `pb-jira-sync`, set in the create call itself (atomic with the issue),
//   returned by search/jql `properties=`; it is the authority for the Productboard id;
// - a remote link whose globalId names the item, the backlink people click.
// This is the vocabulary; reading a stamp from a Jira payload (zod) is the Jira connector's job.

export const MANAGED_LABEL = 'pb-jira-sync';
export const STAMP_PROPERTY_KEY = 'pb-jira-sync';

/** The stamp property stored on every managed issue (also the record of what we last wrote). */
export interface StampProperty {
  v: 1;
  pbId: string;
  pbType: string;
  /** Labels we own, to remove only ours when a tag goes away. */
  labels: string[];
  descriptionHash: string | null;
  statusCategory: StatusCategory | null;
}

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

/** Jira's longest label, in characters. */
export const LABEL_LIMIT = 255;

/**
 * Jira labels cannot contain whitespace (400 "contains spaces"); tags often do. Control characters
 * and bidi overrides go too, and the cut never splits a character.
 */
export const tagToLabel = (tag: string): string => clipText(singleLine(tag).replace(/ /g, '-'), LABEL_LIMIT);
