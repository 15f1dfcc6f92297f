import type { DesiredIssue, DesiredSkip, DesiredTree } from '../model/desired.js';
import { FINDING_KINDS, type Finding, type ParentFix } from '../model/finding.js';
import type { Link } from '../model/link.js';
import type { ObservedIssue, ObservedTree } from '../model/observed.js';
import type { SourceGraph, SourceItem } from '../model/source.js';
import { webUrl } from '../util/untrusted-text.js';

// The reconciler compares the Jira tree with the tree the mapping derives from Productboard and
// reports drift. It is pure and read-only: it never deletes or closes anything; `--fix` only moves
// issues whose correct parent is known (the findings that carry a `fix`).

export interface ReconcileInput {
  graph: SourceGraph;
  desired: DesiredTree;
  links: ReadonlyMap<string, Link>;
  observed: ObservedTree;
  /** e.g. https://acme.atlassian.net, for issue links. */
  jiraBaseUrl: string;
  /** Issues of the project, managed or not, at a level the mapping's hierarchy policy requires a parent for, that have none. */
  withoutParent?: readonly ObservedIssue[];
  /** The mapping's value streams, when it requires every item of these rules to have one (null: every rule). */
  streamsRequired?: { rules: ReadonlySet<string> | null } | null;
}

const withArticle = (word: string): string => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;

/** A parent fits when it sits one level up (a sub-task's parent is a standard issue). */
export const levelFits = (childLevel: number, parentLevel: number): boolean => parentLevel === (childLevel === -1 ? 0 : childLevel + 1);

/** What every finding check can ask: the input plus a few lookups derived from it once. */
class Context {
  readonly linkedByJiraId: ReadonlyMap<string, Link>;

  constructor(readonly input: ReconcileInput) {
    this.linkedByJiraId = new Map([...input.links.values()].flatMap((l) => (l.jiraId ? [[l.jiraId, l] as const] : [])));
  }

  browse(key: string): string {
    return `${this.input.jiraBaseUrl}/browse/${key}`;
  }

  pb(pbId: string, fallbackName: string | null) {
    const item = this.input.graph.items.get(pbId);
    // Findings link to the item in Slack and in --json: only a web URL is a link (as in Jira).
    return { pbId, pbName: item?.name ?? fallbackName, pbUrl: webUrl(item?.url) };
  }

  issue(issue: ObservedIssue) {
    return { jiraId: issue.id, jiraKey: issue.key, jiraUrl: this.browse(issue.key) };
  }

  /** The issue the sync tracks for an item: its ledger link, else the oldest stamped issue. */
  tracked(pbId: string): ObservedIssue | undefined {
    const { links, observed } = this.input;
    const link = links.get(pbId);
    if (link?.jiraId && observed.byId.has(link.jiraId)) return observed.byId.get(link.jiraId);
    return observed.byPbId.get(pbId)?.[0];
  }
}

const NO_PARENTS = { expectedParent: null, actualParent: null, fix: null };
const NO_ISSUE = { jiraId: null, jiraKey: null, jiraUrl: null };

export function reconcile(input: ReconcileInput): Finding[] {
  const ctx = new Context(input);
  const findings: Finding[] = [
    ...[...input.observed.byId.values()].flatMap((issue) => issueFindings(ctx, issue)),
    ...[...input.links.values()].flatMap((link) => missingInJira(ctx, link)),
    ...input.desired.skipped.flatMap((skip) => unparented(ctx, skip)),
    ...[...input.desired.issues.values()].flatMap((wanted) => ambiguousParent(ctx, wanted)),
    ...(input.withoutParent ?? []).flatMap((issue) => unparentedInJira(ctx, issue)),
    ...[...input.desired.issues.values()].flatMap((wanted) => noValueStream(ctx, wanted)),
  ];
  const order = new Map(FINDING_KINDS.map((kind, i) => [kind, i]));
  return findings.sort(
    (a, b) =>
      order.get(a.kind)! - order.get(b.kind)! ||
      (a.pbName ?? '').localeCompare(b.pbName ?? '') ||
      (a.jiraKey ?? '').localeCompare(b.jiraKey ?? ''),
  );
}

/** The findings about one managed issue, from the most to the least fundamental. */
function issueFindings(ctx: Context, issue: ObservedIssue): Finding[] {
  const pbId = issue.pbId ?? ctx.linkedByJiraId.get(issue.id)?.pbId ?? null;
  if (!pbId) return [];
  const untrackedFinding = untracked(ctx, issue, pbId);
  // A duplicate is only reported as such: its twin carries the other findings.
  if (untrackedFinding?.duplicate) return [untrackedFinding.finding];
  const item = ctx.input.graph.items.get(pbId);
  const rest = !item || item.archived ? orphaned(ctx, issue, pbId, item) : placement(ctx, issue, item);
  return [...(untrackedFinding ? [untrackedFinding.finding] : []), ...rest];
}

function untracked(ctx: Context, issue: ObservedIssue, pbId: string): { finding: Finding; duplicate: boolean } | null {
  const { links, observed } = ctx.input;
  const link = links.get(pbId);
  if (link?.jiraId === issue.id) return null;
  const tracked = link?.jiraId ? observed.byId.get(link.jiraId) : undefined;
  const oldest = observed.byPbId.get(pbId)?.[0];
  const duplicateOf = tracked ?? (oldest?.id !== issue.id ? oldest : undefined);
  const pb = ctx.pb(pbId, issue.summary);
  const finding: Finding = {
    kind: 'untracked',
    ...pb,
    ...ctx.issue(issue),
    ...NO_PARENTS,
    message: duplicateOf
      ? `${issue.key} is a duplicate of ${duplicateOf.key}: both carry the stamp of "${pb.pbName}"`
      : `${issue.key} carries the stamp of "${pb.pbName}" but the ledger does not know it`,
    suggestion: duplicateOf
      ? `Delete ${issue.key} (or remove its pb-${pbId} label) and keep ${duplicateOf.key}.`
      : 'Run `pb-jira-sync sync` to adopt it (the ledger was lost, or belongs to another installation).',
  };
  return { finding, duplicate: Boolean(duplicateOf) };
}

/** The Productboard item is gone or archived while its issue is still open. */
function orphaned(ctx: Context, issue: ObservedIssue, pbId: string, item: SourceItem | undefined): Finding[] {
  if (issue.statusCategory === 'done') return [];
  const pb = ctx.pb(pbId, issue.summary);
  return [
    {
      kind: 'orphaned',
      ...pb,
      ...ctx.issue(issue),
      ...NO_PARENTS,
      message: `"${pb.pbName}" was ${item ? 'archived' : 'deleted'} in Productboard, but ${issue.key} is still open`,
      suggestion: `Close ${issue.key} in Jira if the work is dropped, or restore the item in Productboard (pb-jira-sync never closes issues itself).`,
    },
  ];
}

/** Is the issue of the type and under the parent the mapping derives? */
function placement(ctx: Context, issue: ObservedIssue, item: SourceItem): Finding[] {
  const wanted = ctx.input.desired.issues.get(item.id);
  if (!wanted) return []; // not placeable (unparented, parent not synced): reported from the skips
  if (issue.issueTypeId !== wanted.issueTypeId) return [wrongType(ctx, issue, item, wanted)];
  const expected = wanted.parentPbId ? ctx.tracked(wanted.parentPbId) : null;
  if (wanted.parentPbId && !expected) return []; // the parent is not in Jira yet: the next sync creates it
  if (issue.parentId === (expected?.id ?? null)) return [];
  return [parentDrift(ctx, issue, item, wanted, expected ?? null)];
}

function wrongType(ctx: Context, issue: ObservedIssue, item: SourceItem, wanted: DesiredIssue): Finding {
  return {
    kind: 'wrong-level',
    ...ctx.pb(item.id, issue.summary),
    ...ctx.issue(issue),
    ...NO_PARENTS,
    message: `${issue.key} is ${withArticle(issue.issueTypeName || 'different issue type')}, but the mapping makes "${item.name}" ${withArticle(wanted.issueTypeName)}`,
    suggestion: `Change the issue type of ${issue.key} to ${wanted.issueTypeName} in Jira, or change the mapping.`,
  };
}

/** The issue sits under another parent than the mapping's: a hierarchy violation, or a plain move. */
function parentDrift(ctx: Context, issue: ObservedIssue, item: SourceItem, wanted: DesiredIssue, expected: ObservedIssue | null): Finding {
  const fix: ParentFix = {
    parent: expected && wanted.parentPbId ? { pbId: wanted.parentPbId, jiraId: expected.id, jiraKey: expected.key } : null,
  };
  const common = {
    ...ctx.pb(item.id, issue.summary),
    ...ctx.issue(issue),
    expectedParent: expected?.key ?? null,
    actualParent: issue.parentKey,
    fix,
  };
  const move = expected ? `move it back under ${expected.key}` : 'remove its parent';
  if (!wanted.parentPbId || !expected) {
    return {
      kind: 'wrong-level',
      ...common,
      message: `${issue.key} (${issue.issueTypeName}) has the parent ${issue.parentKey}, but the mapping makes it a top-level issue`,
      suggestion: `Run \`pb-jira-sync reconcile --fix\` to ${move}.`,
    };
  }
  if (issue.parentLevel !== null && !levelFits(issue.level, issue.parentLevel)) {
    return {
      kind: 'wrong-level',
      ...common,
      message: `${issue.key} (${issue.issueTypeName}) sits under ${issue.parentKey} (${issue.parentTypeName ?? `level ${issue.parentLevel}`}): ${withArticle(issue.issueTypeName)} belongs under ${withArticle(expected.issueTypeName)}`,
      suggestion: `Run \`pb-jira-sync reconcile --fix\` to ${move}.`,
    };
  }
  const parentName = ctx.input.desired.issues.get(wanted.parentPbId)?.name ?? '';
  return {
    kind: 'mis-parented',
    ...common,
    message: `${issue.key} is under ${issue.parentKey ?? 'no parent'}, but Productboard places it under ${expected.key} ("${parentName}")`,
    suggestion: `Run \`pb-jira-sync reconcile --fix\` to ${move}, or change the link in Productboard.`,
  };
}

/** A ledger link whose issue Jira no longer shows. */
function missingInJira(ctx: Context, link: Link): Finding[] {
  if (!link.jiraId || ctx.input.observed.byId.has(link.jiraId)) return [];
  const pb = ctx.pb(link.pbId, null);
  return [
    {
      kind: 'missing-in-jira',
      ...pb,
      jiraId: link.jiraId,
      jiraKey: link.jiraKey,
      jiraUrl: link.jiraKey ? ctx.browse(link.jiraKey) : null,
      ...NO_PARENTS,
      message: `${link.jiraKey ?? link.jiraId} (linked to "${pb.pbName ?? link.pbId}") no longer exists or is not visible to the sync account`,
      suggestion: `Restore ${link.jiraKey ?? 'the issue'} in Jira, or archive "${pb.pbName ?? link.pbId}" in Productboard if the work was dropped.`,
    },
  ];
}

/** An item the mapping needs a parent for has none. */
function unparented(ctx: Context, skip: DesiredSkip): Finding[] {
  if (skip.reason !== 'unparented') return [];
  const issue = ctx.tracked(skip.pbId);
  return [
    {
      kind: 'unparented',
      ...ctx.pb(skip.pbId, skip.name),
      ...(issue ? ctx.issue(issue) : NO_ISSUE),
      ...NO_PARENTS,
      message: `"${skip.name}" (${skip.pbType}) ${skip.detail.replace(/^no /, 'has no ')}`,
      suggestion: `Give "${skip.name}" its parent in Productboard; until then it stays out of Jira${issue ? ` (${issue.key} is left where it is)` : ''}.`,
    },
  ];
}

/** An item linked to several parents: the one chosen is named. */
function ambiguousParent(ctx: Context, wanted: DesiredIssue): Finding[] {
  if (wanted.parentCandidates.length < 2) return [];
  const names = wanted.parentCandidates.map((id) => `"${ctx.input.graph.items.get(id)?.name ?? id}"`);
  const issue = ctx.tracked(wanted.pbId);
  const chosen = wanted.parentPbId ? ctx.tracked(wanted.parentPbId) : undefined;
  return [
    {
      kind: 'ambiguous-parent',
      ...ctx.pb(wanted.pbId, wanted.name),
      ...(issue ? ctx.issue(issue) : NO_ISSUE),
      expectedParent: chosen?.key ?? null,
      actualParent: issue?.parentKey ?? null,
      fix: null,
      message: `"${wanted.name}" is linked to ${names.length} parents (${names.join(', ')}); it is placed under ${names[0]}${chosen ? ` (${chosen.key})` : ''}`,
      suggestion: 'Keep a single parent link in Productboard to make the choice explicit.',
    },
  ];
}

/**
 * An issue of a level the project-wide policy requires a parent for, without one: created by hand
 * or by the sync (an item placed without a parent). Reported, never changed: it may not be ours.
 * A managed issue the mapping wants under a parent is reported as mis-parented instead.
 */
function unparentedInJira(ctx: Context, issue: ObservedIssue): Finding[] {
  const wanted = issue.pbId ? ctx.input.desired.issues.get(issue.pbId) : undefined;
  if (wanted?.parentPbId) return [];
  const type = issue.issueTypeName || 'issue';
  return [
    {
      kind: 'unparented-in-jira',
      ...(issue.pbId ? ctx.pb(issue.pbId, issue.summary) : { pbId: null, pbName: null, pbUrl: null }),
      ...ctx.issue(issue),
      ...NO_PARENTS,
      message: `${issue.key} (${type}, level ${issue.level}) has no parent: the mapping's hierarchy policy requires one at this level`,
      suggestion: `Give ${issue.key} its parent in Jira (or close it if the work is dropped); pb-jira-sync reports it and never changes it.`,
    },
  ];
}

/** An item the mapping requires a value stream for has none (no `vs:` tag, no stream field, nothing to inherit). */
function noValueStream(ctx: Context, wanted: DesiredIssue): Finding[] {
  const required = ctx.input.streamsRequired;
  if (!required || wanted.valueStream !== null || (required.rules && !required.rules.has(wanted.pbType))) return [];
  const issue = ctx.tracked(wanted.pbId);
  return [
    {
      kind: 'no-value-stream',
      ...ctx.pb(wanted.pbId, wanted.name),
      ...(issue ? ctx.issue(issue) : NO_ISSUE),
      ...NO_PARENTS,
      message: `"${wanted.name}" (${wanted.pbType}) belongs to no value stream`,
      suggestion: `Tag "${wanted.name}" with its value stream in Productboard (or set the field the mapping reads it from).`,
    },
  ];
}
