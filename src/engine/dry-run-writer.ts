import type { StatusCategory } from '../model/status.js';
import type { CreateOutcome, IssueDraft, IssueEdit, JiraWriter, TransitionOption, TransitionOutcome } from '../model/ports.js';

/**
 * The writer of a dry run: it sends nothing and invents placeholder ids, so the applier runs the
 * very same code path (ordering, batching, parent resolution) and the plan shown is the plan that
 * would run (architecture principle 8: the writer is swapped, no `if (dryRun)` at write sites).
 */
export class DryRunWriter implements JiraWriter {
  private next = 1;
  readonly wouldSend: string[] = [];

  async bulkCreate(drafts: readonly IssueDraft[]): Promise<CreateOutcome[]> {
    this.wouldSend.push(`POST /rest/api/3/issue/bulk (${drafts.length})`);
    return drafts.map((draft) => {
      const n = this.next++;
      return { pbId: draft.pbId, ok: true, jiraId: `dry-run-${n}`, jiraKey: `(new #${n})` };
    });
  }

  async edit(edit: IssueEdit): Promise<void> {
    this.wouldSend.push(`PUT /rest/api/3/issue/${edit.jiraKey}`);
  }

  async transition(jiraId: string, category: StatusCategory): Promise<TransitionOutcome> {
    this.wouldSend.push(`POST /rest/api/3/issue/${jiraId}/transitions (${category})`);
    return 'transitioned';
  }

  async transitionOptions(): Promise<TransitionOption[]> {
    return (['new', 'indeterminate', 'done'] as const).map((category) => ({ id: `dry-run-${category}`, category }));
  }

  async doTransition(jiraId: string, transitionId: string): Promise<void> {
    this.wouldSend.push(`POST /rest/api/3/issue/${jiraId}/transitions (${transitionId})`);
  }

  async upsertRemoteLink(jiraId: string): Promise<void> {
    this.wouldSend.push(`POST /rest/api/3/issue/${jiraId}/remotelink`);
  }
}
