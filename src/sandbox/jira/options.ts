import type { StatusCategoryKey } from './catalog.js';

// What a sandbox's Jira site looks like (`startSandbox({ jira })`). Every field is optional and its default is the
// site the sandbox always had: five issue types, one global three-status workflow, create screens with summary,
// description, labels, due date and parent, no required custom field. Fields and types are named as an admin sees them
// in Jira; ids are allocated like Jira's (custom fields `customfield_NNNNN`, issue types and statuses 100NN).

/** An issue type and its level (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-types/). */
export interface IssueTypeSpec {
  name: string;
  /** Sub-task -1, standard 0, Epic 1, Premium levels above: 2, 3, … */
  hierarchyLevel: number;
  id?: string;
  description?: string;
}

/** The custom field types the sandbox models, as named in Jira's field settings. */
export type CustomFieldType =
  'number' | 'text' | 'textarea' | 'select' | 'multiselect' | 'checkboxes' | 'labels' | 'date' | 'user' | 'epic-name';

export interface CustomFieldSpec {
  name: string;
  type: CustomFieldType;
  /** e.g. 'customfield_10011'; allocated from customfield_10100 when absent. */
  id?: string;
  /** Option values of select, multiselect and checkboxes fields. */
  options?: string[];
}

/**
 * The screens of one issue type. Fields are given by id or name (`'labels'`, `'Epic Name'`). Project, issue type and
 * summary are always on the create screen, and summary is always required; a sub-task's parent is always required.
 */
export interface ScreenSpec {
  /** Fields on the create screen besides project, issue type and summary. Default: description, labels, duedate, parent. */
  fields?: string[];
  /** Fields that must be given on create (and may not be cleared on edit). */
  required?: string[];
  /** Fields on the edit screen (besides summary and issue type); default the create screen's. */
  editFields?: string[];
}

export interface TransitionSpec {
  name: string;
  /** Target status name. */
  to: string;
  /** Statuses it is available from; absent = a global transition (from every other status). */
  from?: string[];
  id?: string;
  /** A transition screen: its fields (ids or names) and which of them must be filled. */
  screen?: { fields: string[]; required?: string[] };
}

export interface WorkflowSpec {
  name: string;
  /** Issue type names using it; absent = every type no other workflow names. */
  issueTypes?: string[];
  statuses: Array<{ name: string; category: StatusCategoryKey }>;
  /** Initial status name; default the first. */
  initial?: string;
  transitions: TransitionSpec[];
}

export interface ComponentSpec {
  name: string;
  description?: string;
}

export interface VersionSpec {
  name: string;
  description?: string;
  released?: boolean;
  archived?: boolean;
  /** yyyy-mm-dd */
  releaseDate?: string;
  startDate?: string;
}

export interface UserSpec {
  displayName: string;
  email: string;
  accountId?: string;
  /** Default true. Inactive users are not found by user search and cannot be assignees. */
  active?: boolean;
  /** Default true. A user may hide their email (profile visibility): it is then neither returned nor matched by search. */
  emailVisible?: boolean;
}

/** Behaviours a test can switch on, off or change while the sandbox runs (`sandbox.jira.state.behaviour`). */
export interface JiraBehaviour {
  /**
   * Order in which a bulk create processes its items, which is also the order of `issues` in the answer (and of the
   * keys the new issues get). The spec promises no order (`#/components/schemas/CreatedIssues`). Default 'request'.
   */
  bulkCreateOrder: 'request' | 'reverse' | 'shuffle';
  /** 'refuse': `PUT /issue/{id}` may not change a sub-task's parent, as historical Jira refused. Default 'allow'. */
  subtaskReparent: 'allow' | 'refuse';
  /** Hostile: every search/jql page returns the same first page and the same `nextPageToken`, forever. Default false. */
  repeatNextPageToken: boolean;
  /**
   * Ambiguous: the next `count` successful requests on `route` ('POST /rest/api/3/issue/bulk') are processed and then
   * answered 503, like a gateway timing out after the write. `count` is decremented in place.
   */
  answer503AfterWrite?: { route: string; count: number };
}

export interface JiraSandboxOptions {
  /** Replaces the default five types (Epic, Story, Task, Bug, Sub-task); see DEFAULT_ISSUE_TYPES to extend them. */
  issueTypes?: IssueTypeSpec[];
  /** Added to the site's default custom fields (Flagged). */
  customFields?: CustomFieldSpec[];
  /** Screens by issue type name; the key '*' applies to every type not named. */
  screens?: Record<string, ScreenSpec>;
  /** Replaces the default workflow (To Do, In Progress, Done, global transitions). */
  workflows?: WorkflowSpec[];
  /** Replaces Jira's default priorities (Highest, High, Medium, Low, Lowest). */
  priorities?: string[];
  /** Default priority name; default the middle one ('Medium'). */
  defaultPriority?: string;
  components?: Array<string | ComponentSpec>;
  versions?: Array<string | VersionSpec>;
  users?: UserSpec[];
  behaviour?: Partial<JiraBehaviour>;
}

export const DEFAULT_BEHAVIOUR: Readonly<JiraBehaviour> = {
  bulkCreateOrder: 'request',
  subtaskReparent: 'allow',
  repeatNextPageToken: false,
};
