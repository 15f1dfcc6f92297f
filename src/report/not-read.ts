import type { RejectedItem } from '../model/source.js';

// The records Productboard returned that the pass could not read (nothing is dropped
// silently): their ids and reasons, in the text plan and in `--json`.

const byTypeNameId = (a: RejectedItem, b: RejectedItem): number =>
  (a.type ?? '').localeCompare(b.type ?? '') || (a.name ?? '').localeCompare(b.name ?? '') || a.id.localeCompare(b.id);

/** The "Not read from Productboard" section of the text plan; nothing when every record was read. */
export function notReadLines(rejected: readonly RejectedItem[]): string[] {
  if (rejected.length === 0) return [];
  return [
    '',
    `Not read from Productboard (${rejected.length})`,
    // JSON quoting: a name from Productboard never reaches the terminal with raw control characters.
    ...[...rejected]
      .sort(byTypeNameId)
      .map((r) => `  ? ${r.type ?? 'record'} ${r.id || '(no id)'} ${JSON.stringify(r.name ?? '')}: ${r.reason}`),
  ];
}

/** The same for `--json`. */
export function notReadJson(rejected: readonly RejectedItem[]) {
  return {
    count: rejected.length,
    items: [...rejected].sort(byTypeNameId).map((r) => ({ pbId: r.id || null, pbType: r.type, name: r.name, reason: r.reason })),
  };
}
