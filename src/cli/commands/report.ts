import { extname, resolve } from 'node:path';
import { REPORT_FORMATS, type ReportFormat } from '../../config/schema.js';
import { withPass } from '../../engine/pass.js';
import { SyncError } from '../../errors.js';
import { readReport } from '../../report/delivery/read-report.js';
import type { DeliveryReport } from '../../report/delivery/report-model.js';
import { renderReport } from '../../report/delivery/render-report.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { systemClock } from '../../util/clock.js';
import { scrubSecrets } from '../../util/secrets.js';
import { formatBytes } from '../../util/small-file.js';
import { loggerFor, processContext, requireConfig, type CliIo } from '../context.js';
import type { Interrupts } from '../interrupts.js';
import { progressDisplay } from '../progress/progress-display.js';

export interface ReportCommandOptions {
  format?: ReportFormat;
  out?: string;
  staleDays?: number;
  config?: string;
  logLevel?: string;
}

/**
 * `pb-jira-sync report [--format html|md|json] [--out FILE] [--stale-days N]`: the delivery report
 * from one read of both systems. Read-only: a dry-run pass (read-only ledger, no lease, no run
 * record, writers that only remember). Without --out the report goes to stdout; with it, the file
 * is replaced atomically and a one-line summary is printed.
 */
export async function reportCommand(io: CliIo, options: ReportCommandOptions, interrupts: Interrupts): Promise<number> {
  const loaded = requireConfig(io, options.config);
  const config = options.staleDays ? { ...loaded, report: { ...loaded.report, staleDays: options.staleDays } } : loaded;
  const format = options.format ?? formatOfFile(options.out) ?? config.report.format;
  const logger = loggerFor(io, options.logLevel, config.secrets);
  // The reads of a large workspace take a while: shown as a sync shows them (stderr only).
  const display = progressDisplay(io.terminal, logger, systemClock, { quiet: false });
  let report: DeliveryReport;
  try {
    report = await withPass(
      { ...processContext(config, logger, interrupts), ...(display ? { progress: display.listener } : {}) },
      { command: 'report', dryRun: true, recorded: false, counts: () => ({}) },
      (pass) => readReport(pass),
    );
  } finally {
    display?.close();
  }
  const text = scrubSecrets(renderReport(report, format), config.secrets);
  if (!options.out) {
    io.stdout(text);
    return 0;
  }
  const path = resolve(io.cwd, options.out);
  try {
    writeFileAtomic(path, text);
  } catch (error) {
    throw new SyncError('config', `cannot write the report to ${path}: ${(error as Error).message}`);
  }
  const t = report.totals;
  io.stdout(
    `report written to ${path} (${format}, ${formatBytes(Buffer.byteLength(text))}): ${report.streams.length} streams, ${t.items} items, ${t.blocked} blocked, ${t.stale} stale, ${t.openFindings} open findings`,
  );
  return 0;
}

/** `--out report.md` means Markdown, `.json` JSON, `.html` HTML: the file's name says what it holds. */
function formatOfFile(out: string | undefined): ReportFormat | undefined {
  const ext = out ? extname(out).slice(1).toLowerCase() : '';
  const format = ext === 'htm' ? 'html' : ext === 'markdown' ? 'md' : ext;
  return (REPORT_FORMATS as readonly string[]).includes(format) ? (format as ReportFormat) : undefined;
}
