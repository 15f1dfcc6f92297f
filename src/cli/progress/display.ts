import type { ProgressListener } from '../../model/progress.js';

/** How a command shows a pass's progress: a listener for the pass, and a way to print around it. */
export interface ProgressDisplay {
  listener: ProgressListener;
  /** Writes to stdout without tearing the live display (a plain write off a terminal). */
  print(write: () => void): void;
  /** Stops the display (and its timers); called when the pass ends, whichever way. */
  close(): void;
}
