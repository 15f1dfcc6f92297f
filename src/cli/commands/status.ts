import { loadConfig, loadOperatorConfig } from '../../config/load-config.js';
import { SyncError } from '../../errors.js';
import { Ledger, type RunRecord } from '../../ledger/ledger.js';
import type { StuckItem } from '../../model/stuck-item.js';
import { readHealth } from '../../scheduler/health-alert.js';
import { PASS_LEASE } from '../../ledger/lease.js';
import { nextRuns } from '../../scheduler/scheduler.js';
import type { CliIo } from '../context.js';
import { formatProblem } from '../../util/problems.js';
import { scrubSecrets } from '../../util/secrets.js';
import { jsonText, printableLines } from '../../util/untrusted-text.js';

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace('.000Z', 'Z') : '-');
const duration = (run: RunRecord) => (run.endedAt ? `${((run.endedAt - run.startedAt) / 1000).toFixed(1)}s` : 'running');

/**
 * `pb-jira-sync status [--json] [--config FILE]`: is it alive? The last passes, the next scheduled
 * time, the lease, open findings and the link count, read from the ledger (read-only, no network,
 * no credentials needed).
 */
export async function statusCommand(io: CliIo, options: { config?: string; json?: boolean; limit: number }): Promise<number> {
  const loaded = loadOperatorConfig({ configPath: options.config, env: io.env, cwd: io.cwd });
  if (!loaded.ok) throw new SyncError('config', 'the configuration has problems', { details: loaded.problems.map(formatProblem) });
  const { ledgerPath, schedule } = loaded.config;
  const now = Date.now();
  const next = nextRuns(schedule.cron, schedule.timezone, 3).map((d) => d.toISOString());
  const ledger = Ledger.openReadOnly(ledgerPath);
  const view = ledger ? readLedger(ledger, now, options.limit) : { links: 0, openFindings: 0, lease: null, health: null, runs: [] };
  const data = { ledger: ledgerPath, schedule: { cron: schedule.cron, timezone: schedule.timezone, next }, ...view };
  // Stored errors are scrubbed when written; older ledgers may hold vendor text that was not, so scrub again.
  const print = (text: string) => io.stdout(scrubSecrets(text, knownSecrets(io, options.config)));

  if (options.json) {
    print(jsonText(data, 2));
    return 0;
  }
  const lines = [
    `ledger     ${ledgerPath}${ledger ? '' : ' (not created yet: no pass has run)'}`,
    `links      ${data.links}`,
    `findings   ${data.openFindings} open`,
    `schedule   ${schedule.cron} (${schedule.timezone}); next pass ${next[0] ?? '-'}`,
    `lease      ${data.lease ? `held by ${data.lease.holder} since ${iso(data.lease.acquiredAt)}, expires ${iso(data.lease.expiresAt)}` : 'free (no pass running)'}`,
    `health     ${data.health ? healthLine(data.health) : '-'}`,
    '',
    data.runs.length ? 'last runs' : 'no runs recorded yet',
    ...data.runs.map((run) => {
      const counts = run.counts
        ? Object.entries(run.counts)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')
        : '';
      return `  ${iso(run.startedAt)}  ${run.command.padEnd(16)} ${run.outcome.padEnd(11)} ${duration(run).padStart(7)}  ${run.error ?? (counts || 'nothing to do')}`;
    }),
  ];
  print(printableLines(lines));
  return 0;
}

/** What the ledger says, after SQLite's consistency check: a damaged ledger is an error naming the file, not a partial view. */
function readLedger(ledger: Ledger, now: number, limit: number) {
  try {
    ledger.checkIntegrity();
    return {
      links: ledger.linkCount(),
      openFindings: ledger.findings.openCount(),
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

interface StatusHealth {
  /** failing: scheduled passes fail; degraded: the last sync finished with items it could not bring into Jira. */
  state: 'ok' | 'failing' | 'degraded';
  since: number | null;
  lastError: string | null;
  /** A degraded state's items (the last sync's, as its run record keeps them). */
  stuck: { count: number; items: StuckItem[] } | null;
}

/**
 * Failing scheduled passes come first; else the last finished sync (manual or scheduled) decides:
 * degraded since the first of the degraded syncs in a row.
 */
function healthOf(ledger: Ledger): StatusHealth {
  const scheduled = readHealth(ledger);
  if (scheduled?.state === 'failing') return { ...scheduled, stuck: null };
  const syncs = ledger
    .recentRuns(SYNC_HISTORY)
    .filter((run) => run.counts?.applied !== undefined && (run.outcome === 'succeeded' || run.outcome === 'degraded'));
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

function healthLine(health: StatusHealth): string {
  if (health.state === 'failing') return `FAILING since ${iso(health.since)}: ${health.lastError}`;
  if (health.state === 'ok' || !health.stuck) return 'ok';
  const { count, items } = health.stuck;
  const named = items.slice(0, 3).map((item) => `"${item.name}" (${item.reason})`);
  const more = count > named.length ? `, and ${count - named.length} more (status --json lists them)` : '';
  return `DEGRADED since ${iso(health.since)}: ${count} item${count === 1 ? '' : 's'} not synced, retried every pass: ${named.join('; ')}${more}`;
}

/** The secrets the config would use, when they can be read: status needs none, but must print none either. */
function knownSecrets(io: CliIo, configPath: string | undefined): string[] {
  const full = loadConfig({ configPath, env: io.env, cwd: io.cwd });
  return full.ok ? full.config.secrets : [];
}
