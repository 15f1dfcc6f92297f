import { loadConfig, type EngineConfig } from '../config/load-config.js';
import { SyncError, describeError } from '../errors.js';
import type { PassContext } from '../engine/pass.js';
import { createLogger, type Logger } from '../log/logger.js';
import { errorJson } from '../report/error-json.js';
import { scrubSecrets } from '../util/secrets.js';
import { jsonText, printableLines } from '../util/untrusted-text.js';
import { systemClock } from '../util/clock.js';
import { createServices, type ProcessServices } from '../wiring/services.js';
import type { Interrupts } from './interrupts.js';
import { formatProblem } from '../util/problems.js';

/** What every command gets: where to write, the environment, and how to build a logger. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** stderr when it is a terminal: where a live progress display may draw. */
  terminal?: NodeJS.WriteStream;
}

export const processIo = (): CliIo => ({
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
  cwd: process.cwd(),
  // A terminal of no width (a pseudo-terminal nobody sized) cannot hold a live line.
  ...(process.stderr.isTTY && process.stderr.columns > 0 ? { terminal: process.stderr } : {}),
});

export interface GlobalOptions {
  config?: string;
  logLevel?: string;
}

// Secrets of the loaded config, so a failure rendered anywhere can be scrubbed of them.
const knownSecrets = new Set<string>();

/** Loads the config or throws a config error listing every problem with file and location. */
export function requireConfig(io: CliIo, configPath: string | undefined): EngineConfig {
  const result = loadConfig({ configPath, env: io.env, cwd: io.cwd });
  if (!result.ok) {
    throw new SyncError('config', `the configuration has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`, {
      details: result.problems.map(formatProblem),
    });
  }
  for (const secret of result.config.secrets) knownSecrets.add(secret);
  return result.config;
}

/** The process's one set of services (one HTTP policy), and what every pass needs with it. */
export function processContext(config: EngineConfig, logger: Logger, interrupts?: Interrupts): PassContext & { services: ProcessServices } {
  for (const warning of config.warnings)
    logger.warn({ file: warning.file, path: warning.path, problem: warning.message }, 'configuration warning');
  const signals = interrupts ? { signal: interrupts.stop, cancel: interrupts.cancel } : {};
  return { config, clock: systemClock, logger, services: createServices(config, { clock: systemClock, logger, ...signals }) };
}

export function loggerFor(io: CliIo, level: string | undefined, secrets: readonly string[], fallback = 'warn'): Logger {
  // An empty LOG_LEVEL is unset, like the config's `${VAR:-}`.
  return createLogger({ level: level || io.env.LOG_LEVEL || fallback, secrets });
}

/**
 * Renders a failure on stderr, scrubbed of every secret the config knows, its lines made safe for
 * a terminal (they may quote names from Productboard). With `--json`, the same failure is also the
 * one JSON document on stdout.
 */
export function reportFailure(io: CliIo, error: unknown, json = false): void {
  const secrets = [...knownSecrets];
  io.stderr(scrubSecrets(printableLines(describeError(error).split('\n')), secrets));
  if (json) io.stdout(scrubSecrets(jsonText(errorJson(error), 2), secrets));
}
