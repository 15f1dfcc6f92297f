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
 * every link through the model's safe URLs. Compact on purpose (optional closing tags left out,
 * Productboard links relative to one base): a 16,000-item workspace must stay a file one can mail.
 */
export function renderHtml(report: DeliveryReport): string {
  const open = report.totals.items <= OPEN_STREAMS_UP_TO;
  const title = `Delivery report · ${report.project}`;
  const links = pbLinks(report.streams.flatMap((s) => s.rows.map((r) => r.pbUrl)));
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${e(CONTENT_SECURITY_POLICY)}">`,
    links.base ? `<base href="${e(links.base)}">` : '',
    `<title>${e(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${e(title)}</h1>`,
    `<p class="meta">Generated ${e(report.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))} · ${report.streams.length} stream${plural(report.streams.length)} · ${countsText(report.totals)} · stale after ${report.staleDays} days without an update</p>`,
    '<div class="filter"><input id="filter" type="search" placeholder="Filter items: name, key, status, blocked, stale…" aria-label="Filter items"><span id="shown" aria-live="polite"></span></div>',
    overview(report),
    ...report.streams.map((s) => stream(s, open, links.href)),
    notSynced(report),
    report.otherFindings.length ? `<h3>Other open findings</h3>${findingsTable(report.otherFindings)}` : '',
    `<script>${SCRIPT}</script></body></html>`,
  ].join('\n');
}

/** A relative link this simple resolves against the base to exactly base + it (no scheme, no path, no dot segment). */
const PLAIN_SEGMENT = /^(?!\.\.?$)[A-Za-z0-9._~-]+$/;

/**
 * Productboard links share a long prefix (`https://acme.productboard.com/entity-detail/`): it is
 * written once as the page's base, and each link as the rest when that rest is a plain path
 * segment (an id). Any other link is written whole. Jira links stay absolute: they ignore the base.
 */
function pbLinks(urls: ReadonlyArray<string | null>): { base: string | null; href: (url: string) => string } {
  const present = urls.filter((u): u is string => u !== null);
  const first = present[0];
  if (!first || present.length < 2) return { base: null, href: (url) => url };
  let prefix = first.slice(0, first.lastIndexOf('/') + 1);
  for (const url of present)
    while (prefix && !url.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
  // Only a prefix with a path (scheme and host alone would make every link a path on that host).
  if (!/^https?:\/\/[^/]+\/./.test(prefix)) return { base: null, href: (url) => url };
  return {
    base: prefix,
    href: (url) => (url.startsWith(prefix) && PLAIN_SEGMENT.test(url.slice(prefix.length)) ? url.slice(prefix.length) : url),
  };
}

function overview(report: DeliveryReport): string {
  if (!report.streams.length) return '<p>Nothing is mapped yet: no Productboard item qualifies for Jira.</p>';
  const rows = report.streams.map(
    (s) =>
      `<tr><td>${e(s.name)}<td class="num">${s.counts.items}<td class="barcell">${statusBar(s.counts.byStatus, s.name)}` +
      `<td class="num opt">${s.counts.blocked}<td class="num opt">${s.counts.stale}<td class="num opt">${s.counts.openFindings}`,
  );
  return [
    '<h3>Status per stream</h3>',
    legend(),
    '<div class="scroll"><table class="overview"><thead><tr><th>Stream</th><th>Items</th><th>Status</th><th class="opt">Blocked</th><th class="opt">Stale</th><th class="opt">Findings</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table></div>`,
    '<h3>Age of open items (all streams)</h3>',
    ageHistogram(report.ageDistribution, 'Age of open items'),
  ].join('\n');
}

const legend = (): string =>
  `<div class="legend">${STATUS_BUCKETS.map((b) => `<span><i class="${b}"></i>${STATUS_LABELS[b]}</span>`).join('')}</div>`;

function stream(s: ReportStream, open: boolean, href: (url: string) => string): string {
  const c = s.counts;
  const chips = [
    `<i>${c.items} item${plural(c.items)}</i>`,
    `<i>${c.byStatus.done} done</i>`,
    `<i>${c.byStatus['in-progress']} in progress</i>`,
    `<i>${c.byStatus.todo} to do</i>`,
    c.byStatus['not-in-jira'] ? `<i>${c.byStatus['not-in-jira']} not in Jira</i>` : '',
    c.blocked ? `<i class=warn>${c.blocked} blocked</i>` : '',
    c.stale ? `<i class=stale>${c.stale} stale</i>` : '',
    c.openFindings ? `<i class=warn>${c.openFindings} finding${plural(c.openFindings)}</i>` : '',
    `<i>${c.insights} insight${plural(c.insights)}</i>`,
  ].join('');
  const grouped = s.groupedBy === 'value-stream' ? 'value stream' : 'top-level item';
  return [
    `<details class="stream" data-stream="${e(s.id)}"${open ? ' open' : ''}><summary><h2>${e(s.name)}</h2><span class="counts" title="${grouped}">${chips}</span></summary>`,
    '<div class="scroll"><table class="items tree"><thead><tr><th>Productboard item<th>Jira<th>Type<th>Status<th>Progress<th>Insights<th>Age (d)</thead><tbody>',
    s.rows.map((r) => row(r, href)).join('\n'),
    '</tbody></table></div>',
    health(s),
    '</details>',
  ].join('\n');
}

/**
 * One item; optional closing tags (td, tr) and the quotes of one-word attribute values left out, as
 * HTML allows: a large report is mostly rows.
 */
function row(r: ReportRow, href: (url: string) => string): string {
  const name = r.pbUrl ? `<a href="${e(href(r.pbUrl))}">${e(r.name)}</a>` : e(r.name);
  const badges =
    (r.blocked.length ? `<span class="badge blocked" title="${e(blockText(r))}">blocked</span>` : '') +
    (r.stale ? `<span class="badge stale" title="no update for ${r.idleDays} days">stale</span>` : '') +
    (r.withoutParent ? '<span class="badge orphan">no parent</span>' : '');
  const jira = r.jira ? `<a href="${e(r.jira.url)}">${e(r.jira.key)}</a>` : '–';
  const status = r.jira?.status ?? STATUS_LABELS[r.status];
  return (
    `<tr${r.depth ? ` class=d${Math.min(r.depth, MAX_DEPTH)}` : ''}><td>${name}${badges}<td>${jira}<td>${e(r.jira?.issueType ?? r.pbType)}` +
    `<td class=${r.status}>${e(status)}<td>${r.progress ? `${r.progress.done}/${r.progress.total}` : ''}<td>${r.insights || ''}<td>${r.ageDays ?? ''}`
  );
}

/** The stream's backlog health: ages in one line, then only the lists that have something in them. */
function health(s: ReportStream): string {
  const blocked = s.rows.filter((r) => r.blocked.length);
  const stale = s.rows.filter((r) => r.stale).sort((a, b) => (b.idleDays ?? 0) - (a.idleDays ?? 0));
  const orphans = s.rows.filter((r) => r.withoutParent);
  const ages = s.ageDistribution.filter((b) => b.count > 0).map((b) => `${e(b.label)}: ${b.count}`);
  const parts = [
    `<p class="ages"><b>Age of open items</b> ${ages.join(' · ') || 'none open'}</p>`,
    blocked.length ? `<h3>Blocked (${blocked.length})</h3>${list(blocked, (r) => `${itemRef(r)}: ${e(blockText(r))}`)}` : '',
    stale.length ? `<h3>Stale (${stale.length})</h3>${list(stale, (r) => `${itemRef(r)}: no update for ${r.idleDays} days`)}` : '',
    orphans.length
      ? `<h3>Without a parent (${orphans.length})</h3>${list(orphans, (r) => `${itemRef(r)} (${e(r.jira?.issueType ?? r.pbType)})`)}`
      : '',
    s.findings.length ? `<h3>Open findings (${s.findings.length})</h3>${findingsTable(s.findings)}` : '',
  ];
  const quiet = !blocked.length && !stale.length && !orphans.length && !s.findings.length;
  return `<div class="health">${parts.join('')}${quiet ? '<p class="muted">Nothing blocked, stale or without a parent; no open finding.</p>' : ''}</div>`;
}

function list<T>(items: readonly T[], line: (item: T) => string): string {
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
