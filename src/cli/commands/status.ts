import { loadOperatorConfig } from '../../config/load-config.js';
import { SyncError } from '../../errors.js';
import { Ledger, type RunRecord } from '../../ledger/ledger.js';
import { readHealth } from '../../scheduler/health-alert.js';
import { PASS_LEASE } from '../../ledger/lease.js';
import { nextRuns } from '../../scheduler/scheduler.js';
import type { CliIo } from '../context.js';
import { formatProblem } from '../../util/problems.js';

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace('.000Z', 'Z') : '-');
const duration = (run: RunRecord) => (run.endedAt ? `${((run.endedAt - run.startedAt) / 1000).toFixed(1)}s` : 'running');

/**
 * `pb-jira-sync status [--json] [--config FILE]`: is it alive? The last passes, the next scheduled
 * time, the lease, open findings and the link count, read from the ledger (read-only, no network,
 * no credentials needed).
 */
export async function statusCommand(io: CliIo, options: { config?: string; json?: boolean; limit?: string }): Promise<number> {
  const loaded = loadOperatorConfig({ configPath: options.config, env: io.env, cwd: io.cwd });
  if (!loaded.ok) throw new SyncError('config', 'the configuration has problems', { details: loaded.problems.map(formatProblem) });
  const { ledgerPath, schedule } = loaded.config;
  const now = Date.now();
  const next = nextRuns(schedule.cron, schedule.timezone, 3).map((d) => d.toISOString());
  const ledger = Ledger.openReadOnly(ledgerPath);
  const limit = Number(options.limit ?? 10);
  const data = {
    ledger: ledgerPath,
    schedule: { cron: schedule.cron, timezone: schedule.timezone, next },
    links: ledger?.linkCount() ?? 0,
    openFindings: ledger?.findings.openCount() ?? 0,
    lease: ledger?.leases.current(PASS_LEASE, now) ?? null,
    health: ledger ? (readHealth(ledger) ?? { state: 'ok' as const, since: null, lastError: null }) : null,
    runs: ledger?.recentRuns(limit) ?? [],
  };
  ledger?.close();

  if (options.json) {
    io.stdout(JSON.stringify(data, null, 2));
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
  io.stdout(lines.join('\n'));
  return 0;
}
