import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { runScheduledPass } from '../../src/scheduler/scheduled-pass.js';
import { startingInProcess } from '../helpers/in-process.js';
import { startE2E, type E2E } from './harness.js';

// `report` from the command line, and after every scheduled pass: read-only, to stdout or a file
// replaced atomically, and a report that cannot be written never fails the pass.

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

describe('pb-jira-sync report', () => {
  it('writes nothing to Jira, Productboard or the ledger: no write request, no run recorded, the ledger file unchanged', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const ledgerBefore = readFileSync(e2e.ledgerPath);
    const status = await e2e.run(['status', '--json']);
    e2e.sandbox.resetRequestLog();
    const report = await e2e.run(['report', '--format', 'md']);
    expect(report.code, report.stderr).toBe(0);
    expect(e2e.writes()).toEqual([]);
    expect(e2e.sandbox.requests.filter((r) => r.service === 'slack')).toEqual([]);
    expect(readFileSync(e2e.ledgerPath).equals(ledgerBefore)).toBe(true);
    // The same status (no run recorded), but for the next scheduled times, which move on with the clock.
    const withoutSchedule = (json: string) => ({ ...(JSON.parse(json) as Record<string, unknown>), schedule: null });
    expect(withoutSchedule((await e2e.run(['status', '--json'])).stdout)).toEqual(withoutSchedule(status.stdout));
    // The Markdown names every issue the sync created, with its key.
    const keys = e2e.sandbox.jira.state.issues().map((i) => i.key);
    for (const key of keys) expect(report.stdout).toContain(`[${key}](`);
    expect(report.stdout).toMatch(/^# Delivery report: PBJ\n/);
  });

  it('--format json prints one document that docs/schemas/report.schema.json describes, with every created issue', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    // The harness validates the document against its schema (checkedJson) before returning it.
    const run = await e2e.run(['report', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { schemaVersion: number; project: string; streams: unknown[] };
    expect(doc).toMatchObject({ schemaVersion: 1, project: 'PBJ' });
    for (const issue of e2e.sandbox.jira.state.issues()) expect(run.stdout).toContain(`"${issue.key}"`);
  });

  it('--out replaces the file atomically, picks the format from its extension, and prints a summary line', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const out = join(e2e.dir, 'reports', 'delivery.json');
    mkdirSync(join(e2e.dir, 'reports'));
    const run = await e2e.run(['report', '--out', out, '--stale-days', '7']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^report written to .*delivery\.json \(json, \d+ KB\): 4 streams, 24 items, 0 blocked, 0 stale, 0 open findings\n?$/,
    );
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { schemaVersion: number; staleDays: number; totals: { items: number } };
    expect(doc).toMatchObject({ schemaVersion: 1, staleDays: 7, totals: { items: e2e.sandbox.jira.state.issues().length } });
    // No temporary file left beside it.
    expect(readdirSync(join(e2e.dir, 'reports'))).toEqual(['delivery.json']);
  });

  it('a file that cannot be written is an error naming it, exit 1, and nothing on stdout', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const missing = join(e2e.ledgerPath, 'report.html'); // under a regular file: not writable, even by root
    const run = await e2e.run(['report', '--out', missing]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot write the report to ${missing}`);
    expect(run.stdout).toBe('');
  });

  it('--stale-days must be a whole number of days', async () => {
    e2e = await startE2E();
    const run = await e2e.run(['report', '--stale-days', 'soon']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("option '--stale-days <n>' argument 'soon' is invalid. expected a whole number of days from 1 to 3650.");
  });
});

describe('schedule writes the report after every pass (report.out)', () => {
  const startInProcess = startingInProcess();

  it('from the pass own read: the file holds every issue, replaced atomically; no request of its own', async () => {
    const run = await startInProcess();
    const out = join(run.env['PB_JIRA_SYNC_LEDGER']!, '..', 'report.html');
    const context = { ...run.context(), config: { ...run.config, report: { out, format: 'html' as const, staleDays: 30 } } };
    expect((await runScheduledPass(context, () => null)).status).toBe('succeeded');
    const html = readFileSync(out, 'utf8');
    for (const issue of run.sandbox.jira.state.issues()) expect(html).toContain(`>${issue.key}</a>`);
    // Later passes: the report is replaced, and it costs no request beyond the pass's own.
    const first = statSync(out).mtimeMs;
    const plain = { ...context, config: { ...context.config, report: { ...context.config.report, out: null } } };
    run.sandbox.resetRequestLog();
    expect((await runScheduledPass(plain, () => null)).status).toBe('succeeded');
    const withoutReport = run.sandbox.requests.map((r) => r.route).sort();
    run.sandbox.resetRequestLog();
    expect((await runScheduledPass(context, () => null)).status).toBe('succeeded');
    expect(run.sandbox.requests.map((r) => r.route).sort()).toEqual(withoutReport);
    expect(statSync(out).mtimeMs).toBeGreaterThanOrEqual(first);
    expect(readdirSync(join(out, '..')).filter((f) => f.includes('report'))).toEqual(['report.html']);
  });

  it('a report that cannot be written is logged, and the pass still succeeds', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const run = await startInProcess({}, undefined, { logger: createLogger({ level: 'info', destination }) });
    // Under a regular file (the ledger): no one can create it there, root included.
    const out = join(run.env['PB_JIRA_SYNC_LEDGER']!, 'report.html');
    const context = { ...run.context(), config: { ...run.config, report: { out, format: 'md' as const, staleDays: 30 } } };
    const outcome = await runScheduledPass(context, () => null);
    expect(outcome).toMatchObject({ status: 'succeeded', counts: { create: 24 } });
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; level: number; out?: string; error?: string });
    expect(logged).toContainEqual(
      expect.objectContaining({ msg: 'report not written', level: 50, out, error: expect.stringMatching(/ENOTDIR/) }),
    );
    expect(existsSync(out)).toBe(false);
  });
});
