import { describe, expect, it } from 'vitest';
import { points, rollUp, rollUpProgress, type TreeIssue } from '../../../src/engine/progress.js';
import type { StatusCategory } from '../../../src/model/status.js';

const issue = (key: string, parentKey: string | null, statusCategory: StatusCategory | null, storyPoints?: number | null): TreeIssue => ({
  key,
  parentKey,
  statusCategory,
  ...(storyPoints !== undefined ? { storyPoints } : {}),
});

describe('rollUp by story points', () => {
  it('weights each child by its points: a done 5-point story of 5 + 3 + 2 makes its epic half done', () => {
    const rolled = rollUp([
      issue('E-1', null, 'indeterminate'),
      issue('S-1', 'E-1', 'done', 5),
      issue('S-2', 'E-1', 'indeterminate', 3),
      issue('S-3', 'E-1', 'new', 2),
    ]);
    expect(rolled.get('E-1')).toEqual({ progress: 0.5, points: 10 });
    expect(rolled.get('S-1')).toEqual({ progress: 1, points: 5 });
    // By count the same epic would be a third done.
    expect(
      rollUpProgress([issue('E-1', null, 'new'), issue('S-1', 'E-1', 'done'), issue('S-2', 'E-1', 'new'), issue('S-3', 'E-1', 'new')]).get(
        'E-1',
      ),
    ).toBeCloseTo(1 / 3);
  });

  it('an issue without an estimate weighs the sum of its children; its own estimate wins over theirs', () => {
    const rolled = rollUp([
      issue('E-1', null, 'indeterminate'),
      issue('S-1', 'E-1', 'indeterminate'), // unestimated: 3 + 1 from its sub-tasks
      issue('T-1', 'S-1', 'done', 3),
      issue('T-2', 'S-1', 'new', 1),
      issue('S-2', 'E-1', 'new', 4), // estimated at 4, its sub-task's 10 points do not count for the epic
      issue('T-3', 'S-2', 'done', 10),
    ]);
    expect(rolled.get('S-1')).toEqual({ progress: 0.75, points: 4 });
    expect(rolled.get('S-2')).toEqual({ progress: 1, points: 4 });
    expect(rolled.get('E-1')!.points).toBe(8);
    expect(rolled.get('E-1')!.progress).toBeCloseTo((0.75 * 4 + 1 * 4) / 8);
  });

  it('mixed: a child nobody estimated weighs nothing beside estimated siblings', () => {
    const rolled = rollUp([
      issue('E-1', null, 'indeterminate'),
      issue('S-1', 'E-1', 'new', 8),
      issue('S-2', 'E-1', 'done'), // no estimate
      issue('S-3', 'E-1', 'done', 2),
    ]);
    expect(rolled.get('E-1')).toEqual({ progress: 0.2, points: 10 });
    expect(rolled.get('S-2')).toEqual({ progress: 1, points: null });
  });

  it('children without points are counted instead, so an unestimated subtree still shows progress', () => {
    const rolled = rollUp([
      issue('E-1', null, 'indeterminate', 13), // the epic's own estimate does not weight its children
      issue('S-1', 'E-1', 'done'),
      issue('S-2', 'E-1', 'new'),
      issue('S-3', 'E-1', 'new', 0), // an estimate of 0 carries no weight either
    ]);
    expect(rolled.get('E-1')!.progress).toBeCloseTo(1 / 3);
    expect(rolled.get('E-1')!.points).toBe(13);
    expect(rolled.get('S-3')).toEqual({ progress: 0, points: 0 });
  });

  it('no points anywhere: the count-based roll-up, and no points to show', () => {
    const tree = [
      issue('E-1', null, 'indeterminate', null),
      issue('S-1', 'E-1', 'indeterminate', null),
      issue('S-2', 'E-1', 'new'),
      issue('T-1', 'S-1', 'done', null),
      issue('T-2', 'S-1', 'new'),
    ];
    const rolled = rollUp(tree);
    expect(rolled.get('E-1')!.progress).toBeCloseTo(1 / 4);
    expect([...rolled.values()].every((r) => r.points === null)).toBe(true);
    expect(rollUpProgress(tree)).toEqual(new Map([...rolled].map(([k, r]) => [k, r.progress])));
  });

  it('a done parent is complete with open children, and its points are still theirs', () => {
    const rolled = rollUp([issue('S-1', null, 'done'), issue('T-1', 'S-1', 'new', 3), issue('T-2', 'S-1', 'indeterminate', 2)]);
    expect(rolled.get('S-1')).toEqual({ progress: 1, points: 5 });
  });

  it('a cycle Jira should never report ends: the edge back into the cycle counts nothing', () => {
    const rolled = rollUp([issue('A', 'B', 'new', 3), issue('B', 'A', 'new'), issue('C', 'B', 'done', 2)]);
    // From A: B's children are A (being visited: nothing) and C (done, 2 points).
    expect(rolled.get('B')).toEqual({ progress: 1, points: 2 });
    expect(rolled.get('A')).toEqual({ progress: 1, points: 3 });
    expect(rolled.size).toBe(3);
  });

  it('points as a number field shows them: fractional sums without float noise', () => {
    const rolled = rollUp([issue('E', null, 'new'), issue('S-1', 'E', 'new', 0.1), issue('S-2', 'E', 'new', 0.2)]);
    expect(points(rolled.get('E')!.points!)).toBe(0.3);
  });
});
