import type { StampProperty } from './stamp.js';

// The ledger's record of which Productboard item is which Jira issue.

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
  /** A move Jira refused (a sub-task re-parented by an edit): not tried again while the wanted parent is the same. */
  refusedMove?: RefusedMove | null;
}

export interface RefusedMove {
  /** Jira id of the parent the move was to (null: no parent). */
  toParentId: string | null;
  error: string;
}

export interface CreatedLink {
  pbId: string;
  pbType: string;
  jiraId: string;
  jiraKey: string;
  pushed: StampProperty;
}

export interface PushedLink {
  pbId: string;
  jiraKey: string;
  pushed: StampProperty;
}
