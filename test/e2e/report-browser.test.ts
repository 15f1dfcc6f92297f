/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JiraIssueView } from '../../src/sandbox/index.js';
import { startE2E, type E2E } from './harness.js';

// The HTML report of a synced sandbox, opened in a real browser (the headless Chromium
// that @sparticuz/chromium carries in its npm package), checked for what a person sees.

const DAY_MS = 86_400_000;
/** The sync happens this long ago (the sandbox's clock is set back): the issues have an age, and the untouched ones are stale. */
const SYNCED_DAYS_AGO = 100;

let e2e: E2E;
let browser: Browser;
let page: Page;
let issues: JiraIssueView[];
const problems: string[] = [];
const requests: string[] = [];
let reportUrl: string;

beforeAll(async () => {
  let shift = SYNCED_DAYS_AGO * DAY_MS;
  e2e = await startE2E({ clock: { now: () => Date.now() - shift } });
  const sync = await e2e.run(['sync']);
  expect(sync.code, sync.stderr).toBe(0);
  shift = 0;
  // The team's own work in Jira: a flagged Story, a Story blocked by another, a Story in a status named Blocked.
  const state = e2e.sandbox.jira.state;
  const stories = state.issues().filter((i) => i.issueType.name === 'Story');
  state.flag(stories[0]!.key);
  state.linkIssues('Blocks', stories[2]!.key, stories[1]!.key);
  const reconcile = await e2e.run(['reconcile']);
  expect(reconcile.code, reconcile.stderr).not.toBe(1);
  const out = join(e2e.dir, 'report.html');
  const report = await e2e.run(['report', '--out', out]);
  expect(report.code, report.stderr).toBe(0);
  expect(report.stdout).toMatch(
    /^report written to .*report\.html \(html, \d+ KB\): \d+ streams, \d+ items, 2 blocked, \d+ stale, [1-9]\d* open findings/,
  );
  issues = state.issues();
  reportUrl = pathToFileURL(out).href;

  browser = await puppeteer.launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: true });
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(reportUrl, { waitUntil: 'load' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await e2e?.close();
});

/** The visible rows of the item tables, as a person reads them: item, key, status, and the stream they are in. */
const visibleRows = () =>
  page.$$eval('table.tree tbody tr', (rows) =>
    rows
      .filter((r) => r.checkVisibility())
      .map((r) => ({
        stream: r.closest('details')!.querySelector('summary h2')!.textContent,
        name: r.cells[0]!.querySelector('a')?.textContent ?? r.cells[0]!.firstChild!.textContent ?? '',
        key: r.cells[1]!.textContent,
        status: r.cells[3]!.textContent,
        badges: [...r.querySelectorAll('.badge')].map((b) => b.textContent),
      })),
  );

/** The issues under an Epic in the sandbox's Jira, the Epic included. */
function subtree(epic: JiraIssueView): JiraIssueView[] {
  const under = (key: string): JiraIssueView[] => issues.filter((i) => i.parentKey === key).flatMap((i) => [i, ...under(i.key)]);
  return [epic, ...under(epic.key)];
}

describe('the HTML report in headless Chromium', () => {
  it('shows a row per Epic with its key and Jira status, as a stream named after it, and every issue once', async () => {
    const rows = await visibleRows();
    const epics = issues.filter((i) => i.issueType.name === 'Epic');
    expect(epics.length).toBeGreaterThan(1);
    for (const epic of epics) {
      expect(rows).toContainEqual(
        expect.objectContaining({ stream: epic.summary, name: epic.summary, key: epic.key, status: epic.status.name }),
      );
    }
    expect(rows.map((r) => r.key).sort()).toEqual(issues.map((i) => i.key).sort());
    for (const issue of issues) expect(rows.find((r) => r.key === issue.key)!.status).toBe(issue.status.name);
  });

  it('gives each stream its counts: items, done, and the blocked and stale items the team sees in Jira', async () => {
    const streams = await page.$$eval('details.stream', (all) =>
      all.map((d) => ({
        name: d.querySelector('summary h2')!.textContent,
        chips: [...d.querySelectorAll('summary i')].map((c) => c.textContent),
      })),
    );
    const epics = issues.filter((i) => i.issueType.name === 'Epic');
    expect(streams.map((s) => s.name).sort()).toEqual(epics.map((e) => e.summary).sort());
    for (const epic of epics) {
      const members = subtree(epic);
      const chips = streams.find((s) => s.name === epic.summary)!.chips;
      expect(chips).toContain(`${members.length} item${members.length === 1 ? '' : 's'}`);
      expect(chips).toContain(`${members.filter((i) => i.status.categoryKey === 'done').length} done`);
      const blocked = members.filter(
        (i) => i.status.categoryKey !== 'done' && (i.flagged || i.links.some((l) => l.description === 'is blocked by')),
      );
      if (blocked.length) expect(chips).toContain(`${blocked.length} blocked`);
      // Untouched since the sync 100 days ago and not done: stale. The flagged issue was updated today.
      const stale = members.filter((i) => i.status.categoryKey !== 'done' && !i.flagged);
      if (stale.length) expect(chips).toContain(`${stale.length} stale`);
    }
    const rows = await visibleRows();
    const flagged = issues.find((i) => i.flagged)!;
    expect(rows.find((r) => r.key === flagged.key)!.badges).toContain('blocked');
    const waiting = issues.find((i) => i.links.some((l) => l.description === 'is blocked by'))!;
    expect(rows.find((r) => r.key === waiting.key)!.badges).toEqual(['blocked', 'stale']);
  });

  it('draws the charts: a status bar per stream and an age histogram, with bars of non-zero size', async () => {
    const bars = await page.$$eval('table.overview svg.bar', (svgs) =>
      svgs.map((svg) =>
        [...svg.querySelectorAll('rect[class^="s-"]')].map((r) => r.getBoundingClientRect()).map((b) => [b.width, b.height]),
      ),
    );
    const streams = await page.$$eval('details.stream', (all) => all.length);
    expect(bars).toHaveLength(streams);
    for (const segments of bars) {
      expect(segments.length).toBeGreaterThan(0);
      for (const [width, height] of segments) {
        expect(width).toBeGreaterThan(0);
        expect(height).toBeGreaterThan(0);
      }
    }
    // All open issues are about 100 days old: the "3–6 mo" bar of the histogram is the tall one.
    const histogram = await page.$$eval('svg.hist', ([svg]) =>
      [...svg!.querySelectorAll('rect.age')].map((r) => ({
        label: r.querySelector('title')!.textContent,
        height: r.getBoundingClientRect().height,
      })),
    );
    const open = issues.filter((i) => i.status.categoryKey !== 'done').length;
    expect(histogram.find((b) => b.label === `3–6 mo: ${open}`)!.height).toBeGreaterThan(50);
    expect(histogram.filter((b) => b.height > 0)).toHaveLength(1);
  });

  it('collapsing a stream hides its rows, and only its rows; opening it shows them again', async () => {
    const before = await visibleRows();
    const first = before[0]!.stream;
    await page.click('details.stream summary');
    const collapsed = await visibleRows();
    expect(collapsed.filter((r) => r.stream === first)).toEqual([]);
    expect(collapsed).toEqual(before.filter((r) => r.stream !== first));
    await page.click('details.stream summary');
    expect(await visibleRows()).toEqual(before);
  });

  it('typing in the filter box hides the rows that do not match; clearing it shows every row', async () => {
    const all = await visibleRows();
    const story = issues.find((i) => i.issueType.name === 'Story')!;
    await page.type('#filter', story.summary.toUpperCase());
    const matching = await visibleRows();
    expect(matching.map((r) => r.key)).toEqual(
      all.filter((r) => r.name.toLowerCase().includes(story.summary.toLowerCase())).map((r) => r.key),
    );
    expect(matching.map((r) => r.key)).toContain(story.key);
    expect(await page.$eval('#shown', (s) => s.textContent)).toBe(`${matching.length} of ${all.length} items match`);
    await page.type('#filter', ' no such item');
    expect(await visibleRows()).toEqual([]);
    await page.$eval('#filter', (input) => {
      (input as HTMLInputElement).value = '';
      input.dispatchEvent(new Event('input'));
    });
    expect(await visibleRows()).toEqual(all);
  });

  it('is readable on a phone: nothing wider than the screen (tables scroll in their own box)', async () => {
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
    await page.reload({ waitUntil: 'load' });
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    expect((await visibleRows()).length).toBe(issues.length);
    await page.setViewport({ width: 1200, height: 900 });
  });

  it('links each row to its Productboard item and its Jira issue', async () => {
    const links = await page.$$eval('table.tree tbody tr', (rows) =>
      rows.map((r) => ({
        pb: (r.cells[0]!.querySelector('a') as HTMLAnchorElement).href,
        jira: (r.cells[1]!.querySelector('a') as HTMLAnchorElement).href,
        key: r.cells[1]!.textContent,
      })),
    );
    expect(links).toHaveLength(issues.length);
    for (const issue of issues) {
      const pbId = issue.labels.find((l) => /^pb-[0-9a-f-]{36}$/.test(l))!.slice(3);
      expect(links.find((l) => l.key === issue.key)).toEqual({
        key: issue.key,
        pb: `https://sandbox.productboard.com/entity-detail/${pbId}`,
        jira: `${e2e.env['JIRA_HOST']}/browse/${issue.key}`,
      });
    }
  });

  it('loads nothing but itself, and logs no error', () => {
    expect(problems).toEqual([]);
    expect(new Set(requests)).toEqual(new Set([reportUrl]));
    expect(readFileSync(new URL(reportUrl), 'utf8')).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|sandbox\.productboard\.com)/);
  });
});
