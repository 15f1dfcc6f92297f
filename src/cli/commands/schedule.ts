import { runScheduler } from '../../scheduler/scheduler.js';
import { loggerFor, processContext, requireConfig, type CliIo } from '../context.js';
import type { Interrupts } from '../interrupts.js';
import { logProgress } from '../progress/log-progress.js';
import { systemClock } from '../../util/clock.js';
import { printable } from '../../util/untrusted-text.js';

/**
 * `pb-jira-sync schedule [--config FILE]`: runs passes (sync, then reconcile with alerts) on the
 * config's cron expression until SIGTERM/SIGINT, then exits 0. Logs are JSON lines on stderr at
 * info level by default: that is the operator's view of a daemon.
 */
export async function scheduleCommand(io: CliIo, options: { config?: string; logLevel?: string }, interrupts: Interrupts): Promise<number> {
  const config = requireConfig(io, options.config);
  const logger = loggerFor(io, options.logLevel, config.secrets, 'info');
  // A daemon's progress is its log: a line per phase of each pass, and one every few seconds while a long one runs.
  const progress = logProgress(logger, systemClock);
  // One set of services for the life of the process: every pass shares the HTTP policy.
  await runScheduler({
    context: { ...processContext(config, logger, interrupts), progress: progress.listener },
    stop: interrupts.stop,
    onPass: (outcome) => {
      const detail = 'counts' in outcome ? JSON.stringify(outcome.counts) : outcome.status === 'skipped' ? outcome.reason : outcome.error;
      io.stdout(printable(`${new Date().toISOString()} pass ${outcome.status}: ${detail}`));
    },
  }).finally(() => progress.close());
  return 0;
}
