import { writeFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { diffSnapshots, snapshotJira } from '../../src/sandbox/index.js';
import { repoPath } from '../helpers/builders.js';
import { startE2E, type E2E } from './harness.js';

let e2e: E2E;
afterEach(async () => {
  await e2e?.close();
});

/** The final state of a fault-free sync of the seed workspace. */
async function cleanSnapshot() {
  const clean = await startE2E();
  try {
    expect((await clean.run(['sync'])).code).toBe(0);
    return snapshotJira(clean.sandbox.jira.state);
  } finally {
    await clean.close();
  }
}

describe('crash at any point: after a kill -9, the next run ends in the fault-free state, without a duplicate', () => {
  let expected: Awaited<ReturnType<typeof cleanSnapshot>>;
  beforeAll(async () => {
    expected = await cleanSnapshot();
  });

  // One test per kill point: each is two CLI runs, well inside the timeout on a busy machine.
  it.each([3, 10, 25, 40])('killed after %i requests', async (killAfter) => {
    e2e = await startE2E({ latencyMs: 15 });
    const config = e2e.writeConfig('sync: { intentSettleSeconds: 0 }');
    const { child, done } = e2e.spawnCli(['sync', '--config', config]);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (e2e.sandbox.requests.length >= killAfter || child.exitCode !== null) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 2);
    });
    await done;
    const rerun = await e2e.run(['sync', '--config', config]);
    expect(rerun.code, `after a kill at ${killAfter} requests: ${rerun.stderr}`).toBe(0);
    expect(diffSnapshots(expected, snapshotJira(e2e.sandbox.jira.state)), `kill at ${killAfter}`).toEqual([]);
  });
});

describe('config mistakes are reported before any write', () => {
  it('a wrong project key', async () => {
    e2e = await startE2E();
    const sync = await e2e.run(['sync'], { JIRA_PROJECT: 'NOPE' });
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain(
      'error [config] Jira GET /rest/api/3/project/{key}: Jira project "NOPE" does not exist or is not visible to this account (jira.project / JIRA_PROJECT)',
    );
    const validate = await e2e.run(['validate'], { JIRA_PROJECT: 'NOPE' });
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain('Jira project "NOPE" does not exist');
    expect(e2e.writes()).toEqual([]);
  });

  it('an issue type the project does not have', async () => {
    e2e = await startE2E();
    const mapping = `${e2e.dir}/mapping.yaml`;
    writeFileSync(
      mapping,
      (await import('node:fs')).readFileSync(repoPath('mappings/default.yaml'), 'utf8').replace('name: Story', 'name: Storyy'),
    );
    const config = e2e.writeConfig('', mapping);
    const sync = await e2e.run(['sync', '--config', config]);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain('error [config]: the mapping does not fit Jira project PBJ');
    expect(sync.stderr).toContain(
      'mapping.yaml: rules[1].jira.issueType: project PBJ has no issue type named "Storyy" (available: Epic (level 1), Story (level 0), Task (level 0), Bug (level 0), Sub-task (level -1))',
    );
    expect(e2e.writes()).toEqual([]);
  });

  it('a mapping naming an unknown field, and an invalid cron expression and time zone', async () => {
    e2e = await startE2E();
    const mapping = `${e2e.dir}/mapping.yaml`;
    writeFileSync(
      mapping,
      'version: 1\nrules:\n  - from: initiative\n    jira: { issueType: { level: 1 } }\nfields:\n  assignee: { from: owner }\n',
    );
    const config = e2e.writeConfig('schedule: { cron: "*/5 * * *", timezone: Mars/Olympus }', mapping);
    const validate = await e2e.run(['validate', '--config', config]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain('mapping.yaml:6:3: fields: unknown key "assignee"');
    expect(validate.stderr).toMatch(/schedule\.cron: "\*\/5 \* \* \*" is not a valid cron expression \(expected 5 or 6 fields but got 4\)/);
    expect(validate.stderr).toContain('schedule.timezone: "Mars/Olympus" is not a known time zone');
    expect((await e2e.run(['sync', '--config', config])).code).toBe(1);
    expect(e2e.sandbox.requests).toEqual([]);
  });
});

describe('schedule', () => {
  const everySecond = { PB_JIRA_SYNC_CRON: '* * * * * *' };
  // Generous: on a busy machine a CLI process takes seconds to start; the test's timeout is the real limit.
  const waitFor = async (condition: () => boolean, timeoutMs = 90_000) => {
    const until = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > until) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /**
   * The scheduled passes recorded in the ledger so far, read while the schedulers write it. A scheduler creates the
   * ledger and then migrates it one schema version at a time: until it has finished, the ledger refuses to be read
   * (as one of an older version), which here means no runs yet; a problem that lasts ends the wait as not met.
   */
  const scheduledRuns = () => {
    let ledger: Ledger | undefined;
    try {
      ledger = Ledger.openReadOnly(e2e.ledgerPath);
      return ledger?.recentRuns(50).filter((r) => r.command === 'scheduled pass') ?? [];
    } catch {
      return [];
    } finally {
      ledger?.close();
    }
  };
  const statusJson = async () =>
    JSON.parse((await e2e.run(['status', '--json'])).stdout) as {
      runs: Array<{
        command: string;
        outcome: string;
        /** ISO 8601, like every timestamp of a --json document. */
        startedAt: string;
        endedAt: string | null;
        counts: Record<string, number> | null;
        error: string | null;
      }>;
      links: number;
      openFindings: number;
      lease: unknown;
      schedule: { next: string[] };
      health: { state: string };
    };

  it('two schedulers on one ledger never run a pass at the same time; the loser says why it skipped', async () => {
    // Latency long enough that even an idle pass (a handful of requests, read incrementally) outlasts
    // the drift between the two processes' ticks, so that they do meet.
    e2e = await startE2E({ latencyMs: 250 });
    const a = e2e.spawnCli(['schedule'], everySecond);
    const b = e2e.spawnCli(['schedule'], everySecond);
    let printed = '';
    for (const { child } of [a, b]) child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    // Both tick every second: run until one has found the other's pass holding the lease, and two passes have ended
    // (however long a busy machine takes to get there).
    await waitFor(() => printed.includes('pass skipped: ') && scheduledRuns().filter((r) => r.endedAt !== null).length >= 2);
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    expect(`${ra.stdout}${rb.stdout}`).toMatch(/pass skipped: another pass \(.+\) is running; its lease ends by \d{4}-/);
    const passes = (await statusJson()).runs
      .filter((r) => r.command === 'scheduled pass')
      .map((r) => ({ startedAt: Date.parse(r.startedAt), endedAt: Date.parse(r.endedAt!) }))
      .sort((x, y) => x.startedAt - y.startedAt);
    expect(passes.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < passes.length; i++) expect(passes[i]!.startedAt).toBeGreaterThanOrEqual(passes[i - 1]!.endedAt);
    expect([...snapshotJira(e2e.sandbox.jira.state).values()].every((s) => s.length === 1)).toBe(true);
  });

  it('a manual sync or reconcile --fix refuses to run while a pass holds the lease', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    e2e.holdPassLease('ops-host:4242');
    const sync = await e2e.run(['sync']);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(/^error \[conflict\]: another pass \(ops-host:4242\) is running; its lease ends by \d{4}-/);
    const fix = await e2e.run(['reconcile', '--fix']);
    expect(fix.code).toBe(1);
    expect(e2e.writes()).toEqual([]);
    expect((await e2e.run(['sync', '--dry-run'])).code).toBe(0); // a dry run writes nothing: no lease needed
  });

  it('SIGTERM mid-pass: finishes the request in flight, records the pass as interrupted, exits 0 quickly; the next pass completes', async () => {
    e2e = await startE2E({ latencyMs: 300 });
    const { child, done } = e2e.spawnCli(['schedule'], { ...everySecond, PB_JIRA_SYNC_CRON: '0 0 1 1 *' });
    await waitFor(() => e2e.sandbox.requests.some((r) => r.route === 'POST /rest/api/3/issue/bulk'));
    const signalled = Date.now();
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    // Well before the 10 s shutdown grace period would have abandoned the request (src/cli/interrupts.ts): it ended
    // with the request in flight, however slow the machine.
    expect(Date.now() - signalled).toBeLessThan(9000);
    const status = await statusJson();
    expect(status.runs[0]).toMatchObject({ command: 'scheduled pass', outcome: 'interrupted' });
    expect(status.lease).toBeNull();
    const rerun = await e2e.run(['sync'], { PB_JIRA_SYNC_CRON: '0 0 1 1 *' });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect([...snapshotJira(e2e.sandbox.jira.state).values()].every((s) => s.length === 1)).toBe(true);
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(24);
  });

  it('through the launcher (heap cap, re-exec): a pass runs, SIGTERM is passed on, exit 0', async () => {
    e2e = await startE2E({ latencyMs: 100 });
    const { child, done } = e2e.spawnCli(['schedule'], { PB_JIRA_SYNC_HEAP_MB: '256', PB_JIRA_SYNC_CRON: '0 0 1 1 *' });
    await waitFor(() => e2e.sandbox.requests.some((r) => r.route === 'POST /rest/api/3/issue/bulk'));
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect((await statusJson()).runs[0]).toMatchObject({ command: 'scheduled pass', outcome: 'interrupted' });
  });

  it('a failing pass alerts Slack once, not every tick, and again when passes recover', async () => {
    e2e = await startE2E();
    const config = e2e.writeConfig('http: { maxRetries: 0 }\nschedule: { cron: "* * * * * *" }');
    e2e.sandbox.faults = { failPbPage: { route: 'POST /v2/entities/search', afterPages: 0 } };
    const { child, done } = e2e.spawnCli(['schedule', '--config', config]);
    await waitFor(() => scheduledRuns().filter((r) => r.outcome === 'failed').length >= 3);
    const failures = () => e2e.sandbox.slack.messages.filter((m) => JSON.stringify(m.body).includes('scheduled pass failed'));
    expect(failures()).toHaveLength(1);
    expect(JSON.stringify(failures()[0]!.body)).toContain('Productboard POST /v2/entities/search');
    e2e.sandbox.faults = {};
    await waitFor(() => e2e.sandbox.slack.messages.some((m) => JSON.stringify(m.body).includes('scheduled passes recovered')));
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
    expect(failures()).toHaveLength(1);
    expect(e2e.sandbox.slack.messages.filter((m) => JSON.stringify(m.body).includes('recovered'))).toHaveLength(1);
    expect((await statusJson()).health.state).toBe('ok');
  });

  it('status shows the last passes, the next run, findings and links, without credentials; secrets stay out of everything', async () => {
    e2e = await startE2E();
    const { child, done } = e2e.spawnCli(['schedule'], everySecond);
    // Until the first pass has alerted and is recorded as done (a pass alerts before it ends).
    await waitFor(() => e2e.sandbox.slack.messages.length > 0 && scheduledRuns().some((r) => r.outcome === 'succeeded'));
    child.kill('SIGTERM');
    const run = await done;
    const bare = {
      PATH: process.env.PATH ?? '',
      PB_JIRA_SYNC_LEDGER: e2e.ledgerPath,
      PRODUCTBOARD_TOKEN: '',
      JIRA_API_TOKEN: '',
      JIRA_HOST: '',
      JIRA_EMAIL: '',
      JIRA_PROJECT: '',
    };
    const status = await e2e.run(['status'], bare);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/links {6}24/);
    expect(status.stdout).toMatch(/findings {3}2 open/);
    expect(status.stdout).toMatch(/schedule {3}\*\/15 \* \* \* \* \(UTC\); next pass \d{4}-/);
    expect(status.stdout).toMatch(/scheduled pass {3}succeeded .* create 24, skip 3, applied 24, productboardWritten 24, findings 2/);
    const json = JSON.parse((await e2e.run(['status', '--json'], bare)).stdout) as { links: number; runs: unknown[] };
    expect(json.links).toBe(24);

    const { readFileSync } = await import('node:fs');
    const everything = [
      run.stdout,
      run.stderr,
      status.stdout,
      JSON.stringify(e2e.sandbox.slack.messages),
      readFileSync(e2e.ledgerPath).toString('latin1'),
    ].join('\n');
    for (const secret of [e2e.env.PRODUCTBOARD_TOKEN!, e2e.env.JIRA_API_TOKEN!, e2e.env.SLACK_WEBHOOK_URL!])
      expect(everything).not.toContain(secret);
  });
});
