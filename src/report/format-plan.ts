import type { ActionResult } from '../engine/apply/context.js';
import type { SyncReport } from '../engine/run-sync.js';
import type { ActionKind, FieldChange, PlanAction } from '../model/plan.js';
import type { MappedValue } from '../model/field-value.js';
import type { DesiredTree, SkipReason } from '../model/desired.js';
import { printableLines } from '../util/untrusted-text.js';
import { notReadLines } from './not-read.js';

// The plan a delivery manager reads before anything changes: a tree grouped by Epic (each root of
// the desired hierarchy), one line per action, unchanged ancestors shown for context, then the
// skips by reason. The same data is available as JSON (`--json`, see plan-json.ts). Every action
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

export function formatPlan(report: SyncReport): string {
  const { plan, desired, project } = report;
  const { nodes, roots, unplaced } = planTree(report);
  const byName = (a: Node, b: Node) => a.name.localeCompare(b.name) || a.pbId.localeCompare(b.pbId);
  for (const n of nodes.values()) n.children.sort(byName);

  const lines: string[] = [];
  const mode = report.dryRun ? 'dry run: nothing will be written' : 'applying';
  lines.push(`Plan for Jira project ${project.key} (${mode})`);
  lines.push(
    `  ${plan.counts.create} to create, ${plan.counts.update} to update, ${plan.counts.move} to move, ${plan.counts.adopt} to adopt, ${plan.counts.skip} skipped, ${plan.unchanged} unchanged`,
  );

  const hasWork = (n: Node): boolean => n.actions.length > 0 || n.children.some(hasWork);
  const render = (n: Node, indent: string) => {
    if (!hasWork(n)) return;
    if (n.actions.length === 0) lines.push(`${indent}= ${n.key ?? ''} ${n.typeLabel} "${n.name}" (unchanged)`.replace('=  ', '= '));
    for (const action of n.actions) lines.push(`${indent}${describe(action, n, nodes, desired)}`);
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

  const reasons = new Map<SkipReason, number>();
  for (const action of plan.actions) if (action.kind === 'skip') reasons.set(action.reason, (reasons.get(action.reason) ?? 0) + 1);
  if (reasons.size) {
    lines.push('', `Skipped: ${[...reasons.entries()].map(([reason, n]) => `${n} ${reason}`).join(', ')}`);
  }
  if (desired.warnings.length) {
    lines.push('', `Warnings (${desired.warnings.length})`);
    for (const w of desired.warnings) lines.push(`  - "${w.name}" ${w.pbId}: ${w.message}`);
  }
  return printableLines(lines);
}

/**
 * The plan as a tree of nodes (every desired issue, skip and action), with the roots that hold
 * changes and the skipped items placed nowhere.
 */
function planTree(report: SyncReport): { nodes: Map<string, Node>; roots: Node[]; unplaced: Node[] } {
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
      return `${symbol} update ${action.jiraKey} "${action.name}": ${action.changes.map(changeText).join(', ')}`;
    case 'move': {
      const parent = n.parentPbId ? nodes.get(n.parentPbId) : undefined;
      const to = parent ? `${parent.key ?? 'new'} ${parent.typeLabel} "${parent.name}"` : 'no parent';
      return `${symbol} move   ${action.jiraKey} "${action.name}": from ${action.fromParentKey ?? 'no parent'} to ${to}${choice(action, desired, '; ')}`;
    }
    case 'skip':
      return `${symbol} skip   ${n.typeLabel} "${action.name}": ${action.reason}: ${action.detail}`;
  }
}

export function formatResults(report: SyncReport): string {
  const { apply } = report;
  const lines = [
    '',
    `Applied ${apply.applied}, failed ${apply.failed}, pending ${apply.pending}${apply.skipped ? `, skipped ${apply.skipped}` : ''}.`,
  ];
  const interesting = apply.results.filter((r) => r.outcome !== 'applied' || r.note);
  for (const r of interesting)
    lines.push(
      `  ${r.outcome.padEnd(7)} ${r.kind} ${r.jiraKey ?? ''} ${nameOf(report, r)}: ${r.error ?? r.note ?? ''}`.replace(/ {2,}/g, ' '),
    );
  return printableLines(lines);
}

const nameOf = (report: SyncReport, r: ActionResult): string => `"${report.desired.issues.get(r.pbId)?.name ?? r.pbId}"`;

/** One change as the plan names it: the status it goes to, a mapped field with its old and new value, else the field. */
function changeText(change: FieldChange): string {
  if (change.field === 'status') return `status → ${change.to}`;
  if (change.field === 'jiraField') return `${change.name} ${valueText(change.from)} → ${valueText(change.to)}`;
  return change.field;
}

const valueText = (value: MappedValue): string =>
  value === null ? '(empty)' : Array.isArray(value) ? `[${value.join(', ')}]` : JSON.stringify(value);

/** What a create writes beyond the name: the summary when a template makes it, the mapped fields, the value stream. */
function createdAs(action: PlanAction, desired: DesiredTree): string {
  const issue = desired.issues.get(action.pbId);
  if (!issue) return '';
  const parts: string[] = [];
  if (issue.fields.summary !== issue.name) parts.push(`summary ${JSON.stringify(issue.fields.summary)}`);
  for (const m of issue.fields.mapped ?? []) if (m.value !== null) parts.push(`${m.name} ${valueText(m.value)}`);
  if (issue.valueStream) parts.push(`value stream ${JSON.stringify(issue.valueStream)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
