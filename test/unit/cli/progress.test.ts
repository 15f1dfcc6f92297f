import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logProgress, STILL_RUNNING_MS } from '../../../src/cli/progress/log-progress.js';
import { createLogger } from '../../../src/log/logger.js';
import type { Phase } from '../../../src/model/progress.js';
import { finishedLine, runningLine } from '../../../src/report/format-progress.js';
import { systemClock } from '../../../src/util/clock.js';

// Progress off a terminal is the log: a line per phase with its counts, and a line every few seconds
// for each phase still under way, so a long pass is never silent.

const capture = () => {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()),
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
};

const create: Phase = { name: 'create', level: 2, levels: 3, issueTypes: ['Story'] };

afterEach(() => {
  vi.useRealTimers();
});

describe('progress as log lines', () => {
  it('one line per phase when it ends, under a constant message, its counts as fields', () => {
    const { lines, logger } = capture();
    const progress = logProgress(logger, systemClock);
    progress.listener({ kind: 'started', phase: { name: 'read-productboard' }, total: null, at: 0 });
    progress.listener({
      kind: 'finished',
      phase: { name: 'read-productboard' },
      counts: { items: 5000, notes: 1200, 'not read': 0 },
      durationMs: 12_300,
      at: 12_300,
    });
    progress.listener({ kind: 'started', phase: create, total: 4000, at: 12_300 });
    progress.listener({
      kind: 'finished',
      phase: create,
      counts: { created: 3997, failed: 3, waiting: 0 },
      durationMs: 40_000,
      at: 52_300,
    });
    progress.close();
    expect(lines.map(({ time: _time, level: _level, ...line }) => line)).toEqual([
      { phase: 'read-productboard', items: 5000, notes: 1200, 'not read': 0, durationMs: 12_300, msg: 'phase finished' },
      {
        phase: 'create',
        treeLevel: 2,
        treeLevels: 3,
        issueTypes: ['Story'],
        created: 3997,
        failed: 3,
        waiting: 0,
        durationMs: 40_000,
        msg: 'phase finished',
      },
    ]);
  });

  it('a phase still under way says how far it got every few seconds, and nothing after it ends', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { lines, logger } = capture();
    const progress = logProgress(logger, systemClock);
    progress.listener({ kind: 'started', phase: create, total: 4000, at: Date.now() });
    vi.advanceTimersByTime(STILL_RUNNING_MS);
    progress.listener({ kind: 'advanced', phase: create, done: 1200, failed: 1, total: 4000, at: Date.now() });
    vi.advanceTimersByTime(STILL_RUNNING_MS);
    progress.listener({ kind: 'finished', phase: create, counts: { created: 4000 }, durationMs: 2 * STILL_RUNNING_MS, at: Date.now() });
    vi.advanceTimersByTime(3 * STILL_RUNNING_MS);
    progress.close();
    expect(lines.map((l) => [l['msg'], l['done'], l['failed'], l['total'], l['elapsedMs']])).toEqual([
      ['phase running', undefined, undefined, 4000, STILL_RUNNING_MS],
      ['phase running', 1200, 1, 4000, 2 * STILL_RUNNING_MS],
      ['phase finished', undefined, undefined, undefined, undefined],
    ]);
  });
});

describe('progress lines for a terminal', () => {
  it('a level being created: counts of the total, failures, and the rate', () => {
    expect(runningLine({ kind: 'started', phase: create, total: 4000, at: 0 }, 0)).toBe('Create level 2 of 3 (Story): 0 of 4,000');
    expect(runningLine({ kind: 'advanced', phase: create, done: 1250, failed: 3, total: 4000, at: 10_000 }, 0)).toBe(
      'Create level 2 of 3 (Story): 1,250 of 4,000, 3 failed, 125/s',
    );
    expect(runningLine({ kind: 'started', phase: { name: 'read-jira' }, total: null, at: 0 }, 0)).toBe('Read Jira…');
    expect(
      finishedLine({
        kind: 'finished',
        phase: { name: 'read-productboard' },
        counts: { items: 5000, notes: 1200 },
        durationMs: 12_345,
        at: 0,
      }),
    ).toBe('Read Productboard: 5,000 items, 1,200 notes (12.3 s)');
  });
});
