import { isSyncError, messageOf } from '../errors.js';
import type { Ledger } from './ledger.js';
import type { Clock } from '../util/clock.js';

/**
 * Runs `work` as one recorded run in the ledger's history: started, then succeeded with its counts,
 * or failed / interrupted with its error. With `ledger` undefined (dry runs, or inside a scheduled
 * pass that records itself) it only runs `work`.
 */
export async function recordedRun<T>(
  ledger: Ledger | undefined,
  run: { id: string; command: string; clock: Clock },
  work: () => Promise<T>,
  counts: (result: T) => Record<string, number>,
): Promise<T> {
  ledger?.startRun(run.id, run.command, run.clock.now());
  try {
    const result = await work();
    ledger?.finishRun(run.id, 'succeeded', run.clock.now(), counts(result), null);
    return result;
  } catch (error) {
    const outcome = isSyncError(error) && error.kind === 'interrupted' ? 'interrupted' : 'failed';
    ledger?.finishRun(run.id, outcome, run.clock.now(), null, messageOf(error));
    throw error;
  }
}
