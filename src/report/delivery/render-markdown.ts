import { markdownText } from '../../util/untrusted-text.js';
import { blockText, countsText } from './report-text.js';
import {
  STATUS_BUCKETS,
  STATUS_LABELS,
  type DeliveryReport,
  type ReportFinding,
  type ReportRow,
  type ReportStream,
} from './report-model.js';

// The report as Markdown that pastes into Confluence or a GitHub issue: headings, tables and
// plain links only, no HTML. Every text from Productboard or Jira goes through markdownText.

const m = markdownText;
/** Characters of a text status bar. */
const BAR = 20;

export function renderMarkdown(report: DeliveryReport): string {
  const lines = [
    `# Delivery report: ${m(report.project)}`,
    '',
    `Generated ${report.generatedAt} · ${report.streams.length} stream${report.streams.length === 1 ? '' : 's'} · ${countsText(report.totals)} · stale after ${report.staleDays} days without an update.`,
    '',
    '## Streams',
    '',
    table(
      [
        'Stream',
        'Items',
        ...STATUS_BUCKETS.map((b) => STATUS_LABELS[b]),
        'Blocked',
        'Stale',
        'Without parent',
        'Open findings',
        'Insights',
        'Status',
      ],
      report.streams.map((s) => [
        m(s.name),
        String(s.counts.items),
        ...STATUS_BUCKETS.map((b) => String(s.counts.byStatus[b])),
        String(s.counts.blocked),
        String(s.counts.stale),
        String(s.counts.withoutParent),
        String(s.counts.openFindings),
        String(s.counts.insights),
        textBar(s),
      ]),
    ),
    '',
    'Status: █ done, ▒ in progress, ░ to do, · not in Jira.',
    '',
    '## Age of open items',
    '',
    table(
      report.ageDistribution.map((b) => b.label),
      [report.ageDistribution.map((b) => String(b.count))],
    ),
    ...report.streams.flatMap(stream),
  ];
  if (report.notSynced.length) {
    lines.push(
      '',
      `## Not in Jira (${report.notSynced.length})`,
      '',
      table(
        ['Item', 'Type', 'Why'],
        report.notSynced.map((i) => [m(i.name), m(i.pbType), m(i.detail)]),
      ),
    );
  }
  if (report.otherFindings.length) lines.push('', '## Other open findings', '', findingsTable(report.otherFindings));
  return `${lines.join('\n')}\n`;
}

function stream(s: ReportStream): string[] {
  const blocked = s.rows.filter((r) => r.blocked.length);
  const stale = s.rows.filter((r) => r.stale);
  const orphans = s.rows.filter((r) => r.withoutParent);
  return [
    '',
    `## ${m(s.name)}`,
    '',
    `${countsText(s.counts)} · ${s.counts.insights} insights · grouped by ${s.groupedBy === 'value-stream' ? 'value stream' : 'top-level item'}`,
    '',
    table(['Productboard item', 'Jira', 'Status', 'Progress', 'Insights', 'Age (days)', 'Health'], s.rows.map(row)),
    '',
    `**Age of open items:** ${s.ageDistribution.map((b) => `${b.label}: ${b.count}`).join(' · ')}`,
    '',
    `**Blocked (${blocked.length}):** ${blocked.map((r) => `${ref(r)} (${m(blockText(r))})`).join('; ') || 'none'}`,
    '',
    `**Stale (${stale.length}):** ${stale.map((r) => `${ref(r)} (${r.idleDays} days)`).join('; ') || 'none'}`,
    '',
    `**Without a parent (${orphans.length}):** ${orphans.map(ref).join('; ') || 'none'}`,
    ...(s.findings.length ? ['', `**Open findings (${s.findings.length}):**`, '', findingsTable(s.findings)] : []),
  ];
}

function row(r: ReportRow): string[] {
  // Depth as leading dots: Markdown tables cannot indent, and nested lists would leave the table.
  const indent = r.depth ? `${'· '.repeat(r.depth)}` : '';
  const name = r.pbUrl ? `[${m(r.name)}](${linkTarget(r.pbUrl)})` : m(r.name);
  const jira = r.jira ? `[${m(r.jira.key)}](${linkTarget(r.jira.url)})` : '–';
  const health = [r.blocked.length ? 'blocked' : '', r.stale ? 'stale' : '', r.withoutParent ? 'no parent' : ''].filter(Boolean).join(', ');
  return [
    `${indent}${name}`,
    jira,
    m(r.jira?.status ?? STATUS_LABELS[r.status]),
    r.progress ? `${r.progress.done}/${r.progress.total}` : '',
    r.insights ? String(r.insights) : '',
    r.ageDays === null ? '' : String(r.ageDays),
    health,
  ];
}

function findingsTable(findings: readonly ReportFinding[]): string {
  return table(
    ['Finding', 'Item', 'Jira', 'Open for (days)', 'What'],
    findings.map((f) => [m(f.kind), m(f.name ?? ''), m(f.jiraKey ?? ''), String(f.openDays), m(f.message)]),
  );
}

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- |').join('')}`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** Status as a bar of block characters, proportional to the counts (one character per 5%). */
function textBar(s: ReportStream): string {
  const total = s.counts.items || 1;
  const glyph = { todo: '░', 'in-progress': '▒', done: '█', 'not-in-jira': '·' } as const;
  return STATUS_BUCKETS.map((b) => glyph[b].repeat(Math.round((s.counts.byStatus[b] / total) * BAR))).join('');
}

/** A URL inside `(…)`: the characters that would end the link or break the table, percent-encoded. */
const linkTarget = (url: string): string =>
  url.replace(/[()|<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

const ref = (r: ReportRow): string => (r.jira ? `${m(r.jira.key)} ${m(r.name)}` : m(r.name));
