import type { FixResult, ReconcileReport } from '../engine/run-reconcile.js';
import { FINDING_KINDS, type Finding } from '../model/finding.js';
import { printableLines } from '../util/untrusted-text.js';
import { OUTPUT_SCHEMA_VERSION } from './output-schema.js';

/** Findings grouped by kind, each with both systems' links, parents and a suggested fix. */
export function formatFindings(report: ReconcileReport): string {
  const lines: string[] = [];
  const { findings, fixes } = report;
  lines.push(
    findings.length
      ? `${findings.length} finding${findings.length === 1 ? '' : 's'} in Jira project ${report.project}`
      : `No findings: Jira project ${report.project} matches the Productboard hierarchy.`,
  );
  for (const kind of FINDING_KINDS) {
    const group = findings.filter((f) => f.kind === kind);
    if (!group.length) continue;
    lines.push('', `${kind} (${group.length})`);
    for (const f of group) lines.push(...describe(f));
  }
  if (fixes.length) {
    lines.push('', 'Repairs');
    for (const fix of fixes) {
      const where = fix.finding.expectedParent ? `under ${fix.finding.expectedParent}` : 'to the top level';
      const verb = fix.outcome === 'failed' ? 'could not move' : report.dryRun ? 'would move' : 'moved';
      lines.push(`  ${fix.finding.jiraKey} ${verb} ${where}${fix.error ? `: ${fix.error}` : ''}`);
    }
  }
  const alert = report.alert;
  if (alert.reason !== 'no --alert') lines.push('', `Slack alert: ${alert.sent ? 'sent' : `not sent (${alert.reason})`}`);
  return printableLines(lines);
}

function describe(f: Finding): string[] {
  const lines = [`  - ${f.message}`];
  if (f.pbName) lines.push(`      Productboard: "${f.pbName}"${f.pbId ? ` ${f.pbId}` : ''}${f.pbUrl ? ` ${f.pbUrl}` : ''}`);
  if (f.jiraKey) lines.push(`      Jira: ${f.jiraKey}${f.jiraUrl ? ` ${f.jiraUrl}` : ''}`);
  if (f.expectedParent || f.actualParent)
    lines.push(`      parent: expected ${f.expectedParent ?? 'none'}, actual ${f.actualParent ?? 'none'}`);
  lines.push(`      fix: ${f.suggestion}`);
  return lines;
}

/** The `--json` document of `reconcile` (docs/schemas/reconcile.schema.json). */
export function reconcileReportJson(report: ReconcileReport) {
  const byKind: Record<string, number> = {};
  for (const f of report.findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  return {
    schemaVersion: OUTPUT_SCHEMA_VERSION,
    runId: report.runId,
    dryRun: report.dryRun,
    findings: report.findings.map(findingJson),
    summary: {
      project: report.project,
      total: report.findings.length,
      byKind,
      fixes: report.fixes.map((f) => ({
        jiraKey: f.finding.jiraKey,
        kind: f.finding.kind,
        outcome: fixOutcome(report, f),
        to: f.finding.expectedParent,
        ...(f.error ? { error: f.error } : {}),
      })),
      alert: { sent: report.alert.sent, reason: report.alert.reason },
    },
  };
}

/** The documented JSON shape of a finding (README "Findings"): the same keys for every kind. */
export const findingJson = (f: Finding) => ({
  kind: f.kind,
  pbId: f.pbId,
  pbName: f.pbName,
  pbUrl: f.pbUrl,
  jiraKey: f.jiraKey,
  jiraUrl: f.jiraUrl,
  expectedParent: f.expectedParent,
  actualParent: f.actualParent,
  message: f.message,
  suggestion: f.suggestion,
});

const fixOutcome = (report: ReconcileReport, fix: FixResult): 'moved' | 'would-move' | 'failed' =>
  fix.outcome === 'failed' ? 'failed' : report.dryRun ? 'would-move' : 'moved';
