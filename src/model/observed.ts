import { pushTo } from '../util/multimap.js';
import type { MappedValue } from './field-value.js';
import type { StampProperty } from './stamp.js';
import type { StatusCategory } from './status.js';

// What a pass reads from the target (Jira): the managed issues, as they are.

export interface ObservedIssue {
  id: string;
  key: string;
  /** From the stamp property, or the `pb-<id>` label when the property is missing. */
  pbId: string | null;
  /** Null when Jira did not say (never a sentinel string). */
  issueTypeId: string | null;
  issueTypeName: string;
  level: number;
  parentId: string | null;
  parentKey: string | null;
  /** Hierarchy level and type of the parent, as Jira reports it (the parent may not be managed). */
  parentLevel: number | null;
  parentTypeName: string | null;
  summary: string;
  labels: string[];
  dueDate: string | null;
  statusCategory: StatusCategory | null;
  /** The status's name (`In Review`); absent or null when Jira did not say. */
  statusName?: string | null;
  stamp: StampProperty | null;
  /** The mapping's Jira fields read back, by field id (only those a pass asked for; absent: not read). */
  fields?: Readonly<Record<string, MappedValue>>;
  /** Its story points, from the field `writeBack.storyPoints` names (null: not estimated; absent: not read). */
  storyPoints?: number | null;
  /** What the delivery report reads beyond the hierarchy; absent from views cached by versions that did not read it. */
  activity?: IssueActivity;
}

/** An issue's life in Jira, for backlog health: its status, its age, and what blocks it. */
export interface IssueActivity {
  statusName: string | null;
  /** ISO 8601 instants as Jira gives them; null when Jira did not say. */
  created: string | null;
  updated: string | null;
  /** Flagged as an impediment (Jira Software's "Flagged" field has a value). */
  flagged: boolean;
  /** Keys of the unfinished issues this one "is blocked by" (Blocks links; a finished blocker blocks nothing). */
  blockedBy: string[];
}

export interface ObservedTree {
  byId: ReadonlyMap<string, ObservedIssue>;
  /** Stamped issues by Productboard id; more than one means duplicates exist. */
  byPbId: ReadonlyMap<string, readonly ObservedIssue[]>;
}

/** Indexes issues by id and by Productboard id (the first read of an id wins). */
export function buildObservedTree(issues: Iterable<ObservedIssue>): ObservedTree {
  const byId = new Map<string, ObservedIssue>();
  const byPbId = new Map<string, ObservedIssue[]>();
  for (const issue of issues) {
    if (byId.has(issue.id)) continue;
    byId.set(issue.id, issue);
    if (issue.pbId) pushTo(byPbId, issue.pbId, issue);
  }
  // Lowest id first: the oldest issue wins when a stamp is duplicated.
  for (const list of byPbId.values()) list.sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
  return { byId, byPbId };
}
