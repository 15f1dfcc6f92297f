import { runSync } from '../../engine/run-sync.js';
import { formatConnectionPlan, formatConnectionResults } from '../../report/format-connections.js';
import { formatDeliveryPlan, formatDeliveryResults } from '../../report/format-delivery.js';
import { formatNativeAdoption } from '../../report/format-native.js';
import { formatPlan, formatResults } from '../../report/format-plan.js';
import { syncReportJson } from '../../report/plan-json.js';
import { scrubSecrets } from '../../util/secrets.js';
import { jsonText } from '../../util/untrusted-text.js';
import { loggerFor, processContext, requireConfig, type CliIo } from '../context.js';
import type { Interrupts } from '../interrupts.js';

export interface SyncCommandOptions {
  dryRun?: boolean;
  json?: boolean;
  config?: string;
  logLevel?: string;
}

/** `pb-jira-sync sync [--dry-run] [--json] [--config FILE]`: one pass; exit 0 on success. */
export async function syncCommand(io: CliIo, options: SyncCommandOptions, interrupts: Interrupts): Promise<number> {
  const config = requireConfig(io, options.config);
  const logger = loggerFor(io, options.logLevel, config.secrets);
  const report = await runSync(processContext(config, logger, interrupts), { dryRun: Boolean(options.dryRun) });
  const out = (text: string) => io.stdout(scrubSecrets(text, config.secrets));
  if (options.json) {
    const doc = syncReportJson(report);
    // Indented for people; compact for large plans, where the indentation alone costs megabytes.
    out(doc.plan.actions.length > 2000 ? jsonText(doc) : jsonText(doc, 2));
  } else {
    out(formatPlan(report));
    const native = formatNativeAdoption(report.native, report.dryRun);
    if (native) out(native);
    if (report.delivery) out(formatDeliveryPlan(report.delivery));
    if (report.connections) out(formatConnectionPlan(report.connections));
    if (!report.dryRun) out(formatResults(report));
    if (!report.dryRun && report.delivery) out(formatDeliveryResults(report.delivery));
    if (!report.dryRun && report.connections) out(formatConnectionResults(report.connections));
  }
  // Items Jira (or Productboard) rejected are reported and retried next pass; the pass itself still
  // exits non-zero so that cron and CI notice. A token that may not write to Productboard says so
  // once, on stderr, whatever the output format.
  const refused = report.delivery?.result.refused;
  if (refused) io.stderr(scrubSecrets(`error [permission] Productboard: ${refused}`, config.secrets));
  const deliveryFailed = report.delivery ? report.delivery.result.failed > 0 || refused : false;
  const columnRefused = report.connections?.result.refused;
  if (columnRefused) io.stderr(scrubSecrets(`error [productboard] column: ${columnRefused}`, config.secrets));
  const columnFailed = report.connections ? report.connections.result.failed > 0 || columnRefused : false;
  return report.apply.failed > 0 || deliveryFailed || columnFailed ? 1 : 0;
}
