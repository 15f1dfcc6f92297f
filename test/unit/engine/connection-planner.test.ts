import { describe, expect, it } from 'vitest';
import { planConnections, type ConnectionInput } from '../../../src/engine/connection-planner.js';
import type { DeliveredIssue } from '../../../src/engine/delivery-planner.js';
import type { ConnectionRecord } from '../../../src/model/connection.js';
import type { DesiredIssue, DesiredTree } from '../../../src/model/desired.js';

const desired = (...items: Array<[pbId: string, parent: string | null]>): DesiredTree => ({
  issues: new Map(
    items.map(([pbId, parentPbId], i) => [pbId, { pbId, pbType: 'feature', name: `Item ${pbId}`, depth: i, parentPbId } as DesiredIssue]),
  ),
  skipped: [],
  warnings: [],
});

const issues: DeliveredIssue[] = [
  { key: 'E-1', parentKey: null, statusCategory: 'indeterminate', statusName: 'In Progress' },
  { key: 'S-1', parentKey: 'E-1', statusCategory: 'done', statusName: 'Done' },
  { key: 'S-2', parentKey: 'E-1', statusCategory: 'new', statusName: 'A status name far longer than twenty' },
];

const input = (written: Map<string, ConnectionRecord> = new Map(), over: Partial<ConnectionInput> = {}): ConnectionInput => ({
  desired: desired(['a', null], ['b', 'a'], ['c', 'a']),
  issues,
  keys: new Map([
    ['a', 'E-1'],
    ['b', 'S-1'],
    ['c', 'S-2'],
  ]),
  refused: new Map(),
  written,
  browseUrl: (key) => `https://jira.example/browse/${key}`,
  ...over,
});

/** The ledger after every write of a plan succeeded. */
const afterWrites = (plan: ReturnType<typeof planConnections>, before = new Map<string, ConnectionRecord>()) =>
  new Map([...before, ...plan.writes.map((w) => [w.pbId, w.record] as const)]);

describe('planConnections', () => {
  it('connects every synced item with its status, key, rolled-up progress and a link; within the spec’s lengths', () => {
    const plan = planConnections(input());
    expect(plan.writes.map((w) => w.pbId)).toEqual(['a', 'b', 'c']);
    expect(plan.writes[0]!.to).toEqual({
      state: 'connected',
      label: 'In Progress',
      hoverLabel: 'E-1 · 50%',
      tooltip: 'E-1: In Progress, 50% done',
      color: 'blue',
      targetUrl: 'https://jira.example/browse/E-1',
    });
    expect(plan.writes[1]!.to).toMatchObject({ label: 'Done', color: 'green', hoverLabel: 'S-1 · 100%' });
    const long = plan.writes[2]!.to;
    expect(long.state === 'connected' && long.label.length).toBe(20);
  });

  it('a pass with nothing new writes nothing', () => {
    const first = planConnections(input());
    const again = planConnections(input(afterWrites(first)));
    expect(again.writes).toEqual([]);
    expect(again.unchanged).toBe(3);
  });

  it('an item Jira refused shows Jira’s reason; an item that left the sync is reset', () => {
    const first = planConnections(input());
    const plan = planConnections(
      input(afterWrites(first), { desired: desired(['a', null], ['b', 'a']), refused: new Map([['b', 'Field summary is too long']]) }),
    );
    expect(plan.writes.map((w) => [w.pbId, w.to])).toEqual([
      ['b', { state: 'error', message: 'Jira refused S-1: Field summary is too long' }],
      ['c', { state: 'initial' }],
    ]);
  });

  it('an unlinked item stays unlinked, a dismissed error stays dismissed, until something else is to be shown', () => {
    const first = afterWrites(planConnections(input()));
    first.set('a', { connection: { state: 'initial' }, hold: 'unlinked' });
    first.set('b', { connection: { state: 'initial' }, hold: 'dismissed' });
    const held = planConnections(input(first, { refused: new Map([['b', 'still refused']]) }));
    expect(held.writes).toEqual([]);
    // b's error is over: its connection comes back, and the hold goes.
    const over = planConnections(input(first));
    expect(over.writes.map((w) => [w.pbId, w.to.state, w.record.hold])).toEqual([['b', 'connected', null]]);
  });

  it('a push’s pass writes only the pushed item and its ancestors; one still in `progress` gets its final state', () => {
    const written = new Map<string, ConnectionRecord>([['c', { connection: { state: 'progress' }, hold: null }]]);
    const plan = planConnections(input(written, { scope: new Set(['c', 'a']) }));
    expect(plan.writes.map((w) => [w.pbId, w.from?.state ?? null, w.to.state])).toEqual([
      ['a', null, 'connected'],
      ['c', 'progress', 'connected'],
    ]);
    // A pushed item the mapping does not sync is left to its push to settle (with the reason), not reset.
    const unsynced = new Map<string, ConnectionRecord>([['x', { connection: { state: 'progress' }, hold: null }]]);
    expect(planConnections(input(unsynced, { scope: new Set(['x']) })).writes).toEqual([]);
    expect(planConnections(input(unsynced)).writes.map((w) => [w.pbId, w.to.state])).toContainEqual(['x', 'initial']);
  });
});
