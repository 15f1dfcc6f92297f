import type { Logger } from 'pino';
import type { ProgressEvent } from '../../model/progress.js';
import { phaseFields, phaseKey } from '../../report/format-progress.js';
import type { Clock } from '../../util/clock.js';
import type { ProgressDisplay } from './display.js';

/** How often a phase still under way says so: a 5,000-item pass is never silent for long. */
export const STILL_RUNNING_MS = 5000;

/**
 * Progress off a terminal (cron, CI, a pipe): one log line per phase when it finishes, its counts
 * as fields under a constant message, and every few seconds one line per phase still under way
 * with how far it got.
 */
export function logProgress(logger: Logger, clock: Clock, everyMs = STILL_RUNNING_MS): ProgressDisplay {
  const running = new Map<string, Extract<ProgressEvent, { kind: 'started' | 'advanced' }> & { startedAt: number }>();
  const timer = setInterval(() => {
    const now = clock.now();
    for (const event of running.values()) {
      if (now - event.startedAt < everyMs) continue;
      const progress = event.kind === 'advanced' ? { done: event.done, failed: event.failed } : {};
      logger.info({ ...phaseFields(event.phase), ...progress, total: event.total, elapsedMs: now - event.startedAt }, 'phase running');
    }
  }, everyMs);
  timer.unref();
  return {
    listener(event) {
      const key = phaseKey(event.phase);
      if (event.kind === 'finished') {
        running.delete(key);
        logger.info({ ...phaseFields(event.phase), ...event.counts, durationMs: event.durationMs }, 'phase finished');
        return;
      }
      const startedAt = event.kind === 'started' ? event.at : (running.get(key)?.startedAt ?? event.at);
      running.set(key, { ...event, startedAt });
    },
    print: (write) => write(),
    close: () => clearInterval(timer),
  };
}
