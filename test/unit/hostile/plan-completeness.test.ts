import { describe, expect, it } from 'vitest';
import { buildDesiredTree } from '../../../src/engine/desired-tree.js';
import { plan } from '../../../src/engine/planner.js';
import type { SyncReport } from '../../../src/engine/run-sync.js';
import { resolveIssueTypes } from '../../../src/mapping/resolve-issue-types.js';
import type { DesiredTree } from '../../../src/model/desired.js';
import { buildObservedTree } from '../../../src/model/observed.js';
import type { SourceGraph } from '../../../src/model/source.js';
import { formatPlan } from '../../../src/report/format-plan.js';
import { catalog, item, shippedMapping, smallWorkspace, uuid } from '../../helpers/builders.js';

// Issue 10 low 2.36 and 2.37: the desired tree and the plan never lose an item they were given;
// every skip the counts include is printed in the text plan.

const mapping = shippedMapping();
const types = resolveIssueTypes(mapping, catalog);

function reportOf(desired: DesiredTree, graph: SourceGraph): SyncReport {
  const observed = buildObservedTree([]);
  return {
    runId: 'r',
    dryRun: true,
    project: catalog,
    graph,
    desired,
    observed,
    plan: plan({ desired, observed, links: new Map(), now: 0, settleMs: 0 }),
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

const skipLines = (text: string) => text.split('\n').filter((line) => /^\s+! skip /.test(line));

describe('issue 10 low 2.36: an entity with an empty id is never dropped silently', () => {
  it('what Productboard returned without an id, or without a type we know, is a skip the plan prints', () => {
    const ws = smallWorkspace();
    const graph: SourceGraph = {
      ...ws.graph,
      rejected: [
        { id: '', type: 'feature', name: 'No id at all', reason: 'id: expected a UUID' },
        { id: '', type: 'feature', name: 'No id either', reason: 'id: expected a UUID' },
        { id: uuid(7001), type: null, name: null, reason: 'type: missing' },
        // A type the mapping does not use is none of the plan's business.
        { id: uuid(7002), type: 'release', name: 'Q3', reason: 'whatever' },
      ],
    };
    const desired = buildDesiredTree(graph, mapping, types);
    expect(desired.skipped.map((s) => [s.pbId, s.name, s.reason, s.detail])).toEqual([
      ['', 'No id at all', 'invalid-item', 'Productboard returned it without an id: id: expected a UUID'],
      ['', 'No id either', 'invalid-item', 'Productboard returned it without an id: id: expected a UUID'],
      [uuid(7001), '(unnamed)', 'invalid-item', 'type: missing'],
    ]);
    const report = reportOf(desired, graph);
    expect(report.plan.counts.skip).toBe(3);
    const lines = skipLines(formatPlan(report));
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).toContain('"No id either": invalid-item: Productboard returned it without an id');
  });
});

describe('issue 10 low 2.37: every skip the counts include appears in the text plan', () => {
  it('a feature linked to itself, or to a feature posing as an initiative, is skipped as invalid and printed', () => {
    const ws = smallWorkspace();
    const self = item({ id: uuid(7101), type: 'feature', name: 'Self-linked', links: [{ id: uuid(7101), type: 'initiative' }] });
    const posing = item({
      id: uuid(7102),
      type: 'feature',
      name: 'Linked to a feature',
      links: [{ id: ws.feature.id, type: 'initiative' }],
    });
    const both = item({
      id: uuid(7103),
      type: 'feature',
      name: 'Self and a real one',
      links: [
        { id: uuid(7103), type: 'initiative' },
        { id: ws.initiative.id, type: 'initiative' },
      ],
    });
    const graph: SourceGraph = { ...ws.graph, items: new Map([...ws.graph.items, ...[self, posing, both].map((i) => [i.id, i] as const)]) };
    const desired = buildDesiredTree(graph, mapping, types);
    expect(desired.skipped.map((s) => [s.name, s.detail])).toEqual([
      ['Linked to a feature', `its linked initiative ${ws.feature.id} is a feature`],
      ['Self-linked', `its linked initiative ${self.id} is the item itself`],
    ]);
    // A bogus link next to a real one does not stop the item: it goes under the real initiative.
    expect(desired.issues.get(both.id)?.parentPbId).toBe(ws.initiative.id);
    const report = reportOf(desired, graph);
    expect(skipLines(formatPlan(report))).toHaveLength(report.plan.counts.skip);
  });

  it('the text plan prints every action even when parents form a cycle (the plan is printed whatever it holds)', () => {
    const ws = smallWorkspace();
    const desired = buildDesiredTree(ws.graph, mapping, types);
    const [a, b] = [uuid(7201), uuid(7202)];
    const cyclic: DesiredTree = {
      ...desired,
      skipped: [
        { pbId: a, pbType: 'feature', name: 'Cycle A', reason: 'parent-not-synced', detail: 'x', parentPbId: b },
        { pbId: b, pbType: 'feature', name: 'Cycle B', reason: 'parent-not-synced', detail: 'x', parentPbId: a },
        { pbId: uuid(7203), pbType: 'feature', name: 'Own parent', reason: 'parent-not-synced', detail: 'x', parentPbId: uuid(7203) },
      ],
    };
    const report = reportOf(cyclic, ws.graph);
    const text = formatPlan(report);
    expect(skipLines(text)).toHaveLength(3);
    for (const name of ['Cycle A', 'Cycle B', 'Own parent']) expect(text).toContain(`feature "${name}": parent-not-synced`);
    expect(text.match(/\+ create/g)).toHaveLength(report.plan.counts.create);
  });
});
