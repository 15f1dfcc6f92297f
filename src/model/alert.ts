import type { Finding } from './finding.js';
import type { StuckItem } from './stuck-item.js';

// What the engine tells people, independent of where it is delivered (Slack today). The adapter
// behind the Notifier port turns an alert into its own format.

export type Alert =
  | {
      kind: 'findings';
      project: string;
      /** Findings to list: the new ones, or every open one for a digest. */
      findings: readonly Finding[];
      resolved: readonly Finding[];
      digest: boolean;
      /** Total open findings (for the context line). */
      openTotal: number;
    }
  /** The first failing scheduled pass (later failing ticks stay quiet). */
  | { kind: 'pass-failing'; project: string; error: string; nextRun: string | null }
  /** The first scheduled pass that succeeds after failures. */
  | { kind: 'pass-recovered'; project: string; failingForMs: number; lastError: string | null }
  /**
   * Items scheduled passes cannot bring into Jira: the newly stuck ones (with Jira's reasons) and
   * those that went through since the last alert. Items that stay stuck are not repeated.
   */
  | { kind: 'items-stuck'; project: string; stuck: readonly StuckItem[]; resolved: readonly StuckItem[]; stuckTotal: number }
  /** A pass refused because its plan writes more issues than allowed (`--max-changes`, `sync.maxChanges`): nothing was written. */
  | { kind: 'too-many-changes'; project: string; refusal: ChangeRefusal };

/** What a refused pass would have written: how many issues, the limit, and the first of them. */
export interface ChangeRefusal {
  /** `sync`, `scheduled pass`. */
  command: string;
  limit: number;
  /** Issues the plan creates, updates or moves (an issue both updated and moved counts once). */
  issues: number;
  counts: { create: number; update: number; move: number };
  /** The first few, so people see what kind of change it is (a mass rename, a mass move...). */
  sample: ReadonlyArray<{ kind: 'create' | 'update' | 'move'; name: string; jiraKey: string | null; pbUrl: string | null; what: string }>;
}

export type DeliveryOutcome =
  | { status: 'delivered' }
  /** Nothing was sent on purpose (a dry run). */
  | { status: 'not-sent'; reason: string }
  /** `permanent`: retrying cannot help, a person must fix the receiving side. */
  | { status: 'failed'; permanent: boolean; error: string };
