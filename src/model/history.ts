import type { FieldDiff } from './field-diff.js';
import type { ActionKind } from './plan.js';

// What a run did to each item, as the ledger keeps it for `history`: "what did Tuesday's run
// change?". Written by the applier (through the LinkWriter port) with the links it records.

export interface HistoryEntry {
  runId: string;
  action: Exclude<ActionKind, 'skip'>;
  /** Failed entries say what was tried and Jira's answer; nothing was written. */
  outcome: 'applied' | 'failed';
  pbId: string;
  pbType: string;
  /** The item's name at the time. */
  name: string;
  jiraKey: string | null;
  /** Each field before → after (a create's "before" is nothing; a move's field is `parent`). */
  changes: FieldDiff[];
  /** Jira's message for a failure, or a note (why an issue was adopted, a transition that was not available). */
  detail: string | null;
}

/** An entry as stored, with when it was written. */
export interface RecordedEntry extends HistoryEntry {
  at: number;
}
