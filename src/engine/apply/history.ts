import { fieldDiff, newIssueDiffs, type FieldDiff } from '../../model/field-diff.js';
import type { HistoryEntry } from '../../model/history.js';
import type { Plan, PlanAction } from '../../model/plan.js';
import type { ActionResult, ApplyPorts, ApplyState } from './context.js';

/**
 * The history of an apply: every action that was applied or failed, with each field before →
 * after, recorded through the link writer in one batch per call (one per level, and the rest at
 * the end), never one commit per item. A dry run's link writer only remembers.
 */
export class HistoryJournal {
  private readonly actions = new Map<string, PlanAction>();
  private recorded = 0;

  constructor(
    plan: Plan,
    private readonly state: ApplyState,
    private readonly ports: ApplyPorts,
  ) {
    for (const action of plan.actions) if (action.kind !== 'skip') this.actions.set(keyOf(action.pbId, action.kind), action);
  }

  /** Records the results reported since the last call. */
  flush(): void {
    const results = this.state.results.slice(this.recorded);
    this.recorded += results.length;
    const entries = results.flatMap((result) => {
      const action = this.actions.get(keyOf(result.pbId, result.kind));
      return action && action.kind !== 'skip' && (result.outcome === 'applied' || result.outcome === 'failed')
        ? [this.entry(action, result, result.outcome)]
        : [];
    });
    if (entries.length) this.ports.links.recordHistory(entries, this.ports.clock.now());
  }

  private entry(action: Exclude<PlanAction, { kind: 'skip' }>, result: ActionResult, outcome: HistoryEntry['outcome']): HistoryEntry {
    return {
      runId: this.ports.runId,
      action: action.kind,
      outcome,
      pbId: action.pbId,
      pbType: action.pbType,
      name: action.name,
      jiraKey: result.jiraKey ?? this.state.issueOf(action.pbId)?.jiraKey ?? null,
      changes: this.changes(action),
      detail: result.error ?? result.note ?? null,
    };
  }

  private changes(action: Exclude<PlanAction, { kind: 'skip' }>): FieldDiff[] {
    const parentKey = action.parentPbId ? (this.state.issueOf(action.parentPbId)?.jiraKey ?? null) : null;
    switch (action.kind) {
      case 'create':
        return [
          { field: 'issueType', type: 'value', from: null, to: action.issueTypeName },
          ...(action.parentPbId ? [{ field: 'parent', type: 'value', from: null, to: parentKey } as const] : []),
          ...newIssueDiffs(action.pbId, action.issue),
        ];
      case 'update':
        return action.changes.map(fieldDiff);
      case 'move':
        return [{ field: 'parent', type: 'value', from: action.fromParentKey, to: parentKey }];
      case 'adopt':
        return [];
    }
  }
}

const keyOf = (pbId: string, kind: string): string => `${kind}\u0000${pbId}`;
