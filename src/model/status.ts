// Jira's three status categories: the only statuses the mapping speaks of. Workflows and status
// names differ per project and language; the category is what every Jira status has.

export const STATUS_CATEGORIES = ['new', 'indeterminate', 'done'] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

export const isStatusCategory = (value: unknown): value is StatusCategory =>
  typeof value === 'string' && (STATUS_CATEGORIES as readonly string[]).includes(value);

/** What Jira calls each category in its interface (the API's keys are what the ledger and JSON keep). */
export const STATUS_CATEGORY_NAMES: Record<StatusCategory, string> = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' };
