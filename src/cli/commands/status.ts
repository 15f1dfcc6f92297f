import { loadConfig, loadOperatorConfig } from '../../config/load-config.js';
import { SyncError } from '../../errors.js';
import { Ledger, type RunRecord } from '../../ledger/ledger.js';
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
    `health     ${data.health ? (data.health.state === 'ok' ? 'ok' : `FAILING since ${iso(data.health.since)}: ${data.health.lastError}`) : '-'}`,
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
      health: readHealth(ledger) ?? { state: 'ok' as const, since: null, lastError: null },
      runs: ledger.recentRuns(limit),
    };
  } catch (error) {
    throw ledger.explain(error);
  } finally {
    ledger.close();
  }
}

/** The secrets the config would use, when they can be read: status needs none, but must print none either. */
function knownSecrets(io: CliIo, configPath: string | undefined): string[] {
  const full = loadConfig({ configPath, env: io.env, cwd: io.cwd });
  return full.ok ? full.config.secrets : [];
}
