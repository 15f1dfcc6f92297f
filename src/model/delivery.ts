// Delivery flowing back into Productboard: what each synced item should show of its Jira issue,
// what was last written there (kept in the ledger), and the writes that bring one to the other.

/** What a sync writes back: each to the Productboard field the mapping names for it. */
export const DELIVERY_VALUES = ['jiraKey', 'jiraLink', 'jiraStatus', 'progress'] as const;
export type DeliveryValueName = (typeof DELIVERY_VALUES)[number];

/** The values a synced item shows, by what they are (absent: the mapping names no field for it). */
export type DeliveryValues = Partial<{ jiraKey: string; jiraLink: string; jiraStatus: string; progress: number }>;

/** One value a write changes: the Productboard field it goes to (name or id, as the mapping names it), from what we last wrote. */
export interface DeliveryChange {
  value: DeliveryValueName;
  field: string;
  from: string | number | null;
  to: string | number;
}

/**
 * One entity update: only the values that changed since we last wrote them. `values` is the whole
 * record the ledger keeps once the write succeeded (never before: a pass that dies between its Jira
 * writes and this write leaves the old record, and the next pass writes again).
 */
export interface DeliveryWrite {
  pbId: string;
  pbType: string;
  name: string;
  jiraKey: string;
  changes: DeliveryChange[];
  values: DeliveryValues;
}

export interface DeliveryPlan {
  writes: DeliveryWrite[];
  /** Synced items whose Productboard fields already show their delivery. */
  unchanged: number;
}

/** What one entity update did. `gone`: the entity was deleted (or merged away) meanwhile. */
export type WriteBackOutcome = { ok: true } | { ok: false; gone: string };
