import type { FieldDiff, FieldValue } from '../model/field-diff.js';
import { STATUS_CATEGORY_NAMES } from '../model/status.js';

// Fields as people read them in the plan and the history, one line each, whatever the field: a
// value `before → after` (or just the value for a new issue), a set as `+added −removed`, a text by
// its note. Nothing here names a field but to print its name, so a field the mapping learns to own
// shows without new code.

/** Enumerated values that have a name people know better than the API's key. */
const VALUE_NAMES: Record<string, Record<string, string>> = { status: STATUS_CATEGORY_NAMES };

/** Values shown without quotes: issue keys and ISO dates. */
const BARE = /^(?:[A-Z][A-Z0-9_]*-\d+|\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z)?)$/;

/** `dueDate` → `due date`. */
export const fieldLabel = (field: string): string => field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

export function valueText(field: string, value: FieldValue): string {
  if (value === null) return 'none';
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none';
  // Text in quotes (a summary may end in a space); an issue key or a date as it is.
  if (typeof value === 'string') return VALUE_NAMES[field]?.[value] ?? (BARE.test(value) ? value : `"${value}"`);
  return String(value);
}

/** The change, without the field's name: `"a" → "b"`, `+x −y`, or the note. */
export function diffText(diff: FieldDiff): string {
  switch (diff.type) {
    case 'value':
      return diff.from === null
        ? valueText(diff.field, diff.to)
        : `${valueText(diff.field, diff.from)} → ${valueText(diff.field, diff.to)}`;
    case 'set':
      return [...diff.add.map((v) => `+${v}`), ...diff.remove.map((v) => `−${v}`)].join(' ');
    case 'text':
      return diff.note;
  }
}

/** One line per field, `label: change`, with the labels aligned. */
export function fieldLines(diffs: readonly FieldDiff[], indent: string): string[] {
  const width = Math.max(0, ...diffs.map((d) => fieldLabel(d.field).length)) + 1;
  return diffs.map((d) => `${indent}${`${fieldLabel(d.field)}:`.padEnd(width)} ${diffText(d)}`);
}
