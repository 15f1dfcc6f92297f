import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it } from 'vitest';
import { ageHistogram, statusBar } from '../../../src/report/delivery/charts.js';
import { renderHtml } from '../../../src/report/delivery/render-html.js';
import { renderMarkdown } from '../../../src/report/delivery/render-markdown.js';
import { renderReport } from '../../../src/report/delivery/render-report.js';
import { schemaProblems } from '../../helpers/output-schemas.js';
import { sampleReport, workspace } from '../../helpers/report-fixture.js';

// The report's formats: what a person sees is what the model says, and nothing from Productboard
// can become markup, a link target, a script or a request.

const HOSTILE = `<img src=x onerror="alert(1)"> "quoted" | [click](javascript:alert(2)) **bold** & co`;

function hostileReport() {
  const w = workspace();
  w.hubs.name = HOSTILE;
  w.themes.name = `Themes </td></tr><script>alert(3)</script>`;
  return sampleReport(w);
}

describe('charts', () => {
  const rects = (svg: string) => [...svg.matchAll(/<rect class="([^"]+)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)];

  it('a status bar splits its width in proportion to the counts, in status order, and leaves out empty statuses', () => {
    const svg = statusBar({ todo: 1, 'in-progress': 0, done: 3, 'not-in-jira': 0 }, 'Hubs');
    const segments = rects(svg).map((m) => [m[1], Number(m[2]), Number(m[4])]);
    expect(segments).toEqual([
      ['s-todo', 0, 150],
      ['s-done', 150, 450],
    ]);
    expect(svg).toContain('<title>Hubs: To do 1, In progress 0, Done 3, Not in Jira 0</title>');
  });

  it('an empty stream is an empty bar, not NaN', () => {
    const svg = statusBar({ todo: 0, 'in-progress': 0, done: 0, 'not-in-jira': 0 }, 'Empty');
    expect(rects(svg)).toEqual([]);
    expect(svg).not.toContain('NaN');
  });

  it('a histogram draws bars in proportion to the largest bucket, with the counts written above', () => {
    const svg = ageHistogram(
      [
        { label: 'new', fromDays: 0, count: 4 },
        { label: 'old', fromDays: 7, count: 1 },
        { label: 'ancient', fromDays: 30, count: 0 },
      ],
      'Age',
    );
    const heights = rects(svg).map((m) => Number(m[5]));
    expect(heights[0]).toBeGreaterThan(0);
    expect(heights[1]).toBeCloseTo(heights[0]! / 4, 0);
    expect(heights[2]).toBe(0);
    expect(svg).toMatch(/>4<\/text>.*>1<\/text>.*>0<\/text>/s);
  });
});

/** Every link of the page as the browser resolves it (against the page's <base>, when it has one). */
function hrefs(html: string): string[] {
  const base = /<base href="([^"]+)">/.exec(html)?.[1];
  return [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => new URL(m[1]!.replace(/&amp;/g, '&'), base).href);
}

describe('HTML', () => {
  it('is one self-contained page: a policy that loads nothing, no external script, style, font or image', () => {
    const html = renderHtml(sampleReport());
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
    expect(html).not.toMatch(/<script[^>]+src=|<link\b|@import|url\(|<img\b|@font-face/i);
    // Links only to the items themselves (Productboard, Jira), never as a resource; Productboard's relative to one base.
    expect(hrefs(html)).toContain('https://sandbox.productboard.com/entity-detail/00000000-0000-4000-8000-000000000001');
    for (const href of hrefs(html)) {
      expect(href).toMatch(
        /^(https:\/\/sandbox\.productboard\.com\/entity-detail\/[\w-]+|https:\/\/acme\.atlassian\.net\/browse\/PBJ-\d+)$/,
      );
    }
  });

  it('escapes every name: a hostile Productboard name stays text in its cell, no new element or attribute', () => {
    const html = renderHtml(hostileReport());
    const fragment = parseFragment(html.slice(html.indexOf('<body>') + 6, html.indexOf('<script>')));
    const elements: string[] = [];
    const texts: string[] = [];
    const visit = (node: DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['documentFragment']) => {
      if ('tagName' in node) elements.push(node.tagName);
      if (node.nodeName === '#text') texts.push((node as DefaultTreeAdapterMap['textNode']).value);
      if ('childNodes' in node) for (const child of node.childNodes) visit(child);
    };
    visit(fragment);
    expect(elements).not.toContain('img');
    expect(elements).not.toContain('script');
    expect(texts).toContain(HOSTILE);
    expect(texts).toContain('Themes </td></tr><script>alert(3)</script>');
    for (const href of hrefs(html)) expect(href).toMatch(/^https:\/\//);
  });

  it('shows each stream with its counts, rows in tree order with item ↔ key and status, and its health', () => {
    const html = renderHtml(sampleReport());
    expect(html).toContain('<details class="stream" data-stream="item:');
    expect(html).toMatch(/<h2>Hubs<\/h2><span class="counts"[^>]*><i>4 items<\/i><i>1 done<\/i><i>1 in progress<\/i>/);
    const hubsRows = [
      ...html.matchAll(/<tr(?: class=d(\d))?><td><a [^>]*>([^<]+)<\/a>.*?<td><a [^>]*>(PBJ-\d+)<\/a><td>[^<]*<td class=([a-z-]+)>([^<]+)/g),
    ].map((m) => [m[2], Number(m[1] ?? 0), m[3], m[4], m[5]]);
    expect(hubsRows).toContainEqual(['Hubs', 0, 'PBJ-1', 'todo', 'To Do']);
    expect(hubsRows).toContainEqual(['Custom domains', 1, 'PBJ-3', 'in-progress', 'In Progress']);
    expect(hubsRows).toContainEqual(['Themes', 1, 'PBJ-4', 'done', 'Done']);
    expect(html).toContain('<h3>Blocked (1)</h3><ul><li>PBJ-3 Custom domains: blocked by PBJ-6</li></ul>');
    expect(html).toContain('<p class="ages"><b>Age of open items</b> &lt; 1 wk: 3</p>');
    expect(html).toMatch(/<h3>Stale \(1\)<\/h3><ul><li>PBJ-6 Invoices: no update for 60 days<\/li>/);
  });
});

describe('Markdown', () => {
  const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;

  it('tables keep their columns whatever the names hold; no HTML, no link but the items', () => {
    const md = renderMarkdown(hostileReport());
    const tables = md.split('\n').filter((l) => l.startsWith('|'));
    // Every row of a table has as many cells as its header.
    let header = 0;
    for (const line of tables) {
      if (/^\| ---/.test(tables[tables.indexOf(line) + 1] ?? '')) header = cells(line);
      else expect(cells(line), line).toBe(header);
    }
    // (A backslash before it makes a character literal text.)
    expect(md).not.toMatch(/(?<!\\)<[a-z/]/i);
    expect(md).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(md).toContain('\\<img src=x onerror="alert(1)"\\> "quoted" \\| \\[click\\](javascript:alert(2)) \\*\\*bold\\*\\* \\& co');
  });

  it('lists every stream with counts, its tree with item ↔ key, status and progress, and its health', () => {
    const md = renderMarkdown(sampleReport());
    expect(md).toMatch(/^\| Hubs \| 4 \| 2 \| 1 \| 1 \| 0 \| 1 \| 0 \| 0 \| 0 \| 2 \| /m);
    expect(md).toContain('| [Hubs](https://sandbox.productboard.com/entity-detail/');
    expect(md).toMatch(
      /\| · \[Custom domains\]\([^)]+\) \| \[PBJ-3\]\(https:\/\/acme\.atlassian\.net\/browse\/PBJ-3\) \| In Progress \| 0\/1 \| 2 \| 3 \| blocked \|/,
    );
    expect(md).toContain('**Blocked (1):** PBJ-3 Custom domains (blocked by PBJ-6)');
    expect(md).toContain('**Stale (1):** PBJ-6 Invoices (60 days)');
  });
});

describe('JSON', () => {
  it('is the model, valid against docs/schemas/report.schema.json, with schemaVersion 1', () => {
    for (const report of [sampleReport(), hostileReport()]) {
      const doc = JSON.parse(renderReport(report, 'json')) as unknown;
      expect(schemaProblems('report', doc)).toEqual([]);
      expect(doc).toEqual(JSON.parse(JSON.stringify(report)));
      expect(doc).toMatchObject({ schemaVersion: 1, project: 'PBJ' });
    }
  });

  it('the schema refuses what the report never writes (an unknown status, a missing field)', () => {
    const doc = JSON.parse(renderReport(sampleReport(), 'json')) as { streams: Array<{ rows: Array<Record<string, unknown>> }> };
    doc.streams[0]!.rows[0]!['status'] = 'blocked';
    expect(schemaProblems('report', doc)).not.toEqual([]);
    delete doc.streams[0]!.rows[0]!['status'];
    expect(schemaProblems('report', doc)).not.toEqual([]);
  });
});
