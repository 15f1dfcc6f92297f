import { describe, expect, it } from 'vitest';
import { buildDesiredTree } from '../../../src/engine/desired-tree.js';
import { plan } from '../../../src/engine/planner.js';
import type { SyncReport } from '../../../src/engine/run-sync.js';
import { resolveIssueTypes } from '../../../src/mapping/resolve-issue-types.js';
import { buildObservedTree } from '../../../src/model/observed.js';
import type { SourceGraph } from '../../../src/model/source.js';
import { formatFindings } from '../../../src/report/format-findings.js';
import { formatPlan, formatResults } from '../../../src/report/format-plan.js';
import { formatSlackMessage } from '../../../src/report/format-slack.js';
import { formatJiraTree } from '../../../src/report/format-tree.js';
import { syncReportJson } from '../../../src/report/plan-json.js';
import { clipText, jsonText, printable, singleLine, webUrl } from '../../../src/util/untrusted-text.js';
import { catalog, graph, item, observedFrom, shippedMapping, smallWorkspace, uuid } from '../../helpers/builders.js';
import { schemaProblems } from '../../helpers/output-schemas.js';

const mapping = shippedMapping();
const types = resolveIssueTypes(mapping, catalog);

/** The review's hostile name (2.29, 2.30): NUL, BEL, an ANSI colour, a bidi override, a newline. */
const HOSTILE = 'Safe\u0000 \u0007name \u001b[31mred\u001b[0m \u202Egnp.exe\u202C\nsecond line';
/** Everything a terminal acts on, as it must never reach one raw. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const TERMINAL_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** No lone surrogate: what a cut inside a pair leaves behind. */
const wellFormed = (text: string): boolean => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

function reportFor(g: SourceGraph, dryRun = true): SyncReport {
  const desired = buildDesiredTree(g, mapping, types);
  const p = plan({ desired, observed: buildObservedTree([]), links: new Map(), now: 0, settleMs: 0 });
  return {
    runId: 'r',
    dryRun,
    project: catalog,
    graph: g,
    desired,
    observed: buildObservedTree([]),
    plan: p,
    approval: null,
    apply: { results: [], applied: 0, failed: 0, pending: 0, skipped: 0 },
    requests: {},
    durationMs: 0,
    delivery: null,
    connections: null,
    native: null,
    warnings: [],
    reads: { productboard: { kind: 'full' }, jira: { kind: 'full' } },
  };
}

describe('issue 9 §12 / issue 10 M3: summaries are single-line, control characters stripped', () => {
  it('a name with a newline (2.31) becomes one line: newlines and tabs are spaces, runs collapsed', () => {
    const ws = smallWorkspace();
    ws.feature.name = 'First line\r\nsecond\t\tline  ';
    const issue = buildDesiredTree(ws.graph, mapping, types).issues.get(ws.feature.id)!;
    expect(issue.fields.summary).toBe('First line second line');
  });

  it('NUL, BEL, escape sequences and bidi overrides (2.30) reach neither the summary, the labels nor the backlink title', () => {
    const ws = smallWorkspace();
    ws.feature.name = HOSTILE;
    ws.feature.tags = ['\u001b[1mbold\u001b[0m tag', 'rtl\u202Etag\u2066', 'bell\u0007'];
    const desired = buildDesiredTree(ws.graph, mapping, types);
    const issue = desired.issues.get(ws.feature.id)!;
    expect(issue.fields.summary).toBe('Safe name red gnp.exe second line');
    expect(issue.fields.labels).toEqual(['pb-jira-sync', `pb-${ws.feature.id}`, 'bold-tag', 'rtltag', 'bell']);
    const create = plan({ desired, observed: buildObservedTree([]), links: new Map(), now: 0, settleMs: 0 }).actions.find(
      (a) => a.pbId === ws.feature.id,
    );
    expect(create?.kind === 'create' && create.issue.remoteLink?.title).toBe('Productboard: Safe name red gnp.exe second line');
  });

  it('an item whose name has no printable character is skipped as invalid, not sent to be refused', () => {
    const ws = smallWorkspace();
    ws.feature.name = '\u0007\u202E\n\t';
    const tree = buildDesiredTree(ws.graph, mapping, types);
    expect(tree.issues.has(ws.feature.id)).toBe(false);
    expect(tree.skipped).toContainEqual(
      expect.objectContaining({ pbId: ws.feature.id, reason: 'invalid-item', detail: expect.stringContaining('no printable characters') }),
    );
  });

  it('an existing issue whose summary still holds a newline is corrected by an update', () => {
    const ws = smallWorkspace();
    ws.feature.name = 'Two\nlines';
    const desired = buildDesiredTree(ws.graph, mapping, types);
    const observed = buildObservedTree([observedFrom({ id: '1', key: 'PBJ-1', pbId: ws.feature.id, summary: 'Two\nlines' })]);
    const update = plan({ desired, observed, links: new Map(), now: 0, settleMs: 0 }).actions.find((a) => a.kind === 'update');
    expect(update?.kind === 'update' && update.changes).toContainEqual({ field: 'summary', from: 'Two\nlines', to: 'Two lines' });
  });
});

describe('issue 10 low 2.27: a summary cut at 255 characters never splits a character', () => {
  it('an emoji spanning characters 255/256 is left out whole, not cut into a lone surrogate', () => {
    const ws = smallWorkspace();
    ws.feature.name = `${'a'.repeat(254)}😀 and more`;
    const summary = buildDesiredTree(ws.graph, mapping, types).issues.get(ws.feature.id)!.fields.summary;
    expect(summary).toBe('a'.repeat(254));
    expect(summary).toSatisfy(wellFormed);
  });

  it('keeps grapheme clusters whole (a family emoji, a letter with its accents) and never exceeds the limit', () => {
    const family = '👨‍👩‍👧‍👦'; // 11 UTF-16 units, one grapheme
    expect(clipText(`${'x'.repeat(250)}${family}`, 255)).toBe('x'.repeat(250));
    expect(clipText(`${'x'.repeat(254)}e\u0301\u0302`, 255)).toBe('x'.repeat(254));
    expect(clipText('short', 255)).toBe('short');
    // A single grapheme longer than the limit is cut between code points, never inside a pair.
    const zalgo = `😀${'\u0301'.repeat(300)}`;
    expect(clipText(zalgo, 255)).toHaveLength(255);
    expect(clipText(`${'\u0301'.repeat(254)}😀`, 255)).toSatisfy(wellFormed);
  });

  it('labels from tags are cut the same way', () => {
    const ws = smallWorkspace();
    ws.feature.tags = [`${'t'.repeat(254)}😀`];
    const labels = buildDesiredTree(ws.graph, mapping, types).issues.get(ws.feature.id)!.fields.labels;
    expect(labels[2]).toBe('t'.repeat(254));
  });
});

describe('issue 10 low 2.29/2.30: Productboard text reaches the operator terminal neutralised', () => {
  it('printable shows every control character and bidi control escaped, and leaves other text alone', () => {
    expect(printable('a\u202Eb\u001b[31mc\u0000\u0007\n\td')).toBe('a\\u202Eb\\u001B[31mc\\u0000\\u0007\\n\\td');
    expect(printable('Café 😀 עברית — “quoted”')).toBe('Café 😀 עברית — “quoted”');
    expect(singleLine('a\u2028b')).toBe('a b');
  });

  it('the text plan and the results print the hostile name escaped, on one line', () => {
    const ws = smallWorkspace();
    ws.feature.name = HOSTILE;
    const report = reportFor(ws.graph);
    const text = formatPlan(report);
    expect(text).not.toMatch(TERMINAL_CONTROL);
    expect(text).toContain('+ create Story "Safe\\u0000 \\u0007name \\u001B[31mred\\u001B[0m \\u202Egnp.exe\\u202C\\nsecond line"');
    const applied: SyncReport = {
      ...report,
      dryRun: false,
      apply: {
        results: [{ pbId: ws.feature.id, kind: 'create', jiraKey: null, outcome: 'failed', error: 'summary: bad\u001b[2J' }],
        applied: 0,
        failed: 1,
        pending: 0,
        skipped: 0,
      },
    };
    expect(formatResults(applied)).not.toMatch(TERMINAL_CONTROL);
    expect(formatResults(applied)).toContain('summary: bad\\u001B[2J');
  });

  it('findings, the Jira tree and the Slack preview of the demo print it escaped too', () => {
    const finding = {
      kind: 'orphaned' as const,
      pbId: uuid(1),
      pbName: HOSTILE,
      pbUrl: null,
      jiraId: '1',
      jiraKey: 'PBJ-1',
      jiraUrl: 'https://jira/browse/PBJ-1',
      expectedParent: null,
      actualParent: null,
      message: `"${HOSTILE}" is archived`,
      suggestion: 'close it',
      fix: null,
    };
    const findings = formatFindings({
      runId: 'r',
      dryRun: false,
      project: 'PBJ',
      findings: [finding],
      fixes: [],
      alert: { sent: false, outcome: null, reason: 'no --alert' },
      requests: {},
    });
    const tree = formatJiraTree([observedFrom({ id: '1', key: 'PBJ-1', pbId: uuid(1), summary: HOSTILE })]);
    const slack = formatSlackMessage({ blocks: [{ type: 'section', text: { text: `• ${HOSTILE}` } }] });
    for (const text of [findings, tree, slack]) {
      expect(text).not.toMatch(TERMINAL_CONTROL);
      expect(text).toContain('\\u202Egnp.exe\\u202C');
    }
  });

  it('--json stays faithful JSON: parsing it gives the exact name back, and no bidi or C1 control is printed raw', () => {
    const ws = smallWorkspace();
    ws.feature.name = `${HOSTILE}\u0085\u2028\u2067`;
    const doc = syncReportJson(reportFor(ws.graph));
    expect(schemaProblems('sync', doc)).toEqual([]);
    const text = jsonText(doc, 2);
    expect(text).not.toMatch(TERMINAL_CONTROL);
    const parsed = JSON.parse(text) as typeof doc;
    expect(parsed.plan.actions.find((a) => a.pbId === ws.feature.id)?.name).toBe(ws.feature.name);
    // What JSON.stringify alone would have printed: the override raw.
    expect(JSON.stringify(doc)).toMatch(/\u202E/);
  });
});

describe('issue 10 M4 (M9): only http(s) links from Productboard reach Jira', () => {
  it('webUrl keeps web links as given and refuses every other scheme, credentials and control characters', () => {
    expect(webUrl('https://acme.productboard.com/entity-detail/x?y=1#z')).toBe('https://acme.productboard.com/entity-detail/x?y=1#z');
    expect(webUrl('http://127.0.0.1:3000/e/1')).toBe('http://127.0.0.1:3000/e/1');
    for (const bad of [
      'javascript:alert(document.domain)//',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:x',
      'file:///etc/passwd',
      '//evil.example/x',
      '/relative',
      'https://user:pass@evil.example/',
      'https://acme.productboard.com/\u202Eexe',
      'https://acme.productboard.com/\nx',
      ' https://acme.productboard.com/x',
      '',
      null,
    ])
      expect(webUrl(bad), String(bad)).toBeNull();
  });

  it("an item's javascript: link is dropped from the backlink, the description and the findings' link, with one warning naming it", () => {
    const ws = smallWorkspace();
    ws.feature.url = 'javascript:alert(document.domain)//';
    const desired = buildDesiredTree(ws.graph, mapping, types);
    const issue = desired.issues.get(ws.feature.id)!;
    expect(issue.pbUrl).toBeNull();
    expect(issue.fields.description?.url).toBeNull();
    expect(desired.warnings).toEqual([
      { pbId: ws.feature.id, name: 'Custom domains', message: 'its link is not an http(s) URL: left out of Jira (no backlink)' },
    ]);
    const create = plan({ desired, observed: buildObservedTree([]), links: new Map(), now: 0, settleMs: 0 }).actions.find(
      (a) => a.pbId === ws.feature.id,
    );
    expect(create?.kind === 'create' && create.issue.remoteLink).toBeNull();
    expect(formatPlan(reportFor(ws.graph))).toContain(
      `Warnings (1)\n  - "Custom domains" ${ws.feature.id}: its link is not an http(s) URL: left out of Jira (no backlink)`,
    );
  });

  it("a note's data: link is dropped from the insights list, once for all the items it is linked to", () => {
    const ws = smallWorkspace();
    const other = item({ id: uuid(1100), type: 'feature', name: 'Second', links: [{ id: ws.initiative.id, type: 'initiative' }] });
    const note = {
      id: uuid(1101),
      name: 'Customer call',
      url: 'data:text/html,<script>alert(1)</script>',
      linkedIds: [ws.feature.id, other.id],
      createdAt: '2026-01-01T00:00:00Z',
    };
    const desired = buildDesiredTree(graph([...ws.graph.items.values(), other], [note]), mapping, types);
    expect(desired.warnings).toEqual([
      { pbId: note.id, name: 'Customer call', message: 'the link of this note is not an http(s) URL: left out of Jira (no backlink)' },
    ]);
    for (const id of [ws.feature.id, other.id])
      expect(desired.issues.get(id)!.fields.description?.insights?.notes.map((n) => n.url)).toEqual([null]);
  });
});
