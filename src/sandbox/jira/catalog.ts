// The default Jira site of the sandbox: issue types, the three-status workflow and status categories (a sandbox may
// configure others, see options.ts and site.ts). Ids are deliberately from disjoint ranges (issue types 1001x, statuses
// 1000x, transitions 11/21/31) so a client that confuses a transition id with a status id, or hard-codes either, fails
// visibly: transition ids belong to a workflow, so a client must look them up per issue
// (GET /rest/api/3/issue/{issueIdOrKey}/transitions).

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

export interface JiraIssueType {
  id: string;
  name: string;
  subtask: boolean;
  /** Epic 1, standard 0, sub-task -1 (the `hierarchyLevel` of an issue type in Jira Cloud REST v3). */
  hierarchyLevel: number;
  description: string;
}

export const ISSUE_TYPES: readonly JiraIssueType[] = [
  { id: '10010', name: 'Epic', subtask: false, hierarchyLevel: 1, description: 'A big user story that needs to be broken down.' },
  { id: '10011', name: 'Story', subtask: false, hierarchyLevel: 0, description: 'Functionality or a feature expressed as a user goal.' },
  { id: '10012', name: 'Task', subtask: false, hierarchyLevel: 0, description: 'A small, distinct piece of work.' },
  { id: '10013', name: 'Bug', subtask: false, hierarchyLevel: 0, description: 'A problem or error.' },
  { id: '10014', name: 'Sub-task', subtask: true, hierarchyLevel: -1, description: 'A small piece of work that is part of a larger task.' },
];

export interface StatusCategory {
  id: number;
  key: StatusCategoryKey;
  name: string;
  colorName: string;
}

// As they appear in issue JSON (`fields.status.statusCategory`, and GET /rest/api/3/statuscategory).
export const STATUS_CATEGORIES: readonly StatusCategory[] = [
  { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' },
  { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' },
  { id: 3, key: 'done', name: 'Done', colorName: 'green' },
];

export interface JiraStatus {
  id: string;
  name: string;
  category: StatusCategoryKey;
}

export const STATUSES: readonly JiraStatus[] = [
  { id: '10000', name: 'To Do', category: 'new' },
  { id: '10001', name: 'In Progress', category: 'indeterminate' },
  { id: '10002', name: 'Done', category: 'done' },
];

export interface JiraTransitionDef {
  id: string;
  name: string;
  toStatusId: string;
}

// Simple workflow: every status reachable from every other through a global transition named after its target
// (ids 11, 21, 31).
export const TRANSITIONS: readonly JiraTransitionDef[] = STATUSES.map((s, i) => ({ id: `${i + 1}1`, name: s.name, toStatusId: s.id }));

export const INITIAL_STATUS_ID = '10000';

export function categoryOf(key: StatusCategoryKey): StatusCategory {
  return STATUS_CATEGORIES.find((c) => c.key === key) ?? (STATUS_CATEGORIES[0] as StatusCategory);
}

/**
 * parent.hierarchyLevel must be child.hierarchyLevel + 1, except a sub-task (-1) whose parent is level 0: sub-task <
 * standard < Epic < Premium levels above (https://support.atlassian.com/jira-cloud-administration/docs/configure-the-issue-type-hierarchy/).
 */
export function parentLevelOk(child: JiraIssueType, parent: JiraIssueType): boolean {
  if (child.hierarchyLevel === -1) return parent.hierarchyLevel === 0;
  return parent.hierarchyLevel === child.hierarchyLevel + 1;
}

/** Jira's timestamp format in issue JSON, e.g. 2026-01-15T10:30:00.000+0000. */
export function jiraTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
