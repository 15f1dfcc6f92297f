import type { StatusTarget } from '../../model/status.js';
import type { JiraWriter, TransitionOption } from '../../model/ports.js';
import { chooseTransition, type TransitionChoice } from './status-transition.js';

/**
 * The transitions out of the initial status, per issue type, learned once per pass from the first
 * new issue of that type. Every new issue of a type starts in the same status of the same workflow,
 * so the options found on one apply to the others, and a create can then carry its transition
 * (`transition: {id}` in the bulk create) instead of two calls per issue. Ids are still looked up
 * from Jira, never hard-coded; existing issues keep their per-issue lookup.
 */
export class InitialTransitions {
  private readonly learning = new Map<string, Promise<TransitionOption[]>>();
  private readonly known = new Map<string, TransitionOption[]>();

  constructor(private readonly writer: JiraWriter) {}

  /** The choice for a new issue of this type, once learned. */
  choiceFor(issueTypeId: string, target: StatusTarget): TransitionChoice | undefined {
    const options = this.known.get(issueTypeId);
    return options && chooseTransition(options, target);
  }

  /**
   * The id a create of this type can carry: a create cannot fill a transition's screen, so only a
   * transition that needs no field is carried.
   */
  idFor(issueTypeId: string, target: StatusTarget): string | undefined {
    const choice = this.choiceFor(issueTypeId, target);
    return choice?.kind === 'take' && Object.keys(choice.fields).length === 0 ? choice.option.id : undefined;
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
