// Jira's three status categories: the only statuses the mapping speaks of. Workflows and status
// names differ per project and language; the category is what every Jira status has.

export const STATUS_CATEGORIES = ['new', 'indeterminate', 'done'] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

/** The status Jira's default workflow has in each category (and the category's own name in Jira). */
export const PLAIN_STATUS: Readonly<Record<StatusCategory, string>> = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' };

export const isStatusCategory = (value: unknown): value is StatusCategory =>
  typeof value === 'string' && (STATUS_CATEGORIES as readonly string[]).includes(value);

/** What Jira calls each category in its interface (the API's keys are what the ledger and JSON keep). */
export const STATUS_CATEGORY_NAMES: Record<StatusCategory, string> = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' };

/**
 * The Jira status a Productboard status asks for: any status of `category`, and among several
 * (Done and Won't Do are both done) the one that stands for this Productboard status.
 */
export interface StatusTarget {
  category: StatusCategory;
  /** The Productboard status: a Jira status of the same name is the best match. */
  pbStatus: string;
  /**
   * The mapping's other Productboard statuses of this category: a Jira status named like one of
   * them stands for that status, never for this one (a Released item is not closed as "Won't Do").
   */
  otherNames: readonly string[];
}
