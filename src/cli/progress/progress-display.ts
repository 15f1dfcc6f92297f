import type { Logger } from 'pino';
import type { Clock } from '../../util/clock.js';
import type { ProgressDisplay } from './display.js';
import { logProgress } from './log-progress.js';
import { terminalProgress } from './terminal-progress.js';

/**
 * On a terminal, a live display on stderr; off one, a log line per phase (and one every few
 * seconds while a long phase runs). `--quiet`: none. Never on stdout: `--json` stays one document.
 */
export function progressDisplay(
  terminal: NodeJS.WriteStream | undefined,
  logger: Logger,
  clock: Clock,
  options: { quiet: boolean },
): ProgressDisplay | undefined {
  if (options.quiet) return undefined;
  return terminal ? terminalProgress(terminal) : logProgress(logger, clock);
}
