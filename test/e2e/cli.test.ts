import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { repoPath } from '../helpers/builders.js';
import { startE2E, type E2E } from './harness.js';

let e2e: E2E;
afterEach(async () => {
  await e2e?.close();
});

/** Whether the process has loaded SQLite's native module yet: it happens while the CLI loads its modules. */
const loadedSqlite = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/maps`, 'utf8').includes('better_sqlite3.node');
  } catch {
    return false;
  }
};

describe('the command line', () => {
  it('--version prints the package version', async () => {
    e2e = await startE2E();
    const { version } = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string };
    const run = await e2e.run(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });

  it('--config is one global option: accepted before or after the command', async () => {
    e2e = await startE2E();
    const config = e2e.writeConfig('');
    for (const args of [
      ['--config', config, 'validate', '--offline'],
      ['validate', '--offline', '--config', config],
    ]) {
      const run = await e2e.run(args, { JIRA_PROJECT: '' });
      // The config names ${JIRA_PROJECT}: an empty one is reported against that file, so it was read.
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toContain(`${config.split('/').pop()}`);
      expect(run.stderr).toContain('environment variable JIRA_PROJECT is not set');
    }
  });

  it('a multi-issue sync keeps stderr to JSON lines: no listener warnings from the shared abort signals', async () => {
    // Enough latency that the remote links of a level are in flight together, each listening on the signals.
    e2e = await startE2E({ latencyMs: 400 });
    const run = await e2e.run(['sync', '--log-level', 'info']);
    expect(run.code, run.stderr).toBe(0);
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(24);
    const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(run.stderr).not.toContain('MaxListenersExceededWarning');
  });

  it('SIGTERM during start-up: schedule exits 0 and nothing is half-written', async () => {
    e2e = await startE2E();
    const { child, done } = e2e.spawnCli(['schedule'], { PB_JIRA_SYNC_CRON: '* * * * * *' });
    // While the CLI is still loading its modules, before it has read its config.
    const until = Date.now() + 20_000;
    while (!loadedSqlite(child.pid!) && child.exitCode === null && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
    child.kill('SIGTERM');
    const result = await done;
    expect(result.signal, 'killed by the signal instead of handling it').toBeNull();
    expect(result.code, result.stderr).toBe(0);
    expect(e2e.writes()).toEqual([]);
    if (existsSync(e2e.ledgerPath)) {
      const ledger = Ledger.openReadOnly(e2e.ledgerPath)!;
      expect(ledger.leases.current('pass', Date.now())).toBeUndefined();
      expect(ledger.recentRuns(10).filter((r) => r.outcome !== 'interrupted')).toEqual([]);
      ledger.close();
    }
  });

  it('reconcile refuses to run while a pass holds the lease: it never reports or alerts on a half-done pass', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    e2e.holdPassLease('ops-host:4242');
    const run = await e2e.run(['reconcile', '--alert']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error \[conflict\]: another pass \(ops-host:4242\) is running/);
    expect(e2e.sandbox.slack.messages).toEqual([]);
    expect(e2e.sandbox.requests).toEqual([]);
  });
});
