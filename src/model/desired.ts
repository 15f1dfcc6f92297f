import type { JiraFieldValue, MappedField } from './field-value.js';
import type { SourceNote } from './source.js';
import type { StatusCategory, StatusTarget } from './status.js';

// What Jira should look like according to the mapping (built by src/engine/desired-tree.ts).

/**
 * Everything a Jira description is made of. Plans compare the hash of these inputs, and the ADF is
 * rendered only for issues actually written: converting every description on every pass would
 * cost seconds of CPU and tens of megabytes for a large workspace, to write nothing.
 */
export interface DescriptionSource {
  html: string;
  name: string;
  url: string | null;
  sourceLink: boolean;
  insights: { notes: readonly SourceNote[]; list: boolean; max: number } | null;
}

/** Something the project must have before an issue can name it: a component or a version the mapping may create. */
export interface ProjectAddition {
  kind: 'component' | 'version';
  name: string;
}

/** The Jira fields the mapping owns, as they should be. */
export interface DesiredFields {
  summary: string;
  /** What the description is made of; rendered to ADF only when the issue is written. */
  description: DescriptionSource | null;
  /** Hash of the description's inputs, compared instead of the (large) description itself. */
  descriptionHash: string | null;
  /** Owned labels: the stamp labels plus the item's tags. */
  labels: string[];
  dueDate: string | null | undefined; // undefined: not owned by the mapping
  statusCategory: StatusCategory | null; // null: not owned / status not mapped
  /** The status to reach, with the names that pick among several of its category (absent: any of `statusCategory`). */
  status?: StatusTarget | null;
  /**
   * Version 1 `jira.fields`: values given at creation only, keyed as the mapping names the field (the
   * create screen says which Jira field each one is).
   */
  jiraFields?: Readonly<Record<string, JiraFieldValue>>;
  /** Version 2 `jira.fields`: each field resolved and converted, compared with Jira on every pass (unless `update: false`). */
  mapped?: readonly MappedField[];
}

export interface DesiredIssue {
  pbId: string;
  pbType: string;
  name: string;
  pbUrl: string | null;
  issueTypeId: string;
  issueTypeName: string;
  level: number;
  /** Productboard id of the item whose issue must be this issue's parent; null for roots. */
  parentPbId: string | null;
  /** Distance from a root; issues are created in increasing depth. */
  depth: number;
  fields: DesiredFields;
  /** Why the parent was chosen, when there was a choice (a feature linked to two initiatives). */
  parentNote: string | null;
  /** Every item that qualified as parent, the chosen one first. */
  parentCandidates: readonly string[];
  /** The value stream the mapping's `valueStreams` gives the item (its own or its parent's); null: none, or not declared. */
  valueStream: string | null;
  /** Components and versions its fields name that the project lacks and the mapping may create. */
  needs: readonly ProjectAddition[];
}

export type SkipReason =
  | 'unparented' // the mapping requires a parent and the item has none
  | 'parent-not-synced' // the parent item is itself skipped
  | 'archived'
  | 'filtered' // the rule's `where` leaves it out (or its parent's does): none of the sync's business
  | 'invalid-item' // something we cannot map: an empty name, bad HTML, a field value Jira cannot take...
  | 'issue-type-changed' // the mapping now wants another issue type than the existing issue has
  | 'awaiting-search' // a create of unknown outcome is too recent to retry safely
  | 'missing-in-jira' // the linked issue was deleted or hidden in Jira; not re-created
  | 'move-refused'; // Jira refused to re-parent the issue by an edit (a sub-task): a person moves it

export interface DesiredSkip {
  pbId: string;
  pbType: string;
  name: string;
  reason: SkipReason;
  detail: string;
  /** Expected parent's pb id, when known: lets the plan group the skip under its Epic. */
  parentPbId: string | null;
}

/** Something the tree left out of an item it does sync (an unsafe link, tags beyond the cap): said once per pass. */
export interface DesiredWarning {
  /** The item (or note) it is about. */
  pbId: string;
  name: string;
  message: string;
}

export interface DesiredTree {
  issues: ReadonlyMap<string, DesiredIssue>;
  skipped: readonly DesiredSkip[];
  warnings: readonly DesiredWarning[];
}
