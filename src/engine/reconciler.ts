import type { DesiredTree, Link, ObservedIssue, ObservedTree, SourceGraph } from './model.js';

// The reconciler compares the Jira tree with the tree the mapping derives from Productboard and
// reports drift. It is pure and read-only: it never deletes or closes anything; `--fix` only moves
// issues whose correct parent is known (see fixable below).

export type FindingKind = 'orphaned' | 'mis-parented' | 'wrong-level' | 'unparented' | 'ambiguous-parent' | 'missing-in-jira' | 'untracked';

export const FINDING_KINDS: readonly FindingKind[] = ['mis-parented', 'wrong-level', 'orphaned', 'missing-in-jira', 'untracked', 'unparented', 'ambiguous-parent'];

export interface Finding {
  kind: FindingKind;
  pbId: string | null;
  pbName: string | null;
  pbUrl: string | null;
  jiraId: string | null;
  jiraKey: string | null;
  jiraUrl: string | null;
  /** Jira key of the parent the mapping expects / the parent the issue has. */
  expectedParent: string | null;
  actualParent: string | null;
  message: string;
  suggestion: string;
  /** Set when `reconcile --fix` can repair it: move `jiraId` under `parentJiraId` (null: no parent). */
  fix: { parentJiraId: string | null } | null;
}

export interface ReconcileInput {
  graph: SourceGraph;
  desired: DesiredTree;
  links: ReadonlyMap<string, Link>;
  observed: ObservedTree;
  /** e.g. https://acme.atlassian.net, for issue links. */
  jiraBaseUrl: string;
}

const withArticle = (word: string): string => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;

/** A parent fits when it sits one level up (a sub-task's parent is a standard issue). */
export const levelFits = (childLevel: number, parentLevel: number): boolean => parentLevel === (childLevel === -1 ? 0 : childLevel + 1);

export function reconcile(input: ReconcileInput): Finding[] {
  const { graph, desired, links, observed } = input;
  const findings: Finding[] = [];
  const browse = (key: string | null) => (key ? `${input.jiraBaseUrl}/browse/${key}` : null);
  const pbOf = (pbId: string | null, fallbackName: string | null) => {
    const item = pbId ? graph.items.get(pbId) : undefined;
    return { pbId, pbName: item?.name ?? fallbackName, pbUrl: item?.url ?? null };
  };
  const issueRef = (issue: ObservedIssue) => ({ jiraId: issue.id, jiraKey: issue.key, jiraUrl: browse(issue.key) });
  const linkedByJiraId = new Map([...links.values()].filter((l) => l.jiraId).map((l) => [l.jiraId!, l]));
  /** The issue the sync tracks for an item: its ledger link, else the oldest stamped issue. */
  const trackedIssue = (pbId: string): ObservedIssue | undefined => {
    const link = links.get(pbId);
    if (link?.jiraId && observed.byId.has(link.jiraId)) return observed.byId.get(link.jiraId);
    return observed.byPbId.get(pbId)?.[0];
  };
  const add = (finding: Omit<Finding, 'expectedParent' | 'actualParent' | 'fix' | 'jiraId' | 'jiraKey' | 'jiraUrl' | 'pbUrl' | 'pbName' | 'pbId'> & Partial<Finding>) =>
    findings.push({ pbId: null, pbName: null, pbUrl: null, jiraId: null, jiraKey: null, jiraUrl: null, expectedParent: null, actualParent: null, fix: null, ...finding });

  for (const issue of observed.byId.values()) {
    const pbId = issue.pbId ?? linkedByJiraId.get(issue.id)?.pbId ?? null;
    if (!pbId) continue;
    const link = links.get(pbId);
    const pb = pbOf(pbId, issue.summary);

    if (link?.jiraId !== issue.id) {
      const tracked = link?.jiraId ? observed.byId.get(link.jiraId) : undefined;
      const duplicateOf = tracked ?? (observed.byPbId.get(pbId)?.[0]?.id !== issue.id ? observed.byPbId.get(pbId)?.[0] : undefined);
      add({
        kind: 'untracked',
        ...pb,
        ...issueRef(issue),
        message: duplicateOf
          ? `${issue.key} is a duplicate of ${duplicateOf.key}: both carry the stamp of "${pb.pbName}"`
          : `${issue.key} carries the stamp of "${pb.pbName}" but the ledger does not know it`,
        suggestion: duplicateOf
          ? `Delete ${issue.key} (or remove its pb-${pbId} label) and keep ${duplicateOf.key}.`
          : 'Run `pb-jira-sync sync` to adopt it (the ledger was lost, or belongs to another installation).',
      });
      if (duplicateOf) continue;
    }

    const item = graph.items.get(pbId);
    if (!item || item.archived) {
      if (issue.statusCategory !== 'done') {
        const what = item ? 'archived' : 'deleted';
        add({
          kind: 'orphaned',
          ...pb,
          ...issueRef(issue),
          message: `"${pb.pbName}" was ${what} in Productboard, but ${issue.key} is still open`,
          suggestion: `Close ${issue.key} in Jira if the work is dropped, or restore the item in Productboard (pb-jira-sync never closes issues itself).`,
        });
      }
      continue;
    }

    const wanted = desired.issues.get(pbId);
    if (!wanted) continue; // not placeable (unparented, parent not synced): reported below
    if (issue.issueTypeId !== wanted.issueTypeId) {
      add({
        kind: 'wrong-level',
        ...pb,
        ...issueRef(issue),
        message: `${issue.key} is ${withArticle(issue.issueTypeName || 'different issue type')}, but the mapping makes "${item.name}" ${withArticle(wanted.issueTypeName)}`,
        suggestion: `Change the issue type of ${issue.key} to ${wanted.issueTypeName} in Jira, or change the mapping.`,
      });
      continue;
    }

    const expected = wanted.parentPbId ? trackedIssue(wanted.parentPbId) : null;
    if (wanted.parentPbId && !expected) continue; // the parent is not in Jira yet: the next sync creates it
    const expectedId = expected?.id ?? null;
    if (issue.parentId === expectedId) continue;

    const parents = { expectedParent: expected?.key ?? null, actualParent: issue.parentKey, fix: { parentJiraId: expectedId } };
    const move = expected ? `move it back under ${expected.key}` : 'remove its parent';
    if (!wanted.parentPbId) {
      add({
        kind: 'wrong-level',
        ...pb,
        ...issueRef(issue),
        ...parents,
        message: `${issue.key} (${issue.issueTypeName}) has the parent ${issue.parentKey}, but the mapping makes it a top-level issue`,
        suggestion: `Run \`pb-jira-sync reconcile --fix\` to ${move}.`,
      });
    } else if (issue.parentLevel !== null && !levelFits(issue.level, issue.parentLevel)) {
      add({
        kind: 'wrong-level',
        ...pb,
        ...issueRef(issue),
        ...parents,
        message: `${issue.key} (${issue.issueTypeName}) sits under ${issue.parentKey} (${issue.parentTypeName ?? `level ${issue.parentLevel}`}): ${withArticle(issue.issueTypeName)} belongs under ${withArticle(expected!.issueTypeName)}`,
        suggestion: `Run \`pb-jira-sync reconcile --fix\` to ${move}.`,
      });
    } else {
      const parentName = desired.issues.get(wanted.parentPbId!)?.name ?? '';
      add({
        kind: 'mis-parented',
        ...pb,
        ...issueRef(issue),
        ...parents,
        message: `${issue.key} is under ${issue.parentKey ?? 'no parent'}, but Productboard places it under ${expected!.key} ("${parentName}")`,
        suggestion: `Run \`pb-jira-sync reconcile --fix\` to ${move}, or change the link in Productboard.`,
      });
    }
  }

  for (const link of links.values()) {
    if (!link.jiraId || observed.byId.has(link.jiraId)) continue;
    const pb = pbOf(link.pbId, null);
    add({
      kind: 'missing-in-jira',
      ...pb,
      jiraId: link.jiraId,
      jiraKey: link.jiraKey,
      jiraUrl: browse(link.jiraKey),
      message: `${link.jiraKey ?? link.jiraId} (linked to "${pb.pbName ?? link.pbId}") no longer exists or is not visible to the sync account`,
      suggestion: `Restore ${link.jiraKey ?? 'the issue'} in Jira, or archive "${pb.pbName ?? link.pbId}" in Productboard if the work was dropped.`,
    });
  }

  for (const skip of desired.skipped) {
    if (skip.reason !== 'unparented') continue;
    const issue = trackedIssue(skip.pbId);
    add({
      kind: 'unparented',
      ...pbOf(skip.pbId, skip.name),
      ...(issue ? issueRef(issue) : {}),
      message: `"${skip.name}" (${skip.pbType}) ${skip.detail.replace(/^no /, 'has no ')}`,
      suggestion: `Give "${skip.name}" its parent in Productboard; until then it stays out of Jira${issue ? ` (${issue.key} is left where it is)` : ''}.`,
    });
  }

  for (const wanted of desired.issues.values()) {
    if (wanted.parentCandidates.length < 2) continue;
    const names = wanted.parentCandidates.map((id) => `"${graph.items.get(id)?.name ?? id}"`);
    const issue = trackedIssue(wanted.pbId);
    const chosen = wanted.parentPbId ? trackedIssue(wanted.parentPbId) : undefined;
    add({
      kind: 'ambiguous-parent',
      ...pbOf(wanted.pbId, wanted.name),
      ...(issue ? issueRef(issue) : {}),
      expectedParent: chosen?.key ?? null,
      actualParent: issue?.parentKey ?? null,
      message: `"${wanted.name}" is linked to ${names.length} parents (${names.join(', ')}); it is placed under ${names[0]}${chosen ? ` (${chosen.key})` : ''}`,
      suggestion: 'Keep a single parent link in Productboard to make the choice explicit.',
    });
  }

  const order = new Map(FINDING_KINDS.map((kind, i) => [kind, i]));
  return findings.sort((a, b) => order.get(a.kind)! - order.get(b.kind)! || (a.pbName ?? '').localeCompare(b.pbName ?? '') || (a.jiraKey ?? '').localeCompare(b.jiraKey ?? ''));
}

/** Stable identity of a finding across runs, for alert de-duplication. */
export const fingerprint = (f: Pick<Finding, 'kind' | 'pbId' | 'jiraId'>): string => `${f.kind}:${f.pbId ?? ''}:${f.jiraId ?? ''}`;
