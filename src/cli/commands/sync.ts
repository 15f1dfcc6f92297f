import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EngineConfig } from '../../config/load-config.js';
import { parsePlanFile, planFileText, savedPlanOf } from '../../engine/plan-file.js';
import { runSync, type SyncReport } from '../../engine/run-sync.js';
import { SyncError } from '../../errors.js';
import type { SavedPlan } from '../../model/saved-plan.js';
import { connectionHeadline, formatConnectionPlan, formatConnectionResults } from '../../report/format-connections.js';
import { deliveryHeadline, formatDeliveryPlan, formatDeliveryResults } from '../../report/format-delivery.js';
import { formatNativeAdoption } from '../../report/format-native.js';
import { formatPlan, formatResults } from '../../report/format-plan.js';
import { syncReportJson } from '../../report/plan-json.js';
import { displayPath } from '../../util/package-root.js';
import { scrubSecrets } from '../../util/secrets.js';
import { readSmallFile } from '../../util/small-file.js';
import { systemClock } from '../../util/clock.js';
import { jsonText } from '../../util/untrusted-text.js';
import { loggerFor, processContext, requireConfig, type CliIo } from '../context.js';
import type { Interrupts } from '../interrupts.js';
import { progressDisplay } from '../progress/progress-display.js';

export interface SyncCommandOptions {
  dryRun?: boolean;
  json?: boolean;
  /** Save the plan to this file (with --dry-run) for review and `--plan`. */
  out?: string;
  /** Apply the plan saved in this file, exactly, or refuse when it is stale. */
  plan?: string;
  maxChanges?: number;
  detailedExitcode?: boolean;
  /** Read both services in full, not only what changed since the last pass. */
  fullRead?: boolean;
  summary?: boolean;
  /** No progress display, and no progress log lines. */
  quiet?: boolean;
  config?: string;
  logLevel?: string;
}

/** Like `terraform plan -detailed-exitcode`: with `--dry-run --detailed-exitcode`, 2 means changes are pending. */
export const CHANGES_PENDING_EXIT_CODE = 2;

/** A plan of 16,000 issues with their descriptions is tens of megabytes; anything far beyond is not a plan. */
const MAX_PLAN_FILE_BYTES = 512 * 1024 * 1024;

/**
 * `pb-jira-sync sync [--dry-run [--out FILE] [--detailed-exitcode]] [--plan FILE] [--max-changes N]
 * [--summary] [--json]`: one pass. The plan is printed before anything is written, the results
 * after. Exit 0 on success, 1 on error or when Jira refused items.
 */
export async function syncCommand(io: CliIo, options: SyncCommandOptions, interrupts: Interrupts): Promise<number> {
  checkOptions(options);
  const config = requireConfig(io, options.config);
  // Off a terminal (cron, CI), info by default: the phases of a long pass are logged as they end.
  const logger = loggerFor(io, options.logLevel, config.secrets, io.terminal ? 'warn' : 'info');
  const approved = options.plan ? readPlan(io, options.plan) : undefined;
  const display = progressDisplay(io.terminal, logger, systemClock, { quiet: Boolean(options.quiet) });
  const out = (text: string) => {
    const write = () => io.stdout(scrubSecrets(text, config.secrets));
    if (display) display.print(write);
    else write();
  };
  const format = { summary: Boolean(options.summary) };
  let report: SyncReport;
  try {
    report = await runSync(
      { ...processContext(config, logger, interrupts), ...(display ? { progress: display.listener } : {}) },
      {
        dryRun: Boolean(options.dryRun),
        ...(approved ? { approved } : {}),
        ...(options.maxChanges !== undefined ? { maxChanges: options.maxChanges } : {}),
        fullRead: Boolean(options.fullRead),
        // Streamed before the first write, so a person can watch it (and stop the pass) knowingly.
        ...(options.json
          ? {}
          : { onPlanned: (planned) => out(formatPlan(planned, format) + formatNativeAdoption(planned.native, planned.dryRun)) }),
      },
    );
  } finally {
    display?.close();
  }
  const planFile = options.out ? savePlan(io, options.out, report, config.mapping) : null;
  if (options.json) {
    const doc = syncReportJson(report, planFile);
    // Indented for people; compact for large plans, where the indentation alone costs megabytes.
    out(doc.plan.actions.length > 2000 ? jsonText(doc) : jsonText(doc, 2));
  } else {
    // Productboard's part is known only once the Jira writes are done (the keys of new issues).
    if (report.delivery) out(format.summary ? `\n${deliveryHeadline(report.delivery)}` : formatDeliveryPlan(report.delivery));
    if (report.connections) out(format.summary ? `\n${connectionHeadline(report.connections)}` : formatConnectionPlan(report.connections));
    if (!report.dryRun) out(formatResults(report, format));
    if (!report.dryRun && report.delivery) out(formatDeliveryResults(report.delivery));
    if (!report.dryRun && report.connections) out(formatConnectionResults(report.connections));
    if (planFile) out(`\nPlan saved to ${planFile}. Review it, then apply exactly it with: pb-jira-sync sync --plan ${planFile}`);
  }
  // Items Jira (or Productboard) rejected are reported and retried next pass; the pass itself still
  // exits non-zero so that cron and CI notice. A token that may not write to Productboard says so
  // once, on stderr, whatever the output format.
  const refused = report.delivery?.result.refused;
  if (refused) io.stderr(scrubSecrets(`error [permission] Productboard: ${refused}`, config.secrets));
  const deliveryFailed = report.delivery ? report.delivery.result.failed > 0 || Boolean(refused) : false;
  const columnRefused = report.connections?.result.refused;
  if (columnRefused) io.stderr(scrubSecrets(`error [productboard] column: ${columnRefused}`, config.secrets));
  const columnFailed = report.connections ? report.connections.result.failed > 0 || Boolean(columnRefused) : false;
  if (report.apply.failed > 0 || deliveryFailed || columnFailed) return 1;
  return options.detailedExitcode && pending(report) ? CHANGES_PENDING_EXIT_CODE : 0;
}

/** Combinations that make no sense are refused before anything is read. */
function checkOptions(options: SyncCommandOptions): void {
  const refuse = (message: string) => new SyncError('config', message);
  if (options.out && !options.dryRun) throw refuse('--out saves a plan for review: use it with --dry-run (then apply it with --plan FILE)');
  if (options.out && options.plan) throw refuse('--out and --plan cannot be combined: --plan applies a plan that was saved already');
  if (options.detailedExitcode && !options.dryRun)
    throw refuse('--detailed-exitcode tells whether a dry run found changes to make: use it with --dry-run');
}

/** Changes a real pass would make: Jira writes, or delivery values or column connections to write to Productboard. */
const pending = (report: SyncReport): boolean => {
  const { counts } = report.plan;
  const productboard = (report.delivery?.plan.writes.length ?? 0) + (report.connections?.plan.writes.length ?? 0);
  return counts.create + counts.adopt + counts.update + counts.move > 0 || productboard > 0;
};

function readPlan(io: CliIo, file: string): SavedPlan {
  const path = resolve(io.cwd, file);
  const read = readSmallFile(path, MAX_PLAN_FILE_BYTES);
  if (!read.ok)
    throw new SyncError('config', `cannot read the plan file ${file}: ${read.code === 'ENOENT' ? 'no such file' : read.reason}`);
  return parsePlanFile(read.text, displayPath(path, io.cwd));
}

/** Written next to its final name and renamed, so a reader never sees half a plan. */
function savePlan(io: CliIo, file: string, report: SyncReport, mapping: EngineConfig['mapping']): string {
  const path = resolve(io.cwd, file);
  const saved = savedPlanOf(
    report.plan,
    { project: report.project.key, mapping, graph: report.graph, desired: report.desired, observed: report.observed },
    {
      runId: report.runId,
      createdAt: Date.now(),
    },
  );
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, planFileText(saved));
    renameSync(temporary, path);
  } catch (error) {
    throw new SyncError('config', `cannot save the plan to ${file}: ${(error as Error).message}`);
  }
  return displayPath(path, io.cwd);
}
