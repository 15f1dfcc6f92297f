import { describe, expect, it } from 'vitest';
import { buildDesiredTree } from '../../../src/engine/desired-tree.js';
import { renderDescription } from '../../../src/mapping/description.js';
import { resolveIssueTypes } from '../../../src/mapping/resolve-issue-types.js';
import { catalog, graph, item, shippedMapping, smallWorkspace, uuid } from '../../helpers/builders.js';

const mapping = shippedMapping();
const types = resolveIssueTypes(mapping, catalog);

describe('desired tree (default mapping)', () => {
  it('maps initiative → Epic, feature → Story under it, subfeature → Sub-task under the story', () => {
    const ws = smallWorkspace();
    const tree = buildDesiredTree(ws.graph, mapping, types);
    expect(tree.issues.get(ws.initiative.id)).toMatchObject({ issueTypeName: 'Epic', parentPbId: null, depth: 0 });
    expect(tree.issues.get(ws.feature.id)).toMatchObject({ issueTypeName: 'Story', parentPbId: ws.initiative.id, depth: 1 });
    expect(tree.issues.get(ws.subfeature.id)).toMatchObject({ issueTypeName: 'Sub-task', parentPbId: ws.feature.id, depth: 2 });
  });

  it('stamps labels, turns tags into space-free labels, maps status by category and due date from the timeframe', () => {
    const ws = smallWorkspace();
    ws.feature.timeframe = { startDate: '2026-03-01', endDate: '2026-03-31' };
    const fields = buildDesiredTree(ws.graph, mapping, types).issues.get(ws.feature.id)!.fields;
    expect(fields.labels).toEqual(['pb-jira-sync', `pb-${ws.feature.id}`, 'mobile-app']);
    expect(fields.statusCategory).toBe('new');
    expect(fields.dueDate).toBe('2026-03-31');
    // Epics do not take the initiative's horizon as a due date (dueDate: false in the mapping).
    expect(buildDesiredTree(ws.graph, mapping, types).issues.get(ws.initiative.id)!.fields.dueDate).toBeUndefined();
  });

  it('does not create a feature linked to no initiative, and says why', () => {
    const lonely = item({ id: uuid(3001), type: 'feature', name: 'Lonely feature' });
    const child = item({ id: uuid(3002), type: 'subfeature', name: 'Its child', parent: { id: lonely.id, type: 'feature' } });
    const tree = buildDesiredTree(graph([lonely, child]), mapping, types);
    expect(tree.issues.size).toBe(0);
    expect(tree.skipped).toMatchObject([
      { pbId: lonely.id, reason: 'unparented' },
      { pbId: child.id, reason: 'parent-not-synced', parentPbId: lonely.id },
    ]);
  });

  it('places a feature linked to several initiatives under the earliest created, deterministically', () => {
    const ws = smallWorkspace();
    ws.feature.links = [
      { id: ws.other.id, type: 'initiative' },
      { id: ws.initiative.id, type: 'initiative' },
    ];
    const issue = buildDesiredTree(ws.graph, mapping, types).issues.get(ws.feature.id)!;
    expect(issue.parentPbId).toBe(ws.initiative.id);
    expect(issue.parentNote).toContain('placed under "Self-service hubs" (earliest-created)');
    ws.feature.links.reverse();
    expect(buildDesiredTree(ws.graph, mapping, types).issues.get(ws.feature.id)!.parentPbId).toBe(ws.initiative.id);
  });

  it('does not create archived items or their children', () => {
    const ws = smallWorkspace();
    ws.feature.archived = true;
    const tree = buildDesiredTree(ws.graph, mapping, types);
    expect(tree.skipped.map((s) => [s.pbId, s.reason])).toEqual([
      [ws.feature.id, 'archived'],
      [ws.subfeature.id, 'parent-not-synced'],
    ]);
  });

  it('skips an item whose linked parent was not returned by Productboard, naming the id', () => {
    const ghost = uuid(4001);
    const feature = item({ id: uuid(4002), type: 'feature', name: 'Dangling', links: [{ id: ghost, type: 'initiative' }] });
    const tree = buildDesiredTree(graph([feature]), mapping, types);
    expect(tree.skipped).toMatchObject([{ reason: 'invalid-item', detail: expect.stringContaining(ghost) }]);
  });

  it('lists the insights linked to a feature, newest first, with a count and links', () => {
    const ws = smallWorkspace();
    const notes = [1, 2, 3].map((n) => ({
      id: uuid(5000 + n),
      name: `Customer call ${n}`,
      url: `https://sandbox.productboard.com/insights/${n}`,
      linkedIds: [ws.feature.id],
      createdAt: `2026-02-0${n}T00:00:00Z`,
    }));
    const tree = buildDesiredTree({ ...ws.graph, notes }, mapping, types);
    const doc = JSON.stringify(renderDescription(tree.issues.get(ws.feature.id)!.fields.description!));
    expect(doc).toContain('Customer insights (3)');
    expect(doc.indexOf('Customer call 3')).toBeLessThan(doc.indexOf('Customer call 1'));
    expect(doc).toContain('https://sandbox.productboard.com/insights/2');
    // Initiatives do not list insights in the default mapping.
    expect(JSON.stringify(renderDescription(tree.issues.get(ws.initiative.id)!.fields.description!))).not.toContain('Customer insights');
  });

  it('maps feature → Epic and subfeature → Story with the feature-as-epic mapping', () => {
    const alt = shippedMapping('feature-as-epic');
    const ws = smallWorkspace();
    const tree = buildDesiredTree(ws.graph, alt, resolveIssueTypes(alt, catalog));
    expect(tree.issues.get(ws.feature.id)).toMatchObject({ issueTypeName: 'Epic', parentPbId: null });
    expect(tree.issues.get(ws.subfeature.id)).toMatchObject({ issueTypeName: 'Story', parentPbId: ws.feature.id });
    expect(tree.issues.has(ws.initiative.id)).toBe(false);
  });
});
