import cron from 'node-cron';
import type { PassContext } from '../engine/pass.js';
import { messageOf } from '../errors.js';
import { leaseHolder } from '../ledger/lease.js';
import { runScheduledPass, type PassOutcome } from './scheduled-pass.js';

/** The next times a cron expression fires, without scheduling anything. */
export function nextRuns(expression: string, timezone: string, count: number): Date[] {
  const task = cron.createTask(expression, () => undefined, { timezone });
  try {
    return task.getNextRuns(count);
  } finally {
    void task.destroy();
  }
}

export interface SchedulerOptions {
  /** The process's services, config, clock and logger: every pass shares them (one HTTP policy). */
  context: PassContext;
  /** Aborted: take no new pass, let the one in flight end (its requests stop with the policy's signals). */
  stop: AbortSignal;
  /** Called after every pass (tests, and the CLI's summary line). */
  onPass?: (outcome: PassOutcome, trigger: 'start' | 'cron') => void;
}

/**
 * Runs passes on the config's cron expression (and once at start with runOnStart) until stopped.
 * Never two passes at once: an overlapping tick in this process is skipped, and across processes
 * the ledger lease decides. On stop it takes no new work and waits for the pass in flight, whose
 * requests are abandoned when the grace period ends; it then resolves (exit 0).
 */
export async function runScheduler(options: SchedulerOptions): Promise<void> {
  const { config, logger } = options.context;
  const { cron: expression, timezone, runOnStart } = config.schedule;
  const holder = leaseHolder();
  const next = () => nextRuns(expression, timezone, 1)[0]?.toISOString() ?? null;
  let inFlight: Promise<void> | undefined;

  const tick = (trigger: 'start' | 'cron') => {
    if (options.stop.aborted) return;
    if (inFlight) {
      logger.warn({ trigger }, 'pass skipped: the previous pass is still running');
      return;
    }
    inFlight = runScheduledPass(options.context, next)
      .then((outcome) => {
        options.onPass?.(outcome, trigger);
        logger.info({ outcome: outcome.status, next: next() }, 'next pass scheduled');
      })
      // A pass that could not even start (the ledger unreadable, SQLite busy) is logged and the
      // scheduler keeps its schedule: a daemon must not die of one bad tick.
      .catch((error: unknown) => {
        const message = messageOf(error);
        options.onPass?.({ status: 'failed', error: message }, trigger);
        logger.error({ error: message, next: next() }, 'scheduled pass could not run');
      })
      .finally(() => {
        inFlight = undefined;
      });
  };

  const task = cron.schedule(expression, () => tick('cron'), { timezone, name: 'pb-jira-sync-pass' });
  logger.info({ cron: expression, timezone, next: next(), holder }, 'scheduler started');
  if (runOnStart) tick('start');
  if (!options.stop.aborted) await new Promise<void>((resolve) => options.stop.addEventListener('abort', () => resolve(), { once: true }));
  await task.stop();
  await task.destroy();
  logger.info({ passInFlight: Boolean(inFlight) }, 'scheduler stopping');
  await inFlight;
  logger.info('scheduler stopped');
}
