import { isSyncError } from '../../errors.js';
import type { JiraFieldValue } from '../../model/field-value.js';
import type { JiraWriter, ScreenField, TransitionOption } from '../../model/ports.js';
import type { StatusCategory, StatusTarget } from '../../model/status.js';

// Which transition takes an issue to the status a Productboard status asks for. Workflows offer
// several ways into one category (Done and Won't Do are both done), only from some statuses, and
// some through a screen that asks for fields (docs/vendor-notes.md §5). The choice is made here,
// from what Jira offers the issue now; the connector only lists the options and takes one.

/** The names Jira's own workflows give each category's plain status: the choice when none is named like the Productboard status. */
const PLAIN_NAMES: Record<StatusCategory, readonly string[]> = {
  new: ['to do', 'open', 'backlog'],
  indeterminate: ['in progress'],
  done: ['done', 'closed', 'resolved'],
};

export type TransitionChoice =
  /** Take `option`, filling its screen with `fields`. */
  | { kind: 'take'; option: TransitionOption; fields: Record<string, JiraFieldValue> }
  /** The best transition asks for fields we cannot fill: a person sets the status. */
  | { kind: 'needs-fields'; option: TransitionOption; missing: readonly ScreenField[] }
  | { kind: 'none'; reason: string };

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The transition to take: to a status of the wanted category, never to one named like another
 * Productboard status of that category; first one named like the Productboard status, then the
 * category's plain status (Done before Won't Do), then any; among equals, one whose screen we can
 * fill, then one without a screen.
 */
export function chooseTransition(options: readonly TransitionOption[], target: StatusTarget): TransitionChoice {
  const toCategory = options.filter((o) => o.category === target.category);
  const fitting = toCategory.filter((o) => same(o.toStatus, target.pbStatus) || !target.otherNames.some((n) => same(n, o.toStatus)));
  if (!fitting.length) {
    const led = [...new Set(toCategory.map((o) => `"${o.toStatus}"`))].join(', ');
    return {
      kind: 'none',
      reason: toCategory.length
        ? `no transition from its current status leads to a ${target.category} status that stands for "${target.pbStatus}" (only to ${led}, named like other Productboard statuses)`
        : `no transition to a "${target.category}" status is available from its current status`,
    };
  }
  const rank = (o: TransitionOption): number =>
    same(o.toStatus, target.pbStatus) ? 0 : PLAIN_NAMES[target.category].includes(o.toStatus.trim().toLowerCase()) ? 1 : 2;
  const ranked = fitting
    .map((option, index) => ({ option, index, fill: fillScreen(option, target) }))
    .sort(
      (a, b) =>
        rank(a.option) - rank(b.option) ||
        Number(a.fill.missing.length > 0) - Number(b.fill.missing.length > 0) ||
        Number(a.option.hasScreen) - Number(b.option.hasScreen) ||
        a.index - b.index,
    );
  const best = ranked[0]!;
  if (best.fill.missing.length) return { kind: 'needs-fields', option: best.option, missing: best.fill.missing };
  return { kind: 'take', option: best.option, fields: best.fill.fields };
}

/**
 * The required fields of a transition's screen we can fill. Only the resolution, the one field a
 * workflow's screen asks for everywhere: the resolution named like the target status (Won't Do),
 * else like the Productboard status, else Done. Anything else is a person's to decide.
 */
function fillScreen(option: TransitionOption, target: StatusTarget): { fields: Record<string, JiraFieldValue>; missing: ScreenField[] } {
  const fields: Record<string, JiraFieldValue> = {};
  const missing: ScreenField[] = [];
  for (const field of option.requiredFields) {
    const resolution =
      field.id === 'resolution'
        ? [option.toStatus, target.pbStatus, 'Done']
            .map((name) => field.allowed?.find((v) => v.name !== undefined && same(v.name, name)))
            .find(Boolean)
        : undefined;
    if (resolution?.id) fields[field.id] = { id: resolution.id };
    else if (resolution?.name) fields[field.id] = { name: resolution.name };
    else missing.push(field);
  }
  return { fields, missing };
}

/** What trying to reach a status came to; `note` says why it was not reached. */
export type StatusOutcome = { reached: true } | { reached: false; note: string };

/** A choice that cannot be taken, in words for the pass's results. */
export function unreachable(choice: Exclude<TransitionChoice, { kind: 'take' }>): StatusOutcome {
  if (choice.kind === 'none') return { reached: false, note: choice.reason };
  const names = choice.missing.map((f) => f.name).join(', ');
  return {
    reached: false,
    note: `the transition "${choice.option.name}" to "${choice.option.toStatus}" asks for ${names} on its screen: set the status in Jira (not tried again until the status changes in Productboard)`,
  };
}

/** How often one transition is sent while its answers are lost (503, a reset) before the item fails this pass. */
export const TRANSITION_SENDS = 3;

/**
 * Takes a chosen transition; a refusal (a validator, a condition) is this note, not a
 * failure of the item. A transition is a POST the HTTP policy never sends twice blindly, but what
 * it does is a status: after a lost answer the issue, read by id (current, unlike the search),
 * says whether Jira took it, and only when it did not is the transition sent again. So a 503 or a
 * reset costs a read and a resend in this pass, not a failed item left for the next one.
 */
export async function take(
  writer: Pick<JiraWriter, 'doTransition' | 'statusName'>,
  jiraId: string,
  choice: TransitionChoice,
): Promise<StatusOutcome> {
  if (choice.kind !== 'take') return unreachable(choice);
  for (let sent = 1; ; sent++) {
    try {
      await writer.doTransition(jiraId, choice.option.id, choice.fields);
      return { reached: true };
    } catch (error) {
      if (isSyncError(error) && error.kind === 'rejected')
        return { reached: false, note: `Jira refused the transition "${choice.option.name}": ${error.message}` };
      if (!isSyncError(error) || error.kind !== 'ambiguous' || sent >= TRANSITION_SENDS) throw error;
      if (same((await writer.statusName(jiraId)) ?? '', choice.option.toStatus)) return { reached: true };
    }
  }
}

/** Looks the issue's transitions up (with their screens' fields) and takes the one `chooseTransition` picks. */
export async function reachStatus(writer: JiraWriter, jiraId: string, target: StatusTarget): Promise<StatusOutcome> {
  return take(writer, jiraId, chooseTransition(await writer.transitionOptions(jiraId), target));
}
