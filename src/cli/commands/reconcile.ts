import { scrubSecrets } from '../../log/logger.js';
import { runReconcile, type AlertMode } from '../../engine/run-reconcile.js';
import { SyncError } from '../../errors.js';
import { formatFindings, reconcileReportJson } from '../../report/format-findings.js';
import { loggerFor, requireConfig, type CliIo } from '../context.js';
import { withInterrupts } from '../interrupts.js';
import { systemClock } from '../../util/clock.js';

export interface ReconcileCommandOptions {
  alert?: boolean | string;
  json?: boolean;
  fix?: boolean;
  dryRun?: boolean;
  config?: string;
  logLevel?: string;
}

/** Exit codes like `terraform plan -detailed-exitcode`: 0 clean, 2 findings, 1 error. */
export const FINDINGS_EXIT_CODE = 2;

export function alertMode(value: boolean | string | undefined): AlertMode {
  if (value === undefined || value === false) return 'none';
  if (value === true || value === 'changes') return 'changes';
  if (value === 'all') return 'all';
  throw new SyncError('config', `--alert takes no value (new and resolved findings) or "all" (the full digest), not "${value}"`);
}

/** `pb-jira-sync reconcile [--alert[=all]] [--json] [--fix] [--dry-run] [--config FILE]`. */
export async function reconcileCommand(io: CliIo, options: ReconcileCommandOptions): Promise<number> {
  const alert = alertMode(options.alert);
  const config = requireConfig(io, options.config);
  const logger = loggerFor(io, options.logLevel, config.secrets);
  const report = await withInterrupts(({ stop, cancel }) =>
    runReconcile({ config, alert, fix: Boolean(options.fix), dryRun: Boolean(options.dryRun), clock: systemClock, logger, signal: stop, cancel }),
  );
  const out = (text: string) => io.stdout(scrubSecrets(text, config.secrets));
  out(options.json ? JSON.stringify(reconcileReportJson(report), null, 2) : formatFindings(report));
  // An undeliverable alert is reported, but never turns findings into an error exit.
  if (report.alert.outcome && !report.alert.outcome.ok) io.stderr(`warning: ${report.alert.outcome.error}`);
  return report.findings.length ? FINDINGS_EXIT_CODE : 0;
}
