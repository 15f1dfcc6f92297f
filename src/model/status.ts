// Jira's three status categories: the only statuses the mapping speaks of. Workflows and status
// names differ per project and language; the category is what every Jira status has.

export const STATUS_CATEGORIES = ['new', 'indeterminate', 'done'] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

export const isStatusCategory = (value: unknown): value is StatusCategory =>
  typeof value === 'string' && (STATUS_CATEGORIES as readonly string[]).includes(value);
