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
