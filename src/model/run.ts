import type { StuckItem } from './stuck-item.js';

// A pass as the ledger's history keeps it (`status`, `history`).

/** How a pass ended; `degraded`: it finished, but some items could not be brought into Jira. */
export type RunOutcome = 'running' | 'succeeded' | 'degraded' | 'failed' | 'interrupted';

export interface RunRecord {
  id: string;
  command: string;
  startedAt: number;
  endedAt: number | null;
  outcome: RunOutcome;
  counts: Record<string, number> | null;
  error: string | null;
  /** A degraded run's stuck items (the first 100 of them), reasons scrubbed of secrets. */
  stuck: StuckItem[] | null;
  /** A dry run: recorded so `status` shows it, never taken as what was last applied. */
  dryRun: boolean;
}
