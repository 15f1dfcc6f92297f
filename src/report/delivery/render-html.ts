import { escapeHtml } from '../../util/untrusted-text.js';
import { ageHistogram, statusBar } from './charts.js';
import { blockText, countsText, plural } from './report-text.js';
import { CONTENT_SECURITY_POLICY, MAX_DEPTH, SCRIPT, STYLE } from './html-page.js';
import {
  STATUS_BUCKETS,
  STATUS_LABELS,
  type DeliveryReport,
  type ReportFinding,
  type ReportRow,
  type ReportStream,
} from './report-model.js';

/** Above this many items the streams start collapsed: a person opens the one they look for (or filters). */
const OPEN_STREAMS_UP_TO = 2000;
/** Health lists show this many items, then say how many more there are. */
const LIST_MAX = 25;

const e = escapeHtml;

/**
 * The report as one self-contained web page: inline style, inline SVG, one small inline script, a
 * policy that lets it load nothing. Every text from Productboard or Jira goes through escapeHtml,
 * every link through the model's safe URLs.
 */
export function renderHtml(report: DeliveryReport): string {
  const open = report.totals.items <= OPEN_STREAMS_UP_TO;
  const title = `Delivery report · ${report.project}`;
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${e(CONTENT_SECURITY_POLICY)}">`,
    `<title>${e(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${e(title)}</h1>`,
    `<p class="meta">Generated ${e(report.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))} · ${report.streams.length} stream${plural(report.streams.length)} · ${countsText(report.totals)} · stale after ${report.staleDays} days without an update</p>`,
    '<div class="filter"><input id="filter" type="search" placeholder="Filter items: name, key, status, blocked, stale…" aria-label="Filter items"><span id="shown" aria-live="polite"></span></div>',
    overview(report),
    ...report.streams.map((s) => stream(s, open)),
    notSynced(report),
    report.otherFindings.length ? `<h3>Other open findings</h3>${findingsTable(report.otherFindings)}` : '',
    `<script>${SCRIPT}</script></body></html>`,
  ].join('\n');
}

function overview(report: DeliveryReport): string {
  if (!report.streams.length) return '<p>Nothing is mapped yet: no Productboard item qualifies for Jira.</p>';
  const rows = report.streams.map(
    (s) =>
      `<tr><td>${e(s.name)}</td><td class="num">${s.counts.items}</td><td class="barcell">${statusBar(s.counts.byStatus, s.name)}</td>` +
      `<td class="num opt">${s.counts.blocked}</td><td class="num opt">${s.counts.stale}</td><td class="num opt">${s.counts.openFindings}</td></tr>`,
  );
  return [
    '<h3>Status per stream</h3>',
    legend(),
    '<div class="scroll"><table class="overview"><thead><tr><th>Stream</th><th>Items</th><th>Status</th><th class="opt">Blocked</th><th class="opt">Stale</th><th class="opt">Findings</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table></div>`,
    '<h3>Age of open items (all streams)</h3>',
    ageHistogram(report.ageDistribution, 'Age of open items'),
  ].join('\n');
}

const legend = (): string =>
  `<div class="legend">${STATUS_BUCKETS.map((b) => `<span><i class="${b}"></i>${STATUS_LABELS[b]}</span>`).join('')}</div>`;

function stream(s: ReportStream, open: boolean): string {
  const c = s.counts;
  const chips = [
    `<span class="c">${c.items} item${plural(c.items)}</span>`,
    `<span class="c">${c.byStatus.done} done</span>`,
    `<span class="c">${c.byStatus['in-progress']} in progress</span>`,
    `<span class="c">${c.byStatus.todo} to do</span>`,
    c.byStatus['not-in-jira'] ? `<span class="c">${c.byStatus['not-in-jira']} not in Jira</span>` : '',
    c.blocked ? `<span class="c warn">${c.blocked} blocked</span>` : '',
    c.stale ? `<span class="c stale">${c.stale} stale</span>` : '',
    c.openFindings ? `<span class="c warn">${c.openFindings} finding${plural(c.openFindings)}</span>` : '',
    `<span class="c">${c.insights} insight${plural(c.insights)}</span>`,
  ].join('');
  const grouped = s.groupedBy === 'value-stream' ? 'value stream' : 'top-level item';
  return [
    `<details class="stream" data-stream="${e(s.id)}"${open ? ' open' : ''}><summary><h2>${e(s.name)}</h2><span class="counts" title="${grouped}">${chips}</span></summary>`,
    statusBar(s.counts.byStatus, s.name),
    '<div class="scroll"><table class="items tree"><thead><tr><th>Productboard item</th><th>Jira</th><th class="opt">Type</th><th>Status</th><th>Progress</th><th class="opt" title="linked insights (request frequency)">Insights</th><th class="opt">Age</th></tr></thead><tbody>',
    s.rows.map(row).join('\n'),
    '</tbody></table></div>',
    health(s),
    '</details>',
  ].join('\n');
}

function row(r: ReportRow): string {
  const name = r.pbUrl ? `<a href="${e(r.pbUrl)}">${e(r.name)}</a>` : e(r.name);
  const badges =
    (r.blocked.length ? `<span class="badge blocked" title="${e(blockText(r))}">blocked</span>` : '') +
    (r.stale ? `<span class="badge stale" title="no update for ${r.idleDays} days">stale</span>` : '') +
    (r.withoutParent ? '<span class="badge orphan">no parent</span>' : '');
  const jira = r.jira ? `<a href="${e(r.jira.url)}">${e(r.jira.key)}</a>` : '–';
  const status = r.jira?.status ?? STATUS_LABELS[r.status];
  return (
    `<tr class="d${Math.min(r.depth, MAX_DEPTH)}"><td class="n">${name}${badges}</td><td class="k">${jira}</td><td class="opt">${e(r.jira?.issueType ?? r.pbType)}</td>` +
    `<td><span class="st ${r.status}">${e(status)}</span></td><td class="num">${r.progress ? `${r.progress.done}/${r.progress.total}` : ''}</td>` +
    `<td class="num opt">${r.insights || ''}</td><td class="num opt">${r.ageDays === null ? '' : `${r.ageDays} d`}</td></tr>`
  );
}

function health(s: ReportStream): string {
  const blocked = s.rows.filter((r) => r.blocked.length);
  const stale = s.rows.filter((r) => r.stale).sort((a, b) => (b.idleDays ?? 0) - (a.idleDays ?? 0));
  const orphans = s.rows.filter((r) => r.withoutParent);
  return [
    '<div class="health">',
    `<div><h3>Age of open items</h3>${ageHistogram(s.ageDistribution, `Age of open items in ${s.name}`)}</div>`,
    `<div><h3>Blocked (${blocked.length})</h3>${list(blocked, (r) => `${itemRef(r)}: ${e(blockText(r))}`)}`,
    `<h3>Stale (${stale.length})</h3>${list(stale, (r) => `${itemRef(r)}: no update for ${r.idleDays} days`)}`,
    `<h3>Without a parent (${orphans.length})</h3>${list(orphans, (r) => `${itemRef(r)} (${e(r.jira?.issueType ?? r.pbType)})`)}</div>`,
    '</div>',
    `<h3>Open findings (${s.findings.length})</h3>`,
    s.findings.length ? findingsTable(s.findings) : '<p class="muted">None.</p>',
  ].join('\n');
}

function list<T>(items: readonly T[], line: (item: T) => string): string {
  if (!items.length) return '<p class="muted">None.</p>';
  const more = items.length > LIST_MAX ? `<li class="muted">and ${items.length - LIST_MAX} more</li>` : '';
  return `<ul>${items
    .slice(0, LIST_MAX)
    .map((i) => `<li>${line(i)}</li>`)
    .join('')}${more}</ul>`;
}

function findingsTable(findings: readonly ReportFinding[]): string {
  const rows = findings.map(
    (f) =>
      `<tr><td>${e(f.kind)}</td><td>${e(f.name ?? '')}${f.jiraKey ? ` (${e(f.jiraKey)})` : ''}</td><td class="opt">${e(f.message)}</td><td class="num">${f.openDays} d</td></tr>`,
  );
  return `<div class="scroll"><table class="items findings"><thead><tr><th>Finding</th><th>Item</th><th class="opt">What</th><th>Open for</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function notSynced(report: DeliveryReport): string {
  if (!report.notSynced.length) return '';
  return `<h3>Not in Jira (${report.notSynced.length})</h3>${list(report.notSynced, (i) => `${e(i.name)} <span class="muted">(${e(i.pbType)}: ${e(i.detail)})</span>`)}`;
}

const itemRef = (r: ReportRow): string => (r.jira ? `${e(r.jira.key)} ${e(r.name)}` : e(r.name));
