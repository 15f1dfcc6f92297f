import type { Phase, ProgressListener } from '../model/progress.js';
import type { Clock } from '../util/clock.js';

/**
 * One phase of a pass, told to the pass's progress listener: started, advanced by each item done
 * or failed, finished with its counts. Without a listener it tells nobody.
 */
export class PhaseProgress {
  private done = 0;
  private failed = 0;
  private readonly startedAt: number;

  constructor(
    private readonly listener: ProgressListener | undefined,
    private readonly clock: Clock,
    readonly phase: Phase,
    private readonly total: number | null,
  ) {
    this.startedAt = clock.now();
    listener?.({ kind: 'started', phase, total, at: this.startedAt });
  }

  advance(done: number, failed = 0): void {
    if (done === 0 && failed === 0) return;
    this.done += done;
    this.failed += failed;
    this.listener?.({ kind: 'advanced', phase: this.phase, done: this.done, failed: this.failed, total: this.total, at: this.clock.now() });
  }

  finish(counts: Readonly<Record<string, number>>): void {
    const at = this.clock.now();
    this.listener?.({ kind: 'finished', phase: this.phase, counts, durationMs: at - this.startedAt, at });
  }
}

/** Starts a phase of a pass (or of anything holding the pass's listener and clock). */
export const startPhase = (
  on: { progress?: ProgressListener | undefined; clock: Clock },
  phase: Phase,
  total: number | null = null,
): PhaseProgress => new PhaseProgress(on.progress, on.clock, phase, total);

/** Runs `work` as a phase, finished with the counts it yields (a failure ends the pass, not the phase). */
export async function inPhase<T>(
  on: { progress?: ProgressListener | undefined; clock: Clock },
  phase: Phase,
  work: () => Promise<T>,
  counts: (result: T) => Readonly<Record<string, number>>,
): Promise<T> {
  const progress = startPhase(on, phase);
  const result = await work();
  progress.finish(counts(result));
  return result;
}
