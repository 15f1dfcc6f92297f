import { scrubSecrets } from '../../util/secrets.js';
import { jsonText } from '../../util/untrusted-text.js';
import { runReconcile, type AlertMode } from '../../engine/run-reconcile.js';
import { SyncError } from '../../errors.js';
import { formatFindings, reconcileReportJson } from '../../report/format-findings.js';
import { loggerFor, processContext, requireConfig, type CliIo } from '../context.js';
import type { Interrupts } from '../interrupts.js';

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
export async function reconcileCommand(io: CliIo, options: ReconcileCommandOptions, interrupts: Interrupts): Promise<number> {
  const alert = alertMode(options.alert);
  const config = requireConfig(io, options.config);
  const logger = loggerFor(io, options.logLevel, config.secrets);
  const report = await runReconcile(processContext(config, logger, interrupts), {
    alert,
    fix: Boolean(options.fix),
    dryRun: Boolean(options.dryRun),
  });
  const out = (text: string) => io.stdout(scrubSecrets(text, config.secrets));
  out(options.json ? jsonText(reconcileReportJson(report), 2) : formatFindings(report));
  // An undeliverable alert is reported, but never turns findings into an error exit.
  if (report.alert.outcome?.status === 'failed') io.stderr(`warning: ${report.alert.outcome.error}`);
  return report.findings.length ? FINDINGS_EXIT_CODE : 0;
}
