import { loadConfig, loadOperatorConfig } from '../../config/load-config.js';
import { SyncError } from '../../errors.js';
import { Ledger } from '../../ledger/ledger.js';
import { formatStatus, statusJson, type StatusHealth, type StatusView } from '../../report/format-status.js';
import { readHealth } from '../../scheduler/health-alert.js';
import { PASS_LEASE } from '../../ledger/lease.js';
import { nextRuns } from '../../scheduler/scheduler.js';
import { loggerFor, processContext, requireConfig, type CliIo, type GlobalOptions } from '../context.js';
import type { Interrupts } from '../interrupts.js';
import { jiraLeaseStatus } from '../../engine/jira-lease.js';
import { formatProblem } from '../../util/problems.js';
import { scrubSecrets } from '../../util/secrets.js';
import { jsonText } from '../../util/untrusted-text.js';

export interface StatusOptions extends GlobalOptions {
  json?: boolean;
  limit: number;
  /** Also read the Jira-side lease (needs the Jira credentials). */
  jira?: boolean;
}

/**
 * `pb-jira-sync status [--json] [--jira] [--config FILE]`: is it alive? The last passes (dry runs
 * too), the next scheduled time, the lease, the open findings with their age and the link count,
 * read from the ledger (read-only, no network, no credentials needed). With `--jira`, also who
 * holds the Jira-side lease, read from Jira (never taken, written or cleared).
 */
export async function statusCommand(io: CliIo, options: StatusOptions, interrupts?: Interrupts): Promise<number> {
  const jiraLease = options.jira ? await readJiraLease(io, options, interrupts) : null;
  const loaded = loadOperatorConfig({ configPath: options.config, env: io.env, cwd: io.cwd });
  if (!loaded.ok) throw new SyncError('config', 'the configuration has problems', { details: loaded.problems.map(formatProblem) });
  const { ledgerPath, schedule } = loaded.config;
  const now = Date.now();
  const next = nextRuns(schedule.cron, schedule.timezone, 3).map((d) => d.toISOString());
  const ledger = Ledger.openReadOnly(ledgerPath);
  const empty = { links: 0, findings: [], lease: null, health: null, runs: [] };
  const view: StatusView = {
    ledger: ledgerPath,
    ledgerExists: Boolean(ledger),
    schedule: { cron: schedule.cron, timezone: schedule.timezone, next },
    ...(ledger ? readLedger(ledger, now, options.limit) : empty),
    jiraLease: jiraLease && jiraLeaseStatus(jiraLease.reading, now, jiraLease.ttlMs),
    now,
  };
  // Stored errors are scrubbed when written; older ledgers may hold vendor text that was not, so scrub again.
  const print = (text: string) => io.stdout(scrubSecrets(text, knownSecrets(io, options.config)));
  print(options.json ? jsonText(statusJson(view), 2) : formatStatus(view));
  return 0;
}

/** The writer record of the configured project, read the way a pass reads it, through the one HTTP policy. */
async function readJiraLease(io: CliIo, options: StatusOptions, interrupts: Interrupts | undefined) {
  const config = requireConfig(io, options.config);
  const { services } = processContext(config, loggerFor(io, options.logLevel, config.secrets), interrupts);
  // The project first: a wrong key is reported as such, not as a free lease (the property of no project is none).
  await services.jira.project();
  return { reading: await services.jira.inspectWriterRecord(), ttlMs: config.schedule.leaseSeconds * 1000 };
}

/** What the ledger says, after SQLite's consistency check: a damaged ledger is an error naming the file, not a partial view. */
function readLedger(ledger: Ledger, now: number, limit: number) {
  try {
    ledger.checkIntegrity();
    return {
      links: ledger.linkCount(),
      findings: ledger.findings.openSince(),
      lease: ledger.leases.current(PASS_LEASE, now) ?? null,
      health: healthOf(ledger),
      runs: ledger.recentRuns(limit),
    };
  } catch (error) {
    throw ledger.explain(error);
  } finally {
    ledger.close();
  }
}

/** How many runs back `status` looks for the syncs that say whether items are stuck. */
const SYNC_HISTORY = 100;

/**
 * Failing scheduled passes come first; else the last finished sync (manual or scheduled) decides:
 * degraded since the first of the degraded syncs in a row.
 */
function healthOf(ledger: Ledger): StatusHealth {
  const scheduled = readHealth(ledger);
  if (scheduled?.state === 'failing') return { ...scheduled, stuck: null };
  const syncs = ledger
    .recentRuns(SYNC_HISTORY)
    .filter((run) => !run.dryRun && run.counts?.applied !== undefined && (run.outcome === 'succeeded' || run.outcome === 'degraded'));
  const last = syncs[0];
  if (last?.outcome !== 'degraded') return { state: 'ok', since: scheduled?.since ?? null, lastError: null, stuck: null };
  const firstHealthy = syncs.findIndex((run) => run.outcome !== 'degraded');
  const streak = firstHealthy === -1 ? syncs : syncs.slice(0, firstHealthy);
  const items = last.stuck ?? [];
  return {
    state: 'degraded',
    since: streak[streak.length - 1]!.startedAt,
    lastError: null,
    stuck: { count: last.counts?.['stuck'] ?? items.length, items },
  };
}

/** The secrets the config would use, when they can be read: status needs none, but must print none either. */
function knownSecrets(io: CliIo, configPath: string | undefined): string[] {
  const full = loadConfig({ configPath, env: io.env, cwd: io.cwd });
  return full.ok ? full.config.secrets : [];
}
