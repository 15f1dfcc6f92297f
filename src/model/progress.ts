// Progress of a pass, as events: the engine says what it is doing and how far it got, and the
// outside (a terminal display, log lines) decides how to show it. Nothing here knows terminals.

/** Which of its levels a phase of the apply walk works on: level `level` of `levels`, and the issue types there. */
export interface LevelRef {
  level: number;
  levels: number;
  issueTypes: readonly string[];
}

/**
 * A phase people may wait on. The reads run side by side; a level's follow-ups run while the next
 * level is created; the Productboard write-back runs after the last Jira write. A new phase is one
 * more member here and its label in src/report/format-progress.ts; every display shows it then.
 */
export type Phase =
  | { name: 'read-productboard' }
  | { name: 'read-jira' }
  | { name: 'plan' }
  | { name: 'wait-for-lease' }
  | ({ name: 'create' } & LevelRef)
  | ({ name: 'edit' } & LevelRef)
  | ({ name: 'follow-ups' } & LevelRef)
  | { name: 'write-productboard' };

export type PhaseName = Phase['name'];

/** `at`: the pass clock's time of the event, so a display computes rates without a clock of its own. */
export type ProgressEvent =
  | { kind: 'started'; phase: Phase; total: number | null; at: number }
  | { kind: 'advanced'; phase: Phase; done: number; failed: number; total: number | null; at: number }
  | { kind: 'finished'; phase: Phase; counts: Readonly<Record<string, number>>; durationMs: number; at: number };

/** Where a pass reports its progress (the CLI's display, or nothing). It must not throw. */
export type ProgressListener = (event: ProgressEvent) => void;
