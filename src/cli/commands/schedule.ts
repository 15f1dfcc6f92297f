import { runScheduler } from '../../scheduler/scheduler.js';
import { loggerFor, requireConfig, type CliIo } from '../context.js';
import { withInterrupts } from '../interrupts.js';
import { systemClock } from '../../util/clock.js';

/**
 * `pb-jira-sync schedule [--config FILE]`: runs passes (sync, then reconcile with alerts) on the
 * config's cron expression until SIGTERM/SIGINT, then exits 0. Logs are JSON lines on stderr at
 * info level by default: that is the operator's view of a daemon.
 */
export async function scheduleCommand(io: CliIo, options: { config?: string; logLevel?: string }): Promise<number> {
  const config = requireConfig(io, options.config);
  const logger = loggerFor(io, options.logLevel, config.secrets, 'info');
  await withInterrupts(({ stop, cancel }) =>
    runScheduler({
      config,
      clock: systemClock,
      logger,
      stop,
      cancel,
      onPass: (outcome) => {
        const detail = outcome.status === 'succeeded' ? JSON.stringify(outcome.counts) : outcome.status === 'skipped' ? outcome.reason : outcome.error;
        io.stdout(`${new Date().toISOString()} pass ${outcome.status}: ${detail}`);
      },
    }),
  );
  return 0;
}
