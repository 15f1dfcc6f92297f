// Delivery flowing back into Productboard: what each synced item should show of its Jira issue,
// what was last written there (kept in the ledger), and the writes that bring one to the other.

import type { StatusCategory } from './status.js';

/** What a sync writes back: each to the Productboard field the mapping names for it. */
export const DELIVERY_VALUES = ['jiraKey', 'jiraLink', 'jiraStatus', 'progress', 'storyPoints'] as const;
export type DeliveryValueName = (typeof DELIVERY_VALUES)[number];

/** The values a synced item shows, by what they are (absent: the mapping names no field for it). */
export type DeliveryValues = Partial<{ jiraKey: string; jiraLink: string; jiraStatus: string; progress: number; storyPoints: number }>;

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
  /** The Productboard status Jira's change sets (status back), in the same entity update. */
  status?: StatusWrite;
  /** The status record the ledger keeps once the write succeeded. */
  synced?: StatusSynced;
}

export interface DeliveryPlan {
  writes: DeliveryWrite[];
  /** Synced items whose Productboard fields already show their delivery. */
  unchanged: number;
  /** Status records that change without a write (first contact, a push to Jira, a Jira status Productboard already shows). */
  synced: Array<{ pbId: string; synced: StatusSynced }>;
  /** Items whose status changed on both sides: Productboard's won. */
  conflicts: StatusConflict[];
}

/** What one entity update did. `gone`: the entity was deleted (or merged away) meanwhile. */
export type WriteBackOutcome = { ok: true } | { ok: false; gone: string };

/** A Jira status as the loop compares it: its category, and its name when Jira said it. */
export interface JiraStatus {
  category: StatusCategory | null;
  name: string | null;
}

/**
 * The status an item had on each side when last synced (read, pushed or written back): the side
 * whose status differs from it now is the side that changed. Kept in the ledger per item.
 */
export interface StatusSynced {
  pb: string | null;
  jira: JiraStatus;
}

/** A Productboard status written back because Jira's changed. */
export interface StatusWrite {
  from: string | null;
  to: string;
  /** The Jira status that set it. */
  jira: string;
}

/** Both sides changed since the last sync: Productboard's status won, Jira's change was overridden. */
export interface StatusConflict {
  pbId: string;
  name: string;
  jiraKey: string;
  pb: string;
  jira: string;
}
