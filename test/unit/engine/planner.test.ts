import { describe, expect, it } from 'vitest';
import { buildDesiredTree } from '../../../src/engine/desired-tree.js';
import { labelDelta, plan } from '../../../src/engine/planner.js';
import { resolveIssueTypes } from '../../../src/mapping/resolve-issue-types.js';
import { catalog, item, shippedMapping, smallWorkspace, stamp, uuid } from '../../helpers/builders.js';
import type { DesiredTree } from '../../../src/model/desired.js';
import type { Link } from '../../../src/model/link.js';
import { type ObservedIssue, buildObservedTree } from '../../../src/model/observed.js';

const mapping = shippedMapping();
const types = resolveIssueTypes(mapping, catalog);
const NOW = 1_800_000_000_000;

/** Jira exactly as a finished sync leaves it: one issue per desired item, parents set, stamps written. */
function mirror(desired: DesiredTree): { observed: ObservedIssue[]; links: Map<string, Link> } {
  const ids = new Map<string, string>();
  let n = 100;
  for (const issue of desired.issues.values()) ids.set(issue.pbId, String(++n));
  const observed: ObservedIssue[] = [];
  const links = new Map<string, Link>();
  for (const issue of desired.issues.values()) {
    const id = ids.get(issue.pbId)!;
    const parentId = issue.parentPbId ? ids.get(issue.parentPbId)! : null;
    const pushed = stamp(issue.pbId, issue.pbType, {
      labels: issue.fields.labels,
      descriptionHash: issue.fields.descriptionHash,
      statusCategory: issue.fields.statusCategory,
    });
    observed.push({
      id,
      key: `PBJ-${id}`,
      pbId: issue.pbId,
      issueTypeId: issue.issueTypeId,
      issueTypeName: issue.issueTypeName,
      level: issue.level,
      parentId,
      parentKey: parentId ? `PBJ-${parentId}` : null,
      parentLevel: issue.parentPbId ? desired.issues.get(issue.parentPbId)!.level : null,
      parentTypeName: issue.parentPbId ? desired.issues.get(issue.parentPbId)!.issueTypeName : null,
      summary: issue.fields.summary,
      labels: [...issue.fields.labels],
      dueDate: issue.fields.dueDate ?? null,
      statusCategory: issue.fields.statusCategory ?? 'new',
      stamp: pushed,
    });
    links.set(issue.pbId, {
      pbId: issue.pbId,
      pbType: issue.pbType,
      jiraId: id,
      jiraKey: `PBJ-${id}`,
      state: 'linked',
      intentAt: null,
      lastError: null,
      pushed,
    });
  }
  return { observed, links };
}

const planFor = (desired: DesiredTree, observed: ObservedIssue[], links: Map<string, Link>, settleMs = 120_000) =>
  plan({ desired, observed: buildObservedTree(observed), links, now: NOW, settleMs });

describe('planner', () => {
  it('creates parents before children on a first sync', () => {
    const { graph } = smallWorkspace();
    const desired = buildDesiredTree(graph, mapping, types);
    const result = planFor(desired, [], new Map());
    const creates = result.actions.filter((a) => a.kind === 'create');
    expect(creates.map((a) => a.kind === 'create' && a.issueTypeName)).toEqual(['Epic', 'Epic', 'Story', 'Sub-task']);
    const depthOf = new Map(creates.map((a, i) => [a.pbId, i]));
    for (const action of creates) {
      const parent = desired.issues.get(action.pbId)!.parentPbId;
      if (parent) expect(depthOf.get(parent)!).toBeLessThan(depthOf.get(action.pbId)!);
    }
    expect(result.counts.create).toBe(4);
  });

  it('plans nothing when Jira already matches (idempotent rerun)', () => {
    const { graph } = smallWorkspace();
    const desired = buildDesiredTree(graph, mapping, types);
    const { observed, links } = mirror(desired);
    const result = planFor(desired, observed, links);
    expect(result.actions).toEqual([]);
    expect(result.unchanged).toBe(4);
  });

  it('a renamed feature updates exactly its story: the summary, and the description backlink naming it', () => {
    const ws = smallWorkspace();
    const { observed, links } = mirror(buildDesiredTree(ws.graph, mapping, types));
    ws.feature.name = 'Custom domains v2';
    const desired = buildDesiredTree(ws.graph, mapping, types);
    const result = planFor(desired, observed, links);
    expect(result.actions).toHaveLength(1);
    const update = result.actions.find((a) => a.kind === 'update');
    expect(update).toMatchObject({
      pbId: ws.feature.id,
      changes: [{ field: 'summary', to: 'Custom domains v2' }, { field: 'description' }],
    });
  });

  it('relinking a feature to another initiative moves its story', () => {
    const ws = smallWorkspace();
    const { observed, links } = mirror(buildDesiredTree(ws.graph, mapping, types));
    ws.feature.links = [{ id: ws.other.id, type: 'initiative' }];
    const result = planFor(buildDesiredTree(ws.graph, mapping, types), observed, links);
    expect(result.actions.map((a) => [a.kind, a.pbId])).toEqual([['move', ws.feature.id]]);
  });

  it('issue 9 §10: a move Jira refused to the same parent is a skip with the remedy; a new wanted parent tries again', () => {
    const ws = smallWorkspace();
    const { observed, links } = mirror(buildDesiredTree(ws.graph, mapping, types));
    ws.feature.links = [{ id: ws.other.id, type: 'initiative' }];
    const desired = buildDesiredTree(ws.graph, mapping, types);
    const otherEpic = observed.find((o) => o.pbId === ws.other.id)!;
    links.set(ws.feature.id, { ...links.get(ws.feature.id)!, refusedMove: { toParentId: otherEpic.id, error: 'parent: cannot be set' } });
    const refused = planFor(desired, observed, links);
    expect(refused.actions).toEqual([
      expect.objectContaining({
        kind: 'skip',
        pbId: ws.feature.id,
        reason: 'move-refused',
        detail: `Jira refused to move ${observed.find((o) => o.pbId === ws.feature.id)!.key} under ${otherEpic.key} (parent: cannot be set); change its parent in Jira. Not tried again until its parent changes in Productboard`,
      }),
    ]);
    // Refused towards another parent than the one wanted now: the move is planned.
    links.set(ws.feature.id, { ...links.get(ws.feature.id)!, refusedMove: { toParentId: '999', error: 'parent: cannot be set' } });
    expect(planFor(desired, observed, links).actions.map((a) => [a.kind, a.pbId])).toEqual([['move', ws.feature.id]]);
  });

  it('a new subfeature creates one sub-task under the existing story', () => {
    const ws = smallWorkspace();
    const { observed, links } = mirror(buildDesiredTree(ws.graph, mapping, types));
    const extra = item({ id: uuid(2001), type: 'subfeature', name: 'TLS certificates', parent: { id: ws.feature.id, type: 'feature' } });
    const graph = { ...ws.graph, items: new Map([...ws.graph.items, [extra.id, extra]]) };
    const result = planFor(buildDesiredTree(graph, mapping, types), observed, links);
    expect(result.actions).toMatchObject([{ kind: 'create', pbId: extra.id, issueTypeName: 'Sub-task', parentPbId: ws.feature.id }]);
    expect(result.existing.get(ws.feature.id)?.jiraKey).toMatch(/^PBJ-/);
  });

  it('adopts a stamped issue the ledger does not know instead of creating a duplicate', () => {
    const ws = smallWorkspace();
    const desired = buildDesiredTree(ws.graph, mapping, types);
    const { observed } = mirror(desired);
    const result = planFor(desired, observed, new Map());
    expect(result.counts).toMatchObject({ create: 0, adopt: 4 });
  });

  it('keeps the oldest of two issues carrying the same stamp', () => {
    const ws = smallWorkspace();
    const desired = buildDesiredTree(ws.graph, mapping, types);
    const { observed } = mirror(desired);
    const epic = observed.find((o) => o.pbId === ws.initiative.id)!;
    const duplicate = { ...epic, id: '999', key: 'PBJ-999' };
    const result = planFor(desired, [duplicate, ...observed], new Map());
    const adopt = result.actions.find((a) => a.kind === 'adopt' && a.pbId === ws.initiative.id);
    expect(adopt).toMatchObject({ jiraKey: epic.key });
    expect(adopt && adopt.kind === 'adopt' && adopt.reason).toContain('PBJ-999');
  });

  it('does not retry a create of unknown outcome until the settle window has passed', () => {
    const ws = smallWorkspace();
    const desired = buildDesiredTree(ws.graph, mapping, types);
    const pending = (intentAt: number): Map<string, Link> =>
      new Map([
        [
          ws.initiative.id,
          {
            pbId: ws.initiative.id,
            pbType: 'initiative',
            jiraId: null,
            jiraKey: null,
            state: 'pending',
            intentAt,
            lastError: null,
            pushed: null,
          },
        ],
      ]);
    const early = planFor(desired, [], pending(NOW - 10_000));
    expect(early.actions.find((a) => a.pbId === ws.initiative.id)).toMatchObject({ kind: 'skip', reason: 'awaiting-search' });
    // Children of an item that may exist must wait too: never two parents.
    const late = planFor(desired, [], pending(NOW - 200_000));
    expect(late.actions.find((a) => a.pbId === ws.initiative.id)).toMatchObject({
      kind: 'create',
      reason: expect.stringContaining('did not happen'),
    });
  });

  it('reports a linked issue deleted in Jira instead of re-creating it', () => {
    const ws = smallWorkspace();
    const desired = buildDesiredTree(ws.graph, mapping, types);
    const { observed, links } = mirror(desired);
    const remaining = observed.filter((o) => o.pbId !== ws.subfeature.id);
    const result = planFor(desired, remaining, links);
    expect(result.actions).toMatchObject([{ kind: 'skip', pbId: ws.subfeature.id, reason: 'missing-in-jira' }]);
  });

  it('leaves a child where it is when its parent is missing in Jira, instead of planning a move every pass', () => {
    const ws = smallWorkspace();
    const desired = buildDesiredTree(ws.graph, mapping, types);
    const { observed, links } = mirror(desired);
    const remaining = observed.filter((o) => o.pbId !== ws.feature.id); // the Story was deleted in Jira
    const result = planFor(desired, remaining, links);
    expect(result.actions).toMatchObject([{ kind: 'skip', pbId: ws.feature.id, reason: 'missing-in-jira' }]);
  });

  it('pushes a Productboard status change but does not drag back a status changed in Jira', () => {
    const ws = smallWorkspace();
    const { observed, links } = mirror(buildDesiredTree(ws.graph, mapping, types));
    const story = observed.find((o) => o.pbId === ws.feature.id)!;
    story.statusCategory = 'indeterminate'; // an engineer started work in Jira
    expect(planFor(buildDesiredTree(ws.graph, mapping, types), observed, links).actions).toEqual([]);
    ws.feature.statusName = 'Released'; // product marks it released
    const result = planFor(buildDesiredTree(ws.graph, mapping, types), observed, links);
    expect(result.actions).toMatchObject([{ kind: 'update', changes: [{ field: 'status', from: 'indeterminate', to: 'done' }] }]);
  });

  it('skips, with a reason, an issue whose type the mapping no longer produces', () => {
    const ws = smallWorkspace();
    const desired = buildDesiredTree(ws.graph, mapping, types);
    const { observed, links } = mirror(desired);
    const story = observed.find((o) => o.pbId === ws.feature.id)!;
    story.issueTypeId = '3';
    story.issueTypeName = 'Task';
    const result = planFor(desired, observed, links);
    expect(result.actions).toMatchObject([{ kind: 'skip', reason: 'issue-type-changed', pbId: ws.feature.id }]);
  });
});

describe('labelDelta', () => {
  it('adds missing owned labels and removes only labels we owned before', () => {
    expect(labelDelta(['pb-jira-sync', 'web'], ['pb-jira-sync', 'mobile', 'team-a'], ['pb-jira-sync', 'mobile'])).toEqual({
      add: ['web'],
      remove: ['mobile'],
    });
  });
  it('never removes a label a person added in Jira', () => {
    expect(labelDelta(['pb-jira-sync'], ['pb-jira-sync', 'urgent'], ['pb-jira-sync'])).toEqual({ add: [], remove: [] });
  });
});
