import type { StatusCategory } from '../../model/status.js';
import type { JiraWriter, TransitionOption } from '../../model/ports.js';

/**
 * The transitions out of the initial status, per issue type, learned once per pass from the first
 * new issue of that type. Every new issue of a type starts in the same status of the same workflow,
 * so the ids found on one apply to the others, and a create can then carry its transition
 * (`transition: {id}` in the bulk create) instead of two calls per issue. Ids are still looked up
 * from Jira, never hard-coded; existing issues keep their per-issue lookup.
 */
export class InitialTransitions {
  private readonly learning = new Map<string, Promise<TransitionOption[]>>();
  private readonly known = new Map<string, TransitionOption[]>();

  constructor(private readonly writer: JiraWriter) {}

  /** The id of the transition to `category` for a new issue of this type, once learned. */
  idFor(issueTypeId: string, category: StatusCategory): string | undefined {
    return this.known.get(issueTypeId)?.find((o) => o.category === category)?.id;
  }

  /** Learns from `jiraId`, a new issue of this type still in its initial status (once per type). */
  learnFrom(issueTypeId: string, jiraId: string): Promise<TransitionOption[]> {
    let pending = this.learning.get(issueTypeId);
    if (!pending) {
      pending = this.writer.transitionOptions(jiraId).then((options) => {
        this.known.set(issueTypeId, options);
        return options;
      });
      // A failed lookup is not cached: the next issue of the type tries again.
      pending.catch(() => this.learning.delete(issueTypeId));
      this.learning.set(issueTypeId, pending);
    }
    return pending;
  }
}
