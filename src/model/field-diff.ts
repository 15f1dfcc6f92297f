import type { DescriptionSource } from './desired.js';
import type { FieldChange, NewIssue } from './plan.js';
import { MANAGED_LABEL, itemLabel } from './stamp.js';

// A field as people read it, whatever the field: a value from → to, a set with what is added and
// removed, or a text told by a note (descriptions, too long to show). The plan, its JSON and the
// history all speak this shape, so a field the mapping learns to own (a `FieldChange` case with
// `from`/`to`, or `add`/`remove`) is shown everywhere without new code in the formatters.

/** A value as it can be shown and stored as JSON. */
export type FieldValue = string | number | boolean | null | readonly string[];

export type FieldDiff =
  | { field: string; type: 'value'; from: FieldValue; to: FieldValue }
  | { field: string; type: 'set'; add: readonly string[]; remove: readonly string[] }
  | { field: string; type: 'text'; note: string };

/** An update's change, by its shape rather than its field. */
export function fieldDiff(change: FieldChange): FieldDiff {
  if ('add' in change) return { field: change.field, type: 'set', add: change.add, remove: change.remove };
  if ('fromHash' in change) return { field: change.field, type: 'text', note: descriptionChange(change.fromHash, change.to) };
  // One of the mapping's Jira fields (version 2): by the name Jira shows it, values as compared.
  if (change.field === 'jiraField') return { field: change.name, type: 'value', from: change.from, to: change.to };
  return { field: change.field, type: 'value', from: change.from, to: change.to };
}

/**
 * Descriptions are compared by the hash of their inputs (what we last wrote), so the reason is
 * known only that far: never written by us, now empty, or changed in Productboard.
 */
function descriptionChange(fromHash: string | null, to: DescriptionSource | null): string {
  if (!to) return 'changed: now empty (removed from the issue)';
  if (fromHash === null) return `changed: not written by pb-jira-sync before; will be ${describeText(to)}`;
  return `changed in Productboard (its name, text, insights or link); will be ${describeText(to)}`;
}

/** A description in a few words: how long, how many insights, whether it links back. */
export function describeText(source: DescriptionSource): string {
  const characters = source.html
    .replace(/<[^>]*>/g, '')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .trim().length;
  const parts = [`${characters} character${characters === 1 ? '' : 's'} of text`];
  if (source.insights) {
    const n = source.insights.notes.length;
    parts.push(`${n} insight${n === 1 ? '' : 's'} ${source.insights.list ? 'listed' : 'counted'}`);
  }
  if (source.sourceLink && source.url) parts.push('a link back to Productboard');
  return parts.join(', ');
}

/**
 * What a create writes, field by field (from nothing). The stamp labels every managed issue
 * carries (`pb-jira-sync`, `pb-<id>`) are left out: they say nothing about this item. The item's
 * version 2 fields are shown by the name Jira gives them rather than as the API takes them.
 */
export function newIssueDiffs(pbId: string, issue: NewIssue): FieldDiff[] {
  const stampLabels = new Set([MANAGED_LABEL, itemLabel(pbId)]);
  const diffs: FieldDiff[] = [];
  const { jiraFields, ...fields } = issue.fields;
  const byId = new Map((issue.shown ?? []).map((m) => [m.id, m]));
  // The mapping's `jira.fields` follow the fields it keeps in step, each under the name the
  // mapping (version 1) or Jira (version 2) gives it.
  for (const [key, raw] of [...Object.entries(fields), ...Object.entries(jiraFields ?? {})] as Array<[string, unknown]>) {
    const named = byId.get(key);
    const field = named?.name ?? key;
    const value = named ? named.value : raw;
    if (value === undefined || value === null) continue;
    if (field === 'description') diffs.push({ field, type: 'text', note: describeText(value as DescriptionSource) });
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      const add = value.filter((v) => !stampLabels.has(v));
      if (add.length) diffs.push({ field, type: 'set', add, remove: [] });
    } else if (typeof value === 'object') diffs.push({ field, type: 'text', note: JSON.stringify(value) });
    else diffs.push({ field, type: 'value', from: null, to: value as FieldValue });
  }
  // A new issue starts in its workflow's initial status ("new"); `status` is where the create
  // takes it next. Neither, when the mapping does not own the status.
  const status = issue.status?.category ?? issue.stamp.statusCategory;
  if (status) diffs.push({ field: 'status', type: 'value', from: status === 'new' ? null : 'new', to: status });
  return diffs;
}
