import type { ProjectAddition } from './desired.js';
import type { ActionKind, PlanAction } from './plan.js';

// A plan saved for approval (`sync --dry-run --out plan.json`) and applied later, exactly as it
// was reviewed (`sync --plan plan.json`), or not at all when what it was computed from changed.

/** An action as saved: the plan action with its whole payload, as JSON. */
export type SavedAction = Pick<PlanAction, 'kind' | 'pbId' | 'pbType' | 'name' | 'depth' | 'parentPbId'> & Record<string, unknown>;

/**
 * What an action was computed from, item by item, so a refusal can say which side changed:
 * Productboard's item (a hash of the issue the mapping made of it, which is what the plan depends
 * on, and its `updatedAt` to say when it changed) and the Jira issue (its key and a hash of it as
 * read). Null: there was none.
 */
export interface ItemInputs {
  productboard: { updatedAt: string; hash: string } | null;
  jira: { key: string; hash: string } | null;
}

export interface SavedPlan {
  schemaVersion: 1;
  /** ISO 8601. */
  createdAt: string;
  /** The dry run that computed it. */
  runId: string;
  project: string;
  /** The mapping's rules as compiled (comments and layout do not count), and the file they came from. */
  mapping: { file: string; hash: string };
  counts: Record<ActionKind, number>;
  actions: SavedAction[];
  /** Components and versions the plan adds to the project first (absent in plans saved before version 2 mappings). */
  additions?: ProjectAddition[];
  /** The Jira issue of every parent and item the actions name, as it was then. */
  existing: Record<string, { jiraId: string; jiraKey: string }>;
  inputs: Record<string, ItemInputs>;
}

/** An action of a saved plan that would not be applied as reviewed, and which side changed. */
export interface StaleAction {
  kind: ActionKind;
  pbId: string;
  name: string;
  jiraKey: string | null;
  /** `plan`: neither item changed, but what the plan does with it did (its parent, the ledger). */
  changed: ReadonlyArray<'productboard' | 'jira' | 'plan'>;
  detail: string;
}

/** How an approved plan was applied: every reviewed action, and what came up since and waits. */
export interface Approval {
  createdAt: string;
  runId: string;
  /** Actions the saved plan did not have (changes since it was saved): not applied, left for the next pass. */
  leftOut: PlanAction[];
}
