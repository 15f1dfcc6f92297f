import { describe, expect, it } from 'vitest';
import { planDelivery, type DeliveredIssue, type DeliveryInput } from '../../../src/engine/delivery-planner.js';
import { rollUpProgress } from '../../../src/engine/progress.js';
import type { DesiredIssue, DesiredTree } from '../../../src/model/desired.js';
import type { DeliveryValues } from '../../../src/model/delivery.js';
import type { StatusCategory } from '../../../src/model/status.js';

const issue = (
  key: string,
  parentKey: string | null,
  statusCategory: StatusCategory | null,
  statusName: string | null = null,
): DeliveredIssue => ({
  key,
  parentKey,
  statusCategory,
  statusName,
});

describe('rollUpProgress', () => {
  it('rolls up level by level: done children / all children, partly done children counted in part', () => {
    const tree = [
      issue('E-1', null, 'indeterminate'),
      issue('S-1', 'E-1', 'indeterminate'),
      issue('S-2', 'E-1', 'new'),
      issue('T-1', 'S-1', 'done'),
      issue('T-2', 'S-1', 'new'),
      issue('T-3', 'S-1', 'indeterminate'),
    ];
    const progress = rollUpProgress(tree);
    expect(progress.get('T-1')).toBe(1);
    expect(progress.get('T-2')).toBe(0);
    expect(progress.get('S-1')).toBeCloseTo(1 / 3);
    expect(progress.get('S-2')).toBe(0);
    expect(progress.get('E-1')).toBeCloseTo(1 / 6);
  });

  it('a done issue is complete whatever its children say; a cycle Jira should never report ends at 0', () => {
    const progress = rollUpProgress([
      issue('S-1', null, 'done'),
      issue('T-1', 'S-1', 'new'),
      issue('A', 'B', 'new'),
      issue('B', 'A', 'new'),
    ]);
    expect(progress.get('S-1')).toBe(1);
    expect(progress.get('A')).toBe(0);
    expect(progress.get('B')).toBe(0);
  });
});

const desired = (...items: Array<[pbId: string, depth: number]>): DesiredTree => ({
  issues: new Map(
    items.map(([pbId, depth]) => [
      pbId,
      { pbId, pbType: depth === 0 ? 'initiative' : 'feature', name: `Item ${pbId}`, depth } as DesiredIssue,
    ]),
  ),
  skipped: [],
  warnings: [],
});

const input = (written: Map<string, DeliveryValues>, issues: DeliveredIssue[]): DeliveryInput => ({
  writeBack: { fields: { jiraKey: 'Jira key', jiraStatus: 'Jira status', progress: 'Delivery progress' }, status: new Map() },
  desired: desired(['pb-epic', 0], ['pb-story', 1], ['pb-gone', 1]),
  issues,
  keys: new Map([
    ['pb-epic', 'E-1'],
    ['pb-story', 'S-1'],
  ]),
  written,
  browseUrl: (key) => `https://jira.example/browse/${key}`,
});

describe('planDelivery', () => {
  const tree = [issue('E-1', null, 'indeterminate', 'In Progress'), issue('S-1', 'E-1', 'done', 'Shipped'), issue('S-2', 'E-1', 'new')];

  it('first time: one write per item with an issue, each value the mapping names a field for', () => {
    const plan = planDelivery(input(new Map(), tree));
    expect(plan.writes.map((w) => w.pbId)).toEqual(['pb-epic', 'pb-story']);
    expect(plan.writes[0]!.values).toEqual({ jiraKey: 'E-1', jiraStatus: 'In Progress', progress: 50 });
    expect(plan.writes[1]!.changes).toEqual([
      { value: 'jiraKey', field: 'Jira key', from: null, to: 'S-1' },
      { value: 'jiraStatus', field: 'Jira status', from: null, to: 'Shipped' },
      { value: 'progress', field: 'Delivery progress', from: null, to: 100 },
    ]);
  });

  it('a push’s pass writes only the pushed item and its ancestors; the others wait for the next pass', () => {
    const pushed = planDelivery({ ...input(new Map(), tree), scope: new Set(['pb-story']) });
    expect(pushed.writes.map((w) => w.pbId)).toEqual(['pb-story']);
    const next = planDelivery(input(new Map([['pb-story', pushed.writes[0]!.values]]), tree));
    expect(next.writes.map((w) => w.pbId)).toEqual(['pb-epic']);
  });

  it('writes only the values that changed since last written, and nothing when none did', () => {
    const written = new Map<string, DeliveryValues>([
      ['pb-epic', { jiraKey: 'E-1', jiraStatus: 'In Progress', progress: 50 }],
      ['pb-story', { jiraKey: 'S-1', jiraStatus: 'In Review', progress: 0 }],
    ]);
    const plan = planDelivery(input(written, tree));
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]!.changes.map((c) => [c.value, c.from, c.to])).toEqual([
      ['jiraStatus', 'In Review', 'Shipped'],
      ['progress', 0, 100],
    ]);
    expect(plan.unchanged).toBe(1);
    const again = planDelivery(input(new Map([...written, ['pb-story', plan.writes[0]!.values]]), tree));
    expect(again.writes).toEqual([]);
    expect(again.unchanged).toBe(2);
  });

  it('a status Jira did not name (an issue just created) shows its category’s name; the link is the issue’s address', () => {
    const plan = planDelivery({
      ...input(new Map(), [issue('E-1', null, 'new')]),
      writeBack: { fields: { jiraLink: 'Jira link', jiraStatus: 'Jira status' }, status: new Map() },
    });
    expect(plan.writes[0]!.values).toEqual({ jiraLink: 'https://jira.example/browse/E-1', jiraStatus: 'To Do' });
  });

  const WITH_POINTS: DeliveryInput['writeBack'] = {
    fields: { progress: 'Delivery progress', storyPoints: 'Story points' },
    storyPoints: 'Story point estimate',
    status: new Map(),
  };

  it('with story points read: progress weighted by them, and each item shows its points (its own, else its children’s sum)', () => {
    const pointed = [
      { ...issue('E-1', null, 'indeterminate', 'In Progress'), storyPoints: null },
      { ...issue('S-1', 'E-1', 'done', 'Done'), storyPoints: 5 },
      { ...issue('S-2', 'E-1', 'new', 'To Do'), storyPoints: 3 },
    ];
    const plan = planDelivery({
      ...input(new Map(), pointed),
      writeBack: WITH_POINTS,
    });
    expect(plan.writes.map((w) => [w.pbId, w.values])).toEqual([
      ['pb-epic', { progress: 63, storyPoints: 8 }],
      ['pb-story', { progress: 100, storyPoints: 5 }],
    ]);
  });

  it('nothing estimated: no points to write, only the count-based progress', () => {
    const plan = planDelivery({
      ...input(new Map(), tree),
      writeBack: WITH_POINTS,
    });
    expect(plan.writes.map((w) => w.values)).toEqual([{ progress: 50 }, { progress: 100 }]);
  });
});
