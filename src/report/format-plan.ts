import type { ActionResult } from '../engine/apply/context.js';
import type { PlannedSync, SyncReport } from '../engine/run-sync.js';
import { fieldDiff, newIssueDiffs, type FieldDiff } from '../model/field-diff.js';
import type { ActionKind, PlanAction } from '../model/plan.js';
import type { DesiredTree, SkipReason } from '../model/desired.js';
import { printableLines } from '../util/untrusted-text.js';
import { fieldLines } from './format-fields.js';
import { notReadLines } from './not-read.js';

// The plan a delivery manager reads before anything changes: a tree grouped by Epic (each root of
// the desired hierarchy), one line per action, unchanged ancestors shown for context, then the
// skips by reason. Under each create and update, one line per field it writes (before → after).
// The same data is available as JSON (`--json`, see plan-json.ts). Every action
// of the plan is printed, whatever the data (an item that names itself as its parent included), and
// every line goes through `printable`: names from Productboard cannot repaint the terminal.

const SYMBOL: Record<ActionKind, string> = { create: '+', adopt: '@', update: '~', move: '>', skip: '!' };

interface Node {
  pbId: string;
  name: string;
  typeLabel: string;
  key: string | null;
  parentPbId: string | null;
  children: Node[];
  actions: PlanAction[];
}

export interface PlanFormat {
  /** Counts only (`--summary`): the header, the counts, skips by reason. */
  summary?: boolean;
}

export function formatPlan(report: PlannedSync, format: PlanFormat = {}): string {
  const { plan, desired, project } = report;
  const lines: string[] = [];
  lines.push(`Plan for Jira project ${project.key} (${modeOf(report)})`);
  lines.push(
    `  ${plan.counts.create} to create, ${plan.counts.update} to update, ${plan.counts.move} to move, ${plan.counts.adopt} to adopt, ${plan.counts.skip} skipped, ${plan.unchanged} unchanged`,
  );
  lines.push(...readLines(report.reads));
  if (format.summary) {
    const notRead = report.graph.rejected.length;
    if (notRead) lines.push('', `Not read from Productboard: ${notRead} (the plan without --summary lists them)`);
    lines.push(...skipReasons(report));
    if (desired.warnings.length) lines.push('', `Warnings: ${desired.warnings.length} (the plan without --summary lists them)`);
    lines.push(...screenWarnings(report));
    lines.push(...leftOut(report, true));
    return printableLines(lines);
  }

  const { nodes, roots, unplaced } = planTree(report);
  const byName = (a: Node, b: Node) => a.name.localeCompare(b.name) || a.pbId.localeCompare(b.pbId);
  for (const n of nodes.values()) n.children.sort(byName);
  const hasWork = (n: Node): boolean => n.actions.length > 0 || n.children.some(hasWork);
  const render = (n: Node, indent: string) => {
    if (!hasWork(n)) return;
    if (n.actions.length === 0) lines.push(`${indent}= ${n.key ?? ''} ${n.typeLabel} "${n.name}" (unchanged)`.replace('=  ', '= '));
    for (const action of n.actions) {
      lines.push(`${indent}${describe(action, n, nodes, desired)}`);
      lines.push(...fieldLines(writes(action, nodes), `${indent}      `));
    }
    for (const child of n.children) render(child, `${indent}    `);
  };

  const additions = plan.additions ?? [];
  if (additions.length) {
    lines.push('', 'Added to the project first (the mapping allows it)');
    for (const a of additions) lines.push(`  + ${a.kind} "${a.name}"`);
  }
  const changedRoots = roots.sort(byName).filter(hasWork);
  if (changedRoots.length === 0 && unplaced.length === 0 && additions.length === 0) {
    lines.push('', 'Nothing to do: Jira already matches Productboard.');
  }
  for (const root of changedRoots) {
    lines.push('', `${root.typeLabel} "${root.name}"${root.key ? ` (${root.key})` : ''}`);
    render(root, '  ');
  }
  if (unplaced.length) {
    lines.push('', 'Not placed in Jira');
    for (const n of unplaced.sort(byName)) render(n, '  ');
  }

  lines.push(...notReadLines(report.graph.rejected));
  lines.push(...skipReasons(report));
  if (desired.warnings.length) {
    lines.push('', `Warnings (${desired.warnings.length})`);
    for (const w of desired.warnings) lines.push(`  - "${w.name}" ${w.pbId}: ${w.message}`);
  }
  lines.push(...screenWarnings(report));
  lines.push(...leftOut(report, false));
  return printableLines(lines);
}

/**
 * Said when a service was read incrementally: a deletion, or a re-link Productboard did not mark
 * as an update, is not in this plan until everything is read again.
 */
function readLines(reads: PlannedSync['reads']): string[] {
  const partial = (['Productboard', 'Jira'] as const).flatMap((service) => {
    const extent = service === 'Productboard' ? reads.productboard : reads.jira;
    return extent?.kind === 'changes' ? [{ service, ...extent }] : [];
  });
  if (!partial.length) return [];
  const since = partial.map((p) => `${p.service} since ${utcMinute(p.since)}`).join(', ');
  const due = partial.map((p) => p.fullReadDue).sort()[0]!;
  return [`  Read only what changed (${since}); everything is read again after ${utcMinute(due)}, or now with --full-read`];
}

const utcMinute = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

function modeOf(report: PlannedSync): string {
  if (report.dryRun)
    return report.approval
      ? `checking the plan saved ${report.approval.createdAt}: nothing will be written`
      : 'dry run: nothing will be written';
  return report.approval ? `applying the plan saved ${report.approval.createdAt}` : 'applying';
}

function skipReasons(report: PlannedSync): string[] {
  const reasons = new Map<SkipReason, number>();
  for (const action of report.plan.actions) if (action.kind === 'skip') reasons.set(action.reason, (reasons.get(action.reason) ?? 0) + 1);
  return reasons.size ? ['', `Skipped: ${[...reasons.entries()].map(([reason, n]) => `${n} ${reason}`).join(', ')}`] : [];
}

/** Fields the creates leave out because their issue type's create screen does not show them. */
const screenWarnings = (report: PlannedSync): string[] =>
  report.warnings.length ? ['', `Left out of creates (${report.warnings.length})`, ...report.warnings.map((w) => `  - ${w}`)] : [];

/** Changes that came up after the approved plan was saved: not reviewed, so not applied now. */
function leftOut(report: PlannedSync, countOnly: boolean): string[] {
  const actions = report.approval?.leftOut ?? [];
  if (!actions.length) return [];
  const lines = ['', `Not in the approved plan, left for the next pass (${actions.length}): changes since it was saved`];
  if (countOnly) return lines;
  for (const a of actions) lines.push(`  ${SYMBOL[a.kind]} ${a.kind} ${'jiraKey' in a ? `${a.jiraKey} ` : ''}"${a.name}"`);
  return lines;
}

/** What an action writes, field by field: a create's fields (and its parent), an update's before → after. */
function writes(action: PlanAction, nodes: ReadonlyMap<string, Node>): FieldDiff[] {
  if (action.kind === 'update') return action.changes.map(fieldDiff);
  if (action.kind !== 'create') return [];
  // The first field is the summary (the issue's name in Jira); the parent follows it. The action's
  // own line names the item already: the summary is shown only when Jira's differs (a template).
  const [summary, ...rest] = newIssueDiffs(action.pbId, action.issue);
  const parent: FieldDiff = {
    field: 'parent',
    type: 'text',
    note: action.parentPbId ? parentOf(action.parentPbId, nodes) : 'none (top level)',
  };
  const sameName = summary?.type === 'value' && summary.to === action.name;
  return summary && !sameName ? [summary, parent, ...rest] : [parent, ...rest];
}

/** A parent as the plan names it: its key (or `new`), type and name. */
const parentOf = (pbId: string, nodes: ReadonlyMap<string, Node>): string => {
  const parent = nodes.get(pbId);
  return parent ? `${parent.key ?? 'new'} ${parent.typeLabel} "${parent.name}"` : pbId;
};

/**
 * The plan as a tree of nodes (every desired issue, skip and action), with the roots that hold
 * changes and the skipped items placed nowhere.
 */
function planTree(report: PlannedSync): { nodes: Map<string, Node>; roots: Node[]; unplaced: Node[] } {
  const { plan, desired } = report;
  const nodes = new Map<string, Node>();
  const node = (pbId: string, name: string, typeLabel: string, parentPbId: string | null): Node => {
    let existing = nodes.get(pbId);
    if (!existing) {
      existing = { pbId, name, typeLabel, key: plan.existing.get(pbId)?.jiraKey ?? null, parentPbId, children: [], actions: [] };
      nodes.set(pbId, existing);
    }
    return existing;
  };
  for (const issue of desired.issues.values()) node(issue.pbId, issue.name, issue.issueTypeName, issue.parentPbId);
  for (const skip of desired.skipped) node(skip.pbId, skip.name, skip.pbType, skip.parentPbId);
  for (const action of plan.actions) node(action.pbId, action.name, action.pbType, action.parentPbId).actions.push(action);

  const parentOf = (n: Node): Node | undefined => (n.parentPbId ? nodes.get(n.parentPbId) : undefined);
  // A parent chain that comes back to the node would hide the whole cycle from the tree: such a
  // node is shown at the top instead.
  const inCycle = (n: Node): boolean => {
    const seen = new Set<Node>();
    for (let p = parentOf(n); p && !seen.has(p); p = parentOf(p)) {
      if (p === n) return true;
      seen.add(p);
    }
    return false;
  };
  const roots: Node[] = [];
  const unplaced: Node[] = [];
  for (const n of nodes.values()) {
    const parent = inCycle(n) ? undefined : parentOf(n);
    if (parent) parent.children.push(n);
    else if (n.actions.some((a) => a.kind === 'skip') && !desired.issues.has(n.pbId)) unplaced.push(n);
    else roots.push(n);
  }
  return { nodes, roots, unplaced };
}

/** Why the parent of a new or moved issue was chosen among several (README "Rules worth knowing"). */
const choice = (action: PlanAction, desired: DesiredTree, separator: string): string => {
  const note = desired.issues.get(action.pbId)?.parentNote;
  return note ? `${separator}${note}` : '';
};

function describe(action: PlanAction, n: Node, nodes: ReadonlyMap<string, Node>, desired: DesiredTree): string {
  const symbol = SYMBOL[action.kind];
  switch (action.kind) {
    case 'create':
      return `${symbol} create ${action.issueTypeName} "${action.name}"${createdAs(action, desired)}${choice(action, desired, ': ')}`;
    case 'adopt':
      return `${symbol} adopt  ${action.jiraKey} "${action.name}": ${action.reason}`;
    case 'update':
      return `${symbol} update ${action.jiraKey} "${action.name}"`;
    case 'move': {
      const to = n.parentPbId && nodes.has(n.parentPbId) ? parentOf(n.parentPbId, nodes) : 'no parent';
      return `${symbol} move   ${action.jiraKey} "${action.name}": from ${action.fromParentKey ?? 'no parent'} to ${to}${choice(action, desired, '; ')}`;
    }
    case 'skip':
      return `${symbol} skip   ${n.typeLabel} "${action.name}": ${action.reason}: ${action.detail}`;
  }
}

export function formatResults(report: SyncReport, format: PlanFormat = {}): string {
  const { apply } = report;
  const lines = [
    '',
    `Applied ${apply.applied}, failed ${apply.failed}, pending ${apply.pending}${apply.skipped ? `, skipped ${apply.skipped}` : ''}.`,
  ];
  // With --summary, only what did not go through (what a person may have to act on).
  const interesting = apply.results.filter((r) => r.outcome !== 'applied' || (r.note && !format.summary));
  for (const r of interesting)
    lines.push(
      `  ${r.outcome.padEnd(7)} ${r.kind} ${r.jiraKey ?? ''} ${nameOf(report, r)}: ${r.error ?? r.note ?? ''}`.replace(/ {2,}/g, ' '),
    );
  return printableLines(lines);
}

const nameOf = (report: SyncReport, r: ActionResult): string => `"${report.desired.issues.get(r.pbId)?.name ?? r.pbId}"`;

/** The value stream a create belongs to (mapping version 2); the fields it writes have their own lines. */
function createdAs(action: PlanAction, desired: DesiredTree): string {
  const stream = desired.issues.get(action.pbId)?.valueStream;
  return stream ? ` (value stream ${JSON.stringify(stream)})` : '';
}
