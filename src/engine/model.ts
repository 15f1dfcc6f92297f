import type { DescriptionSource } from '../mapping/description.js';
import type { StatusCategory } from '../mapping/schema.js';

// The data that flows through one pass (see ../../README.md "How a pass works"):
// SourceGraph (Productboard) → DesiredTree (mapping) ─┐
// ObservedTree (Jira) + Links (ledger) ────────────────┴→ planner → Plan → applier.

export interface EntityRef {
  id: string;
  type: string;
}

/** A Productboard hierarchy item, reduced to the fields the mapping can use. */
export interface SourceItem {
  id: string;
  type: string;
  name: string;
  descriptionHtml: string;
  url: string | null;
  archived: boolean;
  statusName: string | null;
  tags: string[];
  timeframe: { startDate: string | null; endDate: string | null } | null;
  /** Target of the `parent` relationship (subfeature → feature, feature → component/product). */
  parent: EntityRef | null;
  /** Targets of `link` relationships (feature ↔ initiative, release...). */
  links: EntityRef[];
  createdAt: string;
  updatedAt: string;
}

/** A Productboard note (insight) and the hierarchy items it is linked to. */
export interface SourceNote {
  id: string;
  name: string;
  url: string | null;
  linkedIds: string[];
  createdAt: string;
}

/** An item Productboard returned that we could not read; it is skipped with this reason. */
export interface RejectedItem {
  id: string;
  type: string | null;
  name: string | null;
  reason: string;
}

export interface SourceGraph {
  items: ReadonlyMap<string, SourceItem>;
  notes: readonly SourceNote[];
  rejected: readonly RejectedItem[];
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
}

export type SkipReason =
  | 'unparented' // the mapping requires a parent and the item has none
  | 'parent-not-synced' // the parent item is itself skipped
  | 'archived'
  | 'invalid-item' // Productboard returned something we cannot map (empty name, bad HTML, bad date...)
  | 'issue-type-changed' // the mapping now wants another issue type than the existing issue has
  | 'awaiting-search' // a create of unknown outcome is too recent to retry safely
  | 'missing-in-jira'; // the linked issue was deleted or hidden in Jira; not re-created

export interface DesiredSkip {
  pbId: string;
  pbType: string;
  name: string;
  reason: SkipReason;
  detail: string;
  /** Expected parent's pb id, when known: lets the plan group the skip under its Epic. */
  parentPbId: string | null;
}

export interface DesiredTree {
  issues: ReadonlyMap<string, DesiredIssue>;
  skipped: readonly DesiredSkip[];
}

/** The stamp property stored on every managed issue (also the record of what we last wrote). */
export interface StampProperty {
  v: 1;
  pbId: string;
  pbType: string;
  /** Labels we own, to remove only ours when a tag goes away. */
  labels: string[];
  descriptionHash: string | null;
  statusCategory: StatusCategory | null;
}

export interface ObservedIssue {
  id: string;
  key: string;
  /** From the stamp property, or the `pb-<id>` label when the property is missing. */
  pbId: string | null;
  issueTypeId: string;
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
  stamp: StampProperty | null;
}

export interface ObservedTree {
  byId: ReadonlyMap<string, ObservedIssue>;
  /** Stamped issues by Productboard id; more than one means duplicates exist. */
  byPbId: ReadonlyMap<string, readonly ObservedIssue[]>;
}

export type LinkState = 'pending' | 'linked' | 'failed';

/** The ledger's record of one Productboard item ↔ Jira issue link. */
export interface Link {
  pbId: string;
  pbType: string;
  jiraId: string | null;
  jiraKey: string | null;
  state: LinkState;
  /** When the create intent was written (ms); governs the settle window of unknown outcomes. */
  intentAt: number | null;
  lastError: string | null;
  /** What we last wrote (same shape as the stamp), used for status "on change" and labels. */
  pushed: StampProperty | null;
}

export interface FieldChange {
  field: 'summary' | 'description' | 'labels' | 'dueDate' | 'status';
  from: string | null;
  to: string | null;
}

/** What every plan action says about its item and its place in the tree. */
interface ActionBase {
  pbId: string;
  pbType: string;
  name: string;
  depth: number;
  parentPbId: string | null;
}

/** The existing Jira issue an action works on. */
interface IssueRef {
  jiraId: string;
  jiraKey: string;
}

export type PlanAction =
  | (ActionBase & { kind: 'create'; issueTypeName: string; reason: string })
  /** `finishCreate`: the create happened in a pass that did not finish: redo its follow-ups. */
  | (ActionBase & IssueRef & { kind: 'adopt'; reason: string; finishCreate: boolean })
  | (ActionBase & IssueRef & { kind: 'update'; changes: FieldChange[] })
  | (ActionBase & IssueRef & { kind: 'move'; fromParentKey: string | null })
  | (ActionBase & { kind: 'skip'; reason: SkipReason; detail: string });

export type ActionKind = PlanAction['kind'];

export interface Plan {
  actions: PlanAction[];
  /** Jira issue of every desired item that already exists (changed or not): parents for creates. */
  existing: ReadonlyMap<string, { jiraId: string; jiraKey: string }>;
  counts: Record<ActionKind, number>;
  unchanged: number;
}
