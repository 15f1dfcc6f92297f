import { describe, expect, it } from 'vitest';
import { buildDesiredTree } from '../../../src/engine/desired-tree.js';
import { reconcile } from '../../../src/engine/reconciler.js';
import { resolveIssueTypes } from '../../../src/mapping/resolve-issue-types.js';
import { catalog, graph as graphOf, item, observedFrom, shippedMapping, smallWorkspace, stamp, uuid } from '../../helpers/builders.js';
import type { Link } from '../../../src/model/link.js';
import { type ObservedIssue, buildObservedTree } from '../../../src/model/observed.js';
import type { SourceGraph } from '../../../src/model/source.js';

const mapping = shippedMapping();
const types = resolveIssueTypes(mapping, catalog);
const LEVEL = { Epic: { id: '1', level: 1 }, Story: { id: '2', level: 0 }, 'Sub-task': { id: '4', level: -1 } } as const;

/** Jira as a finished sync leaves it for the small workspace: epic 11, story 12 under it, sub-task 13. */
function synced(ws = smallWorkspace()) {
  const issue = (id: string, pbId: string, type: keyof typeof LEVEL, parent: ObservedIssue | null): ObservedIssue =>
    observedFrom({
      id,
      key: `PBJ-${id}`,
      pbId,
      issueTypeId: LEVEL[type].id,
      issueTypeName: type,
      level: LEVEL[type].level,
      parentId: parent?.id ?? null,
      parentKey: parent?.key ?? null,
      parentLevel: parent?.level ?? null,
      parentTypeName: parent?.issueTypeName ?? null,
      stamp: stamp(pbId, 'x'),
    });
  const epic = issue('11', ws.initiative.id, 'Epic', null);
  const otherEpic = issue('14', ws.other.id, 'Epic', null);
  const story = issue('12', ws.feature.id, 'Story', epic);
  const subtask = issue('13', ws.subfeature.id, 'Sub-task', story);
  const issues = [epic, story, subtask, otherEpic];
  const links = new Map<string, Link>(
    issues.map((i) => [
      i.pbId!,
      { pbId: i.pbId!, pbType: 'x', jiraId: i.id, jiraKey: i.key, state: 'linked', intentAt: null, lastError: null, pushed: null },
    ]),
  );
  return { ws, epic, otherEpic, story, subtask, issues, links };
}

const run = (graph: SourceGraph, issues: ObservedIssue[], links: Map<string, Link>) =>
  reconcile({
    graph,
    desired: buildDesiredTree(graph, mapping, types),
    links,
    observed: buildObservedTree(issues),
    jiraBaseUrl: 'https://acme.atlassian.net',
  });

const moveUnder = (issue: ObservedIssue, parent: ObservedIssue): ObservedIssue => ({
  ...issue,
  parentId: parent.id,
  parentKey: parent.key,
  parentLevel: parent.level,
  parentTypeName: parent.issueTypeName,
});

describe('reconciler', () => {
  it('finds nothing when Jira matches the mapping', () => {
    const s = synced();
    expect(run(s.ws.graph, s.issues, s.links)).toEqual([]);
  });

  it('orphaned: the item was archived or deleted while the issue is open; never when the issue is done', () => {
    const s = synced();
    s.ws.feature.archived = true;
    const findings = run(s.ws.graph, s.issues, s.links);
    expect(findings.filter((f) => f.kind === 'orphaned')).toMatchObject([
      { jiraKey: 'PBJ-12', message: '"Custom domains" was archived in Productboard, but PBJ-12 is still open', fix: null },
    ]);

    const deleted = graphOf([s.ws.initiative, s.ws.other, s.ws.subfeature]);
    expect(run(deleted, s.issues, s.links).find((f) => f.kind === 'orphaned')).toMatchObject({
      jiraKey: 'PBJ-12',
      message: expect.stringContaining('was deleted'),
    });

    const done = s.issues.map((i) => (i.id === '12' ? { ...i, statusCategory: 'done' as const } : i));
    expect(run(deleted, done, s.links).some((f) => f.kind === 'orphaned')).toBe(false);
  });

  it('mis-parented: moved under another Epic; the fix names the expected parent', () => {
    const s = synced();
    const issues = s.issues.map((i) => (i.id === '12' ? moveUnder(i, s.otherEpic) : i));
    expect(run(s.ws.graph, issues, s.links)).toMatchObject([
      {
        kind: 'mis-parented',
        jiraKey: 'PBJ-12',
        expectedParent: 'PBJ-11',
        actualParent: 'PBJ-14',
        fix: { parent: { jiraId: '11', jiraKey: 'PBJ-11' } },
        jiraUrl: 'https://acme.atlassian.net/browse/PBJ-12',
      },
    ]);
  });

  it('mis-parented: the link changed in Productboard and was not applied yet', () => {
    const s = synced();
    s.ws.feature.links = [{ id: s.ws.other.id, type: 'initiative' }];
    expect(run(s.ws.graph, s.issues, s.links)).toMatchObject([{ kind: 'mis-parented', expectedParent: 'PBJ-14', actualParent: 'PBJ-11' }]);
  });

  it('wrong-level: a Story under a Story, a Sub-task under an Epic, an Epic with a parent', () => {
    const s = synced();
    const strayStory = { ...s.story, id: '15', key: 'PBJ-15', pbId: uuid(77) };
    const storyUnderStory = run(
      s.ws.graph,
      s.issues.map((i) => (i.id === '12' ? moveUnder(i, strayStory) : i)).concat(strayStory),
      s.links,
    );
    expect(storyUnderStory.find((f) => f.jiraKey === 'PBJ-12')).toMatchObject({
      kind: 'wrong-level',
      message: expect.stringContaining('a Story belongs under an Epic'),
      fix: { parent: { jiraId: '11', jiraKey: 'PBJ-11' } },
    });

    const subtaskUnderEpic = run(
      s.ws.graph,
      s.issues.map((i) => (i.id === '13' ? moveUnder(i, s.epic) : i)),
      s.links,
    );
    expect(subtaskUnderEpic).toMatchObject([{ kind: 'wrong-level', jiraKey: 'PBJ-13', actualParent: 'PBJ-11', expectedParent: 'PBJ-12' }]);

    const epicWithParent = run(
      s.ws.graph,
      s.issues.map((i) => (i.id === '14' ? moveUnder(i, s.epic) : i)),
      s.links,
    );
    expect(epicWithParent).toMatchObject([
      {
        kind: 'wrong-level',
        jiraKey: 'PBJ-14',
        message: expect.stringContaining('the mapping makes it a top-level issue'),
        fix: { parent: null },
      },
    ]);
  });

  it('wrong-level: the issue type differs from the mapping; not auto-fixable', () => {
    const s = synced();
    const issues = s.issues.map((i) => (i.id === '12' ? { ...i, issueTypeId: '3', issueTypeName: 'Task' } : i));
    expect(run(s.ws.graph, issues, s.links)).toMatchObject([{ kind: 'wrong-level', jiraKey: 'PBJ-12', fix: null }]);
  });

  it('unparented: an item the mapping needs a parent for has none', () => {
    const lonely = item({ id: uuid(90), type: 'feature', name: 'Lonely' });
    expect(run(graphOf([lonely]), [], new Map())).toMatchObject([
      { kind: 'unparented', pbId: lonely.id, message: '"Lonely" (feature) has no linked initiative: the mapping needs one to place it' },
    ]);
  });

  it('ambiguous-parent: names the parent chosen and the alternatives', () => {
    const s = synced();
    s.ws.feature.links = [
      { id: s.ws.other.id, type: 'initiative' },
      { id: s.ws.initiative.id, type: 'initiative' },
    ];
    expect(run(s.ws.graph, s.issues, s.links)).toMatchObject([
      {
        kind: 'ambiguous-parent',
        jiraKey: 'PBJ-12',
        expectedParent: 'PBJ-11',
        message:
          '"Custom domains" is linked to 2 parents ("Self-service hubs", "Cost reporting"); it is placed under "Self-service hubs" (PBJ-11)',
      },
    ]);
  });

  it('missing-in-jira: a ledger link whose issue is gone', () => {
    const s = synced();
    expect(
      run(
        s.ws.graph,
        s.issues.filter((i) => i.id !== '13'),
        s.links,
      ),
    ).toMatchObject([{ kind: 'missing-in-jira', jiraKey: 'PBJ-13', pbId: s.ws.subfeature.id }]);
  });

  it('untracked: a stamped issue the ledger does not know, and a duplicate stamp', () => {
    const s = synced();
    const lost = run(s.ws.graph, s.issues, new Map());
    expect(lost.map((f) => f.kind)).toEqual(['untracked', 'untracked', 'untracked', 'untracked']);
    const duplicate = { ...s.story, id: '99', key: 'PBJ-99' };
    expect(run(s.ws.graph, [...s.issues, duplicate], s.links)).toMatchObject([
      { kind: 'untracked', jiraKey: 'PBJ-99', message: 'PBJ-99 is a duplicate of PBJ-12: both carry the stamp of "Custom domains"' },
    ]);
  });
});
