import type { SkipReason } from './desired.js';

// The plan: the contract between deciding (the planner) and doing (the applier).

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
