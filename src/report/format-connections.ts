import type { ConnectionReport } from '../engine/connect.js';
import type { Connection, ConnectionWrite } from '../model/connection.js';
import { printableLines } from '../util/untrusted-text.js';
import { limitedLines, writeResultLines } from './format-writes.js';

// The plugin-integration column as people read it: how many connections change and to what, then,
// when applied, what Productboard took.

const shownAs = (c: Connection): string =>
  c.state === 'connected'
    ? `connected "${c.label}" (${c.hoverLabel})`
    : c.state === 'error'
      ? `error "${c.message}"`
      : c.state === 'initial'
        ? 'reset'
        : c.state;

/** "Productboard column: 24 connections to write (22 connected, 2 errors, 1 reset), 3 unchanged". */
export function connectionHeadline(report: ConnectionReport): string {
  const { writes, unchanged } = report.plan;
  if (writes.length === 0) return `Productboard column: nothing to update (${unchanged} connections already up to date)`;
  const by = (state: Connection['state']) => writes.filter((w) => w.to.state === state).length;
  const parts = [
    [by('connected'), 'connected'],
    [by('error'), 'errors'],
    [by('initial'), 'reset'],
  ].flatMap(([n, what]) => (n ? [`${n} ${what}`] : []));
  return `Productboard column: ${writes.length} ${writes.length === 1 ? 'connection' : 'connections'} to write (${parts.join(', ')}), ${unchanged} unchanged`;
}

const describeWrite = (w: ConnectionWrite): string =>
  `  ~ "${w.name}"${w.jiraKey ? ` (${w.jiraKey})` : ''}: ${w.from ? `${shownAs(w.from)} → ` : ''}${shownAs(w.to)}`;

/** The plan's column part: the headline and one line per connection (at most `max`). */
export function formatConnectionPlan(report: ConnectionReport | null, max = 200): string {
  if (!report) return '';
  const { writes } = report.plan;
  return printableLines(['', connectionHeadline(report), ...limitedLines(writes, describeWrite, max)]);
}

/** What Productboard took, after a real pass. */
export function formatConnectionResults(report: ConnectionReport | null): string {
  if (!report) return '';
  return printableLines(writeResultLines('Productboard column', report.result));
}

/** `--json`: every planned connection write, and what was done. */
export const connectionsJson = (report: ConnectionReport | null, dryRun: boolean) =>
  report && {
    writes: report.plan.writes.map((w) => ({ pbId: w.pbId, name: w.name, jiraKey: w.jiraKey, from: w.from, to: w.to })),
    unchanged: report.plan.unchanged,
    results: dryRun ? null : report.result,
  };
