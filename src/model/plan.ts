import type { DescriptionSource, ProjectAddition, SkipReason } from './desired.js';
import type { JiraFieldValue, MappedField, MappedValue } from './field-value.js';
import type { StampProperty } from './stamp.js';
import type { StatusCategory, StatusTarget } from './status.js';

// The plan: the contract between deciding (the planner, or reconcile's repairs) and doing (the
// applier). Every action carries everything needed to carry it out, so the applier joins nothing
// and recomputes nothing: it renders, batches, sends and records.

/**
 * The fields the mapping owns on an issue. An open set: a field the mapping learns to own (components,
 * priority, custom fields...) is one more optional member here and one more case in the connector.
 */
export interface IssueFields {
  summary: string;
  /** What the description is made of; rendered to ADF only when the issue is written. */
  description: DescriptionSource | null;
  labels: string[];
  /** Absent: the mapping does not own the due date. */
  dueDate?: string | null;
  /**
   * The mapping's further Jira fields (mappings/README.md, `jira.fields`) as the REST API takes them:
   * by field id (version 2), or keyed as a version 1 mapping names them, resolved on the create screen.
   */
  jiraFields?: Readonly<Record<string, JiraFieldValue>>;
}

/** The backlink from a Jira issue to its Productboard item (upserted by globalId, so idempotent). */
export interface RemoteLink {
  title: string;
  url: string;
}

/** A new issue as the planner decided it; rendered only when its batch is sent. */
export interface NewIssue {
  issueTypeId: string;
  fields: IssueFields;
  /** The status to reach after creation (null: not owned, or the initial one is right). */
  status: StatusTarget | null;
  /** The stamp written in the create call itself: the issue never exists without it. */
  stamp: StampProperty;
  remoteLink: RemoteLink | null;
  /** Why this parent was chosen among several; reported with the result. */
  parentNote: string | null;
  /**
   * The mapping's version 2 fields as people read them (Jira's name, the value compared), for the
   * plan and the history; `fields.jiraFields` is what the create sends.
   */
  shown?: ReadonlyArray<Pick<MappedField, 'id' | 'name' | 'value'>>;
}

/** One field an update changes, from what Jira has (or what we last wrote) to what it should be. */
export type FieldChange =
  | { field: 'summary'; from: string; to: string }
  /** Descriptions are compared by the hash of their inputs; `to` is what to render. */
  | { field: 'description'; fromHash: string | null; toHash: string | null; to: DescriptionSource | null }
  /** Incremental: adds what is missing, removes only labels we added earlier. */
  | { field: 'labels'; add: string[]; remove: string[] }
  | { field: 'dueDate'; from: string | null; to: string | null }
  /** Taken through a transition to a status of this category (the one `target` names best), looked up per issue. */
  | { field: 'status'; from: StatusCategory | null; to: StatusCategory; target: StatusTarget }
  /** One of the mapping's Jira fields (`jira.fields`): `name` as Jira shows it, `write` what the edit sends (null clears). */
  | { field: 'jiraField'; id: string; name: string; from: MappedValue; to: MappedValue; write: JiraFieldValue | null };

export type ChangedField = FieldChange['field'];

/** What every plan action says about its item and its place in the tree. */
interface ActionBase {
  pbId: string;
  pbType: string;
  name: string;
  depth: number;
  /** The item's parent in the desired tree: where a create goes and where a move takes the issue. */
  parentPbId: string | null;
}

/** The existing Jira issue an action works on. */
interface IssueRef {
  jiraId: string;
  jiraKey: string;
}

export type PlanAction =
  | (ActionBase & { kind: 'create'; issueTypeName: string; reason: string; issue: NewIssue })
  /**
   * A stamped issue the ledger did not know: `record` is what to remember as last written;
   * `finishCreate`: the create happened in a pass that did not finish, so redo its backlink.
   */
  | (ActionBase & IssueRef & { kind: 'adopt'; reason: string; finishCreate: boolean; record: StampProperty; remoteLink: RemoteLink | null })
  /** `stamp`: the record of what we write, sent with the edit (its status is the last one pushed). */
  | (ActionBase & IssueRef & { kind: 'update'; changes: FieldChange[]; stamp: StampProperty })
  /**
   * Re-parents the issue under the issue of `parentPbId` (null: no parent). `stamp` null: the move
   * leaves the stamp and the ledger alone (a `reconcile --fix` repair only re-parents).
   */
  | (ActionBase & IssueRef & { kind: 'move'; fromParentKey: string | null; stamp: StampProperty | null; subtask: boolean })
  | (ActionBase & { kind: 'skip'; reason: SkipReason; detail: string });

export type ActionKind = PlanAction['kind'];

export interface Plan {
  actions: PlanAction[];
  /** Created before any issue (mappings/README.md, `create: true`), so the issues can name them. */
  additions?: readonly ProjectAddition[];
  /** Jira issue of every item that already exists (changed or not): parents for creates and moves. */
  existing: ReadonlyMap<string, { jiraId: string; jiraKey: string }>;
  counts: Record<ActionKind, number>;
  unchanged: number;
}

/** What a stamp becomes once a status was pushed (attempted: the next change in Productboard tries again). */
export const withStatus = (stamp: StampProperty, status: StatusCategory | null): StampProperty => ({ ...stamp, statusCategory: status });

/** What a person does about a move Jira refused: a sub-task changes parent only through Jira's Move action. */
export const moveRemedy = (subtask: boolean): string =>
  subtask ? "move it in Jira with the issue's Move action (⋯ menu → Move)" : 'change its parent in Jira';
