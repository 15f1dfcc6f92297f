// Values of Jira fields beside the ones the sync always owns (a mapping's `jira.fields`).

/** A value as Jira's REST API takes it for the field (text, a number, `{ value: 'x' }`, `[{ name: 'y' }]`...). */
export type JiraFieldValue = string | number | boolean | readonly JiraFieldValue[] | { readonly [key: string]: JiraFieldValue };

/**
 * A field's value as it is compared and shown: a number, a text (a date, an option's or a priority's
 * name, a user's account id), a set of names (options, components, versions, labels), or null
 * (empty). Jira's own value is read back into this form, so a pass compares what Jira has with what
 * the mapping wants without caring how each field type is written.
 */
export type MappedValue = string | number | readonly string[] | null;

/** Whether two values are the same; sets compare whatever their order, names (`caseless`) whatever their case. */
export function sameValue(a: MappedValue, b: MappedValue, caseless = false): boolean {
  const x = asSet(a, caseless);
  const y = asSet(b, caseless);
  if (Array.isArray(a) || Array.isArray(b)) return x.length === y.length && x.every((v, i) => v === y[i]);
  return caseless ? x[0] === y[0] : a === b;
}

/** One of the mapping's Jira fields on one issue, as the mapping wants it. */
export interface MappedField {
  /** Jira's field id (`customfield_10100`, `priority`, `components`). */
  id: string;
  /** Its name as Jira shows it, for the plan. */
  name: string;
  /** The value to compare with what Jira has. */
  value: MappedValue;
  /** The same value as the REST API takes it; null clears the field. */
  write: JiraFieldValue | null;
  /** False: given at creation only, left to people afterwards. */
  update: boolean;
  /** Jira matches its values whatever their case (options, priorities, components, versions): so is the comparison. */
  caseless: boolean;
}

const asSet = (v: MappedValue, caseless: boolean): string[] => {
  const list = Array.isArray(v) ? (v as readonly string[]) : v === null ? [] : [String(v)];
  return [...new Set(caseless ? list.map((s) => s.toLowerCase()) : list)].sort();
};
