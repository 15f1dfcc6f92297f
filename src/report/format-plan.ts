import type { ActionResult } from '../engine/apply/context.js';
import type { SyncReport } from '../engine/run-sync.js';
import type { ActionKind, PlanAction } from '../model/plan.js';
import type { SkipReason } from '../model/desired.js';
import { notReadLines } from './not-read.js';

// The plan a delivery manager reads before anything changes: a tree grouped by Epic (each root of
// the desired hierarchy), one line per action, unchanged ancestors shown for context, then the
// skips by reason. The same data is available as JSON (`--json`, see plan-json.ts).

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

  const roots: Node[] = [];
  const unplaced: Node[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentPbId ? nodes.get(n.parentPbId) : undefined;
    if (parent) parent.children.push(n);
    else if (n.actions.some((a) => a.kind === 'skip') && !desired.issues.has(n.pbId)) unplaced.push(n);
    else roots.push(n);
  }
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
    for (const action of n.actions) lines.push(`${indent}${describe(action, n, nodes)}`);
    for (const child of n.children) render(child, `${indent}    `);
  };

  const changedRoots = roots.sort(byName).filter(hasWork);
  if (changedRoots.length === 0 && unplaced.length === 0) {
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
  return lines.join('\n');
}

function describe(action: PlanAction, n: Node, nodes: ReadonlyMap<string, Node>): string {
  const symbol = SYMBOL[action.kind];
  switch (action.kind) {
    case 'create':
      return `${symbol} create ${action.issueTypeName} "${action.name}"`;
    case 'adopt':
      return `${symbol} adopt  ${action.jiraKey} "${action.name}": ${action.reason}`;
    case 'update':
      return `${symbol} update ${action.jiraKey} "${action.name}": ${action.changes.map((c) => (c.field === 'status' ? `status → ${c.to}` : c.field)).join(', ')}`;
    case 'move': {
      const parent = n.parentPbId ? nodes.get(n.parentPbId) : undefined;
      const to = parent ? `${parent.key ?? 'new'} ${parent.typeLabel} "${parent.name}"` : 'no parent';
      return `${symbol} move   ${action.jiraKey} "${action.name}": from ${action.fromParentKey ?? 'no parent'} to ${to}`;
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
  return lines.join('\n');
}

const nameOf = (report: SyncReport, r: ActionResult): string => `"${report.desired.issues.get(r.pbId)?.name ?? r.pbId}"`;
