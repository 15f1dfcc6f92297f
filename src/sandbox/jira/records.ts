import type { AdfDoc } from './adf.js';
import type { JiraIssueType, StatusCategoryKey } from './catalog.js';

// The records the Jira project keeps, and the views tests read.

export interface RemoteLinkRec {
  id: number;
  globalId: string | null;
  application: Record<string, unknown> | null;
  relationship: string | null;
  object: Record<string, unknown>;
}

export interface IssueRec {
  id: string;
  num: number;
  key: string;
  issueTypeId: string;
  summary: string;
  description: AdfDoc | null;
  labels: string[];
  duedate: string | null;
  parentId: string | null;
  statusId: string;
  /** Priority, components, fix versions, assignee, resolution and custom fields, by field id, in stored form. */
  values: Map<string, unknown>;
  properties: Map<string, unknown>;
  remoteLinks: RemoteLinkRec[];
  created: number;
  updated: number;
  /** Last create/edit time; search/jql hides the issue until `searchLagMs` has passed since then. */
  indexedAt: number;
}

export interface IssueDraft {
  issueType: JiraIssueType;
  summary: string;
  description: AdfDoc | null;
  labels: string[];
  duedate: string | null;
  parentId: string | null;
  properties: Array<[string, unknown]>;
  values?: Map<string, unknown>;
  statusId?: string;
}

export interface IssuePatch {
  issueTypeId?: string;
  summary?: string;
  description?: AdfDoc | null;
  labels?: string[];
  duedate?: string | null;
  /** undefined = unchanged, null = remove parent */
  parentId?: string | null;
  /** Field values to set; null clears one. */
  values?: Map<string, unknown>;
  properties: Array<[string, unknown]>;
}

/** One issue link as seen from an issue: "this issue <description> otherKey". */
export interface IssueLinkView {
  id: string;
  type: string;
  direction: 'outward' | 'inward';
  /** e.g. 'blocks' or 'is blocked by'. */
  description: string;
  otherKey: string;
}

export interface JiraIssueView {
  id: string;
  key: string;
  issueType: { id: string; name: string; hierarchyLevel: number; subtask: boolean };
  summary: string;
  description: AdfDoc | null;
  labels: string[];
  duedate: string | null;
  parentId: string | null;
  parentKey: string | null;
  status: { id: string; name: string; categoryKey: StatusCategoryKey };
  priority: string | null;
  assignee: string | null;
  components: string[];
  fixVersions: string[];
  resolution: string | null;
  flagged: boolean;
  /** Custom field values by field name, as a person reads them (option names, account ids, numbers, …). */
  customFields: Record<string, unknown>;
  links: IssueLinkView[];
  properties: Record<string, unknown>;
  remoteLinks: RemoteLinkRec[];
  created: string;
  updated: string;
}

export interface CreateIssueInput {
  issueType: string;
  summary: string;
  labels?: string[];
  parent?: string | null;
  description?: AdfDoc | null;
  properties?: Record<string, unknown>;
  status?: StatusCategoryKey;
  /** Other field values by field id or name, in REST form (`{ name: 'High' }`, `[{ value: 'Impediment' }]`, 5). */
  fields?: Record<string, unknown>;
}

/** Jira keeps labels as a set and returns them sorted. */
export function normaliseLabels(labels: string[]): string[] {
  return [...new Set(labels)].sort();
}
