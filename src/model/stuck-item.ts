// Items a pass could not bring into Jira, and that the next pass will not bring either unless a
// person acts: Jira refused the write, or Productboard's data cannot be mapped. A pass with any is
// `degraded`; the scheduler alerts them once and again when they go through.

export interface StuckItem {
  pbId: string;
  name: string;
  /** Who stops it: Jira refused the write, or the item as Productboard has it cannot be written. */
  cause: 'rejected-by-jira' | 'invalid-in-productboard';
  /** Jira's message, or what is wrong with the item. */
  reason: string;
  /** The issue, when one exists (a refused edit). */
  jiraKey: string | null;
  pbUrl: string | null;
}
