import type { StatusBackTable } from '../mapping/write-back.js';
import { statusKey } from '../mapping/status-table.js';
import type { JiraStatus, StatusSynced, StatusWrite } from '../model/delivery.js';
import { PLAIN_STATUS } from '../model/status.js';

// The status loop (mappings/README.md, "Status back"): a rule's status flows Productboard → Jira
// and Jira → Productboard, each way only when that side changed since the last sync. The ledger
// keeps, per item, the status each side had when last synced (read, pushed or written back), so a
// status we wrote is never mistaken for a change of the side we wrote it to: no ping-pong, even
// when the two tables are not each other's inverse. When both sides changed, Productboard wins (it
// is where the plan lives): its status goes to Jira and Jira's change is reported, not written back.

const pbKey = (name: string | null): string => (name === null ? '' : statusKey(name));

/** Whether Productboard's status differs from the one last synced. */
export const pbChanged = (synced: StatusSynced, pb: string | null): boolean => pbKey(synced.pb) !== pbKey(pb);

/**
 * Whether Jira's status differs from the one last synced: by name only when both names are known
 * (a status we pushed is known by its category until Jira is read again).
 */
export const jiraChanged = (synced: JiraStatus, now: JiraStatus): boolean =>
  synced.category !== now.category || (synced.name !== null && now.name !== null && statusKey(synced.name) !== statusKey(now.name));

/** What the loop does for one item this pass. */
export type StatusStep =
  | { kind: 'none' }
  /**
   * A new record, nothing to write: first contact, Productboard's change pushed, a Jira change
   * Productboard already shows or does not map.
   */
  | { kind: 'record'; synced: StatusSynced; conflict: { pb: string; jira: string } | null }
  /** Jira changed: Productboard gets `write.to`; the record follows once written. */
  | { kind: 'write'; write: StatusWrite; synced: StatusSynced };

export interface StatusStepInput {
  /** The ledger's record; undefined on first contact. */
  synced: StatusSynced | undefined;
  /** Productboard's status as read this pass. */
  pb: string | null;
  /** Jira's status as read this pass, and as this pass leaves it (a pushed status is known by category). */
  jiraRead: JiraStatus;
  jiraNow: JiraStatus;
  /** False when the Jira write of this item did not happen (failed, unknown): the record waits, the push is tried again. */
  settled: boolean;
  table: StatusBackTable;
}

const jiraLabel = (s: JiraStatus): string => s.name ?? (s.category ? PLAIN_STATUS[s.category] : 'no status');

export function statusStep(input: StatusStepInput): StatusStep {
  const { synced, pb, jiraRead, jiraNow, table } = input;
  const now: StatusSynced = { pb, jira: jiraNow };
  // First contact: Productboard's status went to Jira as it always does; nothing is written back.
  if (!synced) return { kind: 'record', synced: now, conflict: null };
  if (pbChanged(synced, pb)) {
    if (!input.settled) return { kind: 'none' };
    const conflict = jiraChanged(synced.jira, jiraRead) ? { pb: pb ?? 'no status', jira: jiraLabel(jiraRead) } : null;
    return { kind: 'record', synced: now, conflict };
  }
  if (jiraChanged(synced.jira, jiraNow)) {
    const to = table.pbStatusFor(jiraNow);
    if (to !== undefined && pbKey(to) !== pbKey(pb))
      return { kind: 'write', write: { from: pb, to, jira: jiraLabel(jiraNow) }, synced: { pb: to, jira: jiraNow } };
    return { kind: 'record', synced: now, conflict: null };
  }
  // Same status; Jira now says the name of one we pushed by category: remembered, so a later move
  // within the category (In Progress → In Review) is seen.
  if (synced.jira.name === null && jiraNow.name !== null) return { kind: 'record', synced: now, conflict: null };
  return { kind: 'none' };
}

/**
 * For the Jira planner: per item of a rule with status back and a record, whether Productboard's
 * status changed since the last sync (only then is it pushed to Jira). Items without a record are
 * absent: their first push follows the stamp, as without status back.
 */
export function pbStatusChanges(
  items: Iterable<{ pbId: string; pbType: string; pbStatus: string | null }>,
  tables: ReadonlyMap<string, StatusBackTable>,
  synced: ReadonlyMap<string, StatusSynced>,
): Map<string, boolean> {
  const changes = new Map<string, boolean>();
  for (const item of items) {
    const record = synced.get(item.pbId);
    if (tables.has(item.pbType) && record) changes.set(item.pbId, pbChanged(record, item.pbStatus));
  }
  return changes;
}
