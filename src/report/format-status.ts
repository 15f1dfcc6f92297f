import type { Finding } from '../model/finding.js';
import { findingJson } from './format-findings.js';
import type { RunRecord } from '../model/run.js';
import type { StuckItem } from '../model/stuck-item.js';
import { printableLines } from '../util/untrusted-text.js';
import { OUTPUT_SCHEMA_VERSION, isoTime } from './output-schema.js';
import { age, secondsTime as when } from './time-text.js';
import { jiraLeaseJson, jiraLeaseLines } from './format-jira-lease.js';
import type { JiraLeaseStatus } from '../engine/jira-lease.js';

// `status`: is it alive, and what is open? Read from the ledger by the CLI; shown here as text or
// as the JSON document of docs/schemas/status.schema.json.

export interface StatusHealth {
  /** failing: scheduled passes fail; degraded: the last sync finished with items it could not bring into Jira. */
  state: 'ok' | 'failing' | 'degraded';
  since: number | null;
  lastError: string | null;
  /** A degraded state's items (the last sync's, as its run record keeps them). */
  stuck: { count: number; items: StuckItem[] } | null;
}

export interface OpenFinding {
  finding: Finding;
  firstSeen: number;
  lastSeen: number;
}

export interface StatusView {
  ledger: string;
  /** False before the first pass created it. */
  ledgerExists: boolean;
  schedule: { cron: string; timezone: string; next: string[] };
  links: number;
  /** Open findings, the oldest first. */
  findings: OpenFinding[];
  lease: { holder: string; acquiredAt: number; expiresAt: number } | null;
  /** The Jira-side lease, as read from Jira (`status --jira`); null when not asked for. */
  jiraLease: JiraLeaseStatus | null;
  health: StatusHealth | null;
  runs: RunRecord[];
  /** When the view was read: ages count from it. */
  now: number;
}

/** How many open findings the text lists (the JSON lists all). */
const FINDINGS_LISTED = 20;

export function statusJson(view: StatusView) {
  return {
    schemaVersion: OUTPUT_SCHEMA_VERSION,
    ledger: view.ledger,
    schedule: view.schedule,
    links: view.links,
    openFindings: view.findings.length,
    findings: view.findings.map(({ finding, firstSeen, lastSeen }) => ({
      ...findingJson(finding),
      firstSeen: isoTime(firstSeen),
      lastSeen: isoTime(lastSeen),
      ageSeconds: Math.max(0, Math.round((view.now - firstSeen) / 1000)),
    })),
    lease: view.lease && {
      holder: view.lease.holder,
      acquiredAt: isoTime(view.lease.acquiredAt),
      expiresAt: isoTime(view.lease.expiresAt),
    },
    jiraLease: view.jiraLease && jiraLeaseJson(view.jiraLease, view.now),
    health: view.health && { ...view.health, since: isoTime(view.health.since) },
    runs: view.runs.map(runJson),
  };
}

/** A run as every JSON document shows it: ISO 8601 times, its duration, and whether it was a dry run. */
export const runJson = (run: RunRecord) => ({
  id: run.id,
  command: run.command,
  dryRun: run.dryRun,
  startedAt: isoTime(run.startedAt),
  endedAt: isoTime(run.endedAt),
  durationMs: run.endedAt === null ? null : run.endedAt - run.startedAt,
  outcome: run.outcome,
  counts: run.counts,
  error: run.error,
  stuck: run.stuck,
});

export function formatStatus(view: StatusView): string {
  const { lease, health, findings } = view;
  const oldest = findings[0];
  const lines = [
    `ledger     ${view.ledger}${view.ledgerExists ? '' : ' (not created yet: no pass has run)'}`,
    `links      ${view.links}`,
    `findings   ${findings.length} open${oldest ? ` (the oldest for ${age(view.now - oldest.firstSeen)})` : ''}`,
    `schedule   ${view.schedule.cron} (${view.schedule.timezone}); next pass ${view.schedule.next[0] ?? '-'}`,
    `lease      ${lease ? `held by ${lease.holder} since ${when(lease.acquiredAt)}, expires ${when(lease.expiresAt)}` : 'free (no pass running)'}`,
    ...(view.jiraLease ? jiraLeaseLines(view.jiraLease, view.now) : []),
    `health     ${health ? healthLine(health) : '-'}`,
  ];
  if (findings.length) {
    lines.push('', 'open findings (oldest first)');
    for (const { finding: f, firstSeen } of findings.slice(0, FINDINGS_LISTED)) {
      const subject = [f.jiraKey, f.pbName === null ? null : `"${f.pbName}"`].filter(Boolean).join(' ');
      lines.push(`  ${f.kind.padEnd(16)} open ${age(view.now - firstSeen).padEnd(7)} ${subject}: ${f.message}`);
    }
    if (findings.length > FINDINGS_LISTED) lines.push(`  …and ${findings.length - FINDINGS_LISTED} more (status --json lists them)`);
  }
  lines.push('', view.runs.length ? 'last runs' : 'no runs recorded yet', ...view.runs.map(runLine));
  return printableLines(lines);
}

/** The short run id people type into `history --run`. */
export const shortId = (id: string): string => id.slice(0, 8);

function runLine(run: RunRecord): string {
  const counts = run.counts
    ? Object.entries(run.counts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')
    : '';
  const duration = run.endedAt ? `${((run.endedAt - run.startedAt) / 1000).toFixed(1)}s` : 'running';
  const command = run.dryRun ? `${run.command} (dry run)` : run.command;
  return `  ${when(run.startedAt)}  ${shortId(run.id)}  ${command.padEnd(16)} ${run.outcome.padEnd(11)} ${duration.padStart(7)}  ${run.error ?? (counts || 'nothing to do')}`;
}

function healthLine(health: StatusHealth): string {
  if (health.state === 'failing') return `FAILING since ${when(health.since)}: ${health.lastError}`;
  if (health.state === 'ok' || !health.stuck) return 'ok';
  const { count, items } = health.stuck;
  const named = items.slice(0, 3).map((item) => `"${item.name}" (${item.reason})`);
  const more = count > named.length ? `, and ${count - named.length} more (status --json lists them)` : '';
  return `DEGRADED since ${when(health.since)}: ${count} item${count === 1 ? '' : 's'} not synced, retried every pass: ${named.join('; ')}${more}`;
}
