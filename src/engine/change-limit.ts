import { SyncError } from '../errors.js';
import type { Alert, ChangeRefusal } from '../model/alert.js';
import type { DesiredTree } from '../model/desired.js';
import type { Plan } from '../model/plan.js';
import type { Pass } from './pass.js';

/** How many of the refused changes an alert and the error name. */
const SAMPLE = 10;

/**
 * The mass-change guard: one bad mapping edit (a summary prefix, a status map, a parent rule) must
 * not rewrite a whole Jira project. A pass whose plan writes more issues than the limit is refused
 * before its first write. Adoptions do not count: they only record issues that already carry our
 * stamp (after a lost ledger, all of them), and change none.
 */
export function changeRefusal(plan: Plan, desired: DesiredTree, limit: number | null, command: string): ChangeRefusal | null {
  if (limit === null) return null;
  const writes = plan.actions.filter((a) => a.kind === 'create' || a.kind === 'update' || a.kind === 'move');
  const issues = new Set(writes.map((a) => a.pbId)).size;
  if (issues <= limit) return null;
  return {
    command,
    limit,
    issues,
    counts: { create: plan.counts.create, update: plan.counts.update, move: plan.counts.move },
    sample: writes.slice(0, SAMPLE).map((a) => ({
      kind: a.kind as 'create' | 'update' | 'move',
      name: a.name,
      jiraKey: a.kind === 'create' ? null : a.jiraKey,
      pbUrl: desired.issues.get(a.pbId)?.pbUrl ?? null,
      what: a.kind === 'update' ? a.changes.map((c) => c.field).join(', ') : a.kind === 'create' ? 'new issue' : 'new parent',
    })),
  };
}

/** The refusal as an error: the pass ends before any write, exit 1. */
export class TooManyChanges extends SyncError {
  constructor(readonly refusal: ChangeRefusal) {
    const { issues, limit, counts } = refusal;
    super(
      'too-many-changes',
      `the plan would write ${issues} issues (${counts.create} to create, ${counts.update} to update, ${counts.move} to move), more than the limit of ${limit}; nothing was written. Review it with \`sync --dry-run\`; if it is intended, run \`sync --max-changes ${issues}\``,
      { details: refusal.sample.map((s) => `${s.kind} ${s.jiraKey ? `${s.jiraKey} ` : ''}"${s.name}": ${s.what}`) },
    );
  }
}

export const refusalAlert = (project: string, refusal: ChangeRefusal): Alert => ({ kind: 'too-many-changes', project, refusal });

/** Tells people a pass was refused; an undeliverable alert is logged, never a second failure. */
export async function alertRefusal(pass: Pass, refusal: ChangeRefusal): Promise<void> {
  const notifier = pass.writers.notifier;
  if (notifier.unavailable) return;
  const outcome = await notifier.notify(refusalAlert(pass.config.jira.project, refusal));
  if (outcome.status === 'failed') pass.logger.warn({ error: outcome.error }, 'too-many-changes alert not delivered');
}
