import { afterEach, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './harness.js';

// Off a terminal (cron, CI, a pipe), a sync's progress is its log on stderr: one line per phase with
// its counts, under a constant message. stdout keeps the plan and results (or the one --json document).

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const phaseLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line['msg'] === 'phase finished');

describe('progress off a terminal', () => {
  it('a first sync logs each phase with its counts, by default, on stderr only', async () => {
    e2e = await startE2E();
    // An empty LOG_LEVEL is unset: off a terminal, sync logs at info.
    const run = await e2e.run(['sync', '--json'], { LOG_LEVEL: '' });
    expect(run.code).toBe(0);
    const created = e2e.sandbox.jira.state.issues().length;
    const lines = phaseLines(run.stderr);
    const byPhase = (phase: string) => lines.filter((l) => l['phase'] === phase);
    expect(byPhase('read-productboard')).toEqual([expect.objectContaining({ items: expect.any(Number), notes: expect.any(Number) })]);
    expect(byPhase('read-jira')).toEqual([expect.objectContaining({ issues: 0 })]);
    expect(byPhase('plan')).toEqual([expect.objectContaining({ create: created, update: 0, move: 0 })]);
    expect(byPhase('wait-for-lease')).toHaveLength(1);
    // One line per level created, its number among all, its issue types and counts; they add up.
    const levels = byPhase('create');
    expect(levels.map((l) => l['treeLevel'])).toEqual([1, 2, 3]);
    expect(levels.every((l) => l['treeLevels'] === 3 && l['failed'] === 0)).toBe(true);
    expect(levels.map((l) => l['issueTypes'])).toEqual([['Epic'], ['Story'], ['Sub-task']]);
    expect(levels.reduce((sum, l) => sum + (l['created'] as number), 0)).toBe(created);
    expect(byPhase('follow-ups').reduce((sum, l) => sum + (l['issues'] as number), 0)).toBe(created);
    // Then the delivery written back into Productboard: one write per synced item.
    expect(byPhase('write-productboard')).toEqual([expect.objectContaining({ written: created, skipped: 0, failed: 0, unchanged: 0 })]);
    for (const line of lines) expect(line['durationMs']).toEqual(expect.any(Number));
    // stdout is the one JSON document (the harness checks it against its schema).
    expect(run.stdout.trimStart().startsWith('{')).toBe(true);
  });

  it('--quiet logs no progress; a dry run has no lease to wait for', async () => {
    e2e = await startE2E();
    const quiet = await e2e.run(['sync', '--dry-run', '--quiet'], { LOG_LEVEL: '' });
    expect(quiet.code).toBe(0);
    expect(phaseLines(quiet.stderr)).toEqual([]);
    const dry = await e2e.run(['sync', '--dry-run'], { LOG_LEVEL: '' });
    const phases = phaseLines(dry.stderr).map((l) => l['phase']);
    expect(phases).toEqual(expect.arrayContaining(['read-productboard', 'read-jira', 'plan']));
    expect(phases).not.toContain('wait-for-lease');
    expect(dry.stdout).toContain('Plan for Jira project PBJ (dry run: nothing will be written)');
    expect(dry.stdout).not.toContain('phase finished');
  });
});
