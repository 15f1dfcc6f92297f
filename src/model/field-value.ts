// A value of a Jira field beside the ones the sync owns (a mapping's `jira.fields`).

/** A value as Jira's REST API takes it for the field (text, a number, `{ value: 'x' }`, `[{ name: 'y' }]`...). */
export type JiraFieldValue = string | number | boolean | readonly JiraFieldValue[] | { readonly [key: string]: JiraFieldValue };
