import type { StatusCategory, StatusTarget } from '../model/status.js';
import {
  moveRemedy,
  type ActionKind,
  type FieldChange,
  type NewIssue,
  type Plan,
  type PlanAction,
  type RemoteLink,
} from '../model/plan.js';
import type { DesiredIssue, DesiredTree, ProjectAddition } from '../model/desired.js';
import { sameValue } from '../model/field-value.js';
import type { Link } from '../model/link.js';
import type { ObservedIssue, ObservedTree } from '../model/observed.js';
import type { StampProperty } from '../model/stamp.js';
import { clipText, singleLine } from '../util/untrusted-text.js';

export interface PlanInput {
  desired: DesiredTree;
  observed: ObservedTree;
  links: ReadonlyMap<string, Link>;
  now: number;
  /** A create of unknown outcome younger than this is not retried (Jira search may lag). */
  settleMs: number;
  /**
   * Items whose status loops back (a rule's `writeBack.status`) and was synced before: whether
   * Productboard's status changed since (src/engine/status-loop.ts). Only then is it pushed.
   */
  pbStatusChanged?: ReadonlyMap<string, boolean>;
  /**
   * Issues Productboard's own Jira integration linked to items that have none of ours
   * (src/engine/native-adoption.ts): adopted instead of created.
   */
  native?: ReadonlyMap<string, { issue: ObservedIssue; integration: string }>;
}

const KIND_ORDER: Record<ActionKind, number> = { create: 0, adopt: 1, update: 2, move: 3, skip: 4 };

/**
 * The planner: a pure function of the desired tree, the observed Jira tree and the ledger links.
 * It emits create / adopt / update / move / skip, ordered by depth so that every parent exists
 * before its children, and changes only the fields the mapping owns, only when they differ.
 */
export function plan(input: PlanInput): Plan {
  const actions: PlanAction[] = [];
  const existing = new Map<string, ObservedIssue>();
  let unchanged = 0;

  // First pass: find each desired issue's existing Jira issue, so parents can be compared by id.
  const ordered = [...input.desired.issues.values()].sort(
    (a, b) => a.depth - b.depth || a.name.localeCompare(b.name) || a.pbId.localeCompare(b.pbId),
  );
  const resolution = new Map<string, Resolution>();
  for (const issue of ordered) {
    const found = resolve(issue, input);
    resolution.set(issue.pbId, found);
    if (found.kind === 'existing') existing.set(issue.pbId, found.observed);
  }

  for (const issue of ordered) {
    const found = resolution.get(issue.pbId)!;
    const base = { pbId: issue.pbId, pbType: issue.pbType, name: issue.name, depth: issue.depth, parentPbId: issue.parentPbId };
    if (found.kind === 'skip') {
      actions.push({ kind: 'skip', ...base, reason: found.reason, detail: found.detail });
      continue;
    }
    if (found.kind === 'create') {
      actions.push({ kind: 'create', ...base, issueTypeName: issue.issueTypeName, reason: found.reason, issue: newIssue(issue) });
      continue;
    }
    const observed = found.observed;
    const ref = { jiraId: observed.id, jiraKey: observed.key };
    if (found.adopt) actions.push(adoption(issue, observed, found.adopt, input.links.get(issue.pbId)?.state === 'pending', found.native));
    if (observed.issueTypeId !== issue.issueTypeId) {
      actions.push({
        kind: 'skip',
        ...base,
        reason: 'issue-type-changed',
        detail: `${observed.key} is a ${observed.issueTypeName || 'different type'}; the mapping now wants ${issue.issueTypeName} (change it in Jira, or revert the mapping)`,
      });
      continue;
    }
    const last = input.links.get(issue.pbId)?.pushed ?? observed.stamp;
    const changes = fieldChanges(issue, observed, last, input.pbStatusChanged?.get(issue.pbId));
    // The record of what we write travels with every edit; its status is the last one pushed.
    const stamp = stampOf(issue, last?.statusCategory ?? null);
    if (changes.length) actions.push({ kind: 'update', ...base, ...ref, changes, stamp });
    const expectedParentId = issue.parentPbId ? (existing.get(issue.parentPbId)?.id ?? null) : null;
    // A parent being created in this pass has no id yet: the child moves once it exists. A parent
    // skipped for a lasting reason (missing in Jira, awaiting search) leaves the child where it is.
    const parentComing = issue.parentPbId !== null && expectedParentId === null && resolution.get(issue.parentPbId)?.kind === 'create';
    const parentDiffers = issue.parentPbId
      ? parentComing || (expectedParentId !== null && observed.parentId !== expectedParentId)
      : observed.parentId !== null;
    if (parentDiffers) actions.push(moveOrRefusal(issue, observed, stamp, input.links.get(issue.pbId), existing));
    if (!changes.length && !parentDiffers && !found.adopt) unchanged += 1;
  }

  for (const skip of input.desired.skipped) {
    const depth = skip.parentPbId ? (input.desired.issues.get(skip.parentPbId)?.depth ?? -1) + 1 : 0;
    actions.push({
      kind: 'skip',
      pbId: skip.pbId,
      pbType: skip.pbType,
      name: skip.name,
      depth,
      parentPbId: skip.parentPbId,
      reason: skip.reason,
      detail: skip.detail,
    });
  }

  actions.sort(
    (a, b) => a.depth - b.depth || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name) || a.pbId.localeCompare(b.pbId),
  );
  const counts: Record<ActionKind, number> = { create: 0, adopt: 0, update: 0, move: 0, skip: 0 };
  for (const action of actions) counts[action.kind] += 1;
  const known = new Map([...existing].map(([pbId, observed]) => [pbId, { jiraId: observed.id, jiraKey: observed.key }]));
  return { actions, additions: additionsOf(input.desired), existing: known, counts, unchanged };
}

type Resolution =
  | { kind: 'existing'; observed: ObservedIssue; adopt: string | null; native?: true }
  | { kind: 'create'; reason: string }
  | { kind: 'skip'; reason: 'awaiting-search' | 'missing-in-jira'; detail: string };

function resolve(issue: DesiredIssue, input: PlanInput): Resolution {
  const link = input.links.get(issue.pbId);
  const stamped = input.observed.byPbId.get(issue.pbId) ?? [];
  if (link?.jiraId) {
    const observed = input.observed.byId.get(link.jiraId);
    if (observed) return { kind: 'existing', observed, adopt: null };
    // The linked issue is gone (deleted, or moved out of sight). Re-creating it would undo a
    // deliberate deletion; `reconcile` reports it as missing-in-jira for a person to decide.
    if (!stamped.length)
      return {
        kind: 'skip',
        reason: 'missing-in-jira',
        detail: `${link.jiraKey ?? link.jiraId} (linked in the ledger) no longer exists or is not visible; see \`reconcile\``,
      };
  }
  if (stamped.length) {
    const chosen = stamped[0]!;
    const extra =
      stamped.length > 1 ? `; ${stamped.length} issues carry this stamp (${stamped.map((s) => s.key).join(', ')}), using the oldest` : '';
    const why =
      link?.state === 'pending'
        ? 'a create of unknown outcome did happen: found by its stamp'
        : 'found by its stamp, not yet in the ledger';
    return { kind: 'existing', observed: chosen, adopt: `${why}${extra}` };
  }
  const native = input.native?.get(issue.pbId);
  if (native)
    return {
      kind: 'existing',
      observed: native.issue,
      adopt: `linked by Productboard's Jira integration (${native.integration})`,
      native: true,
    };
  if (link?.state === 'pending' && link.intentAt !== null && input.now - link.intentAt < input.settleMs) {
    const seconds = Math.ceil((input.settleMs - (input.now - link.intentAt)) / 1000);
    return {
      kind: 'skip',
      reason: 'awaiting-search',
      detail: `an earlier create may have succeeded; not retried for another ${seconds}s so Jira's search can show it (no duplicates)`,
    };
  }
  if (link?.state === 'pending') return { kind: 'create', reason: 'an earlier create did not happen (no issue carries its stamp)' };
  if (link?.state === 'failed') return { kind: 'create', reason: `retry: the last attempt failed (${link.lastError ?? 'unknown error'})` };
  return { kind: 'create', reason: 'new in Productboard' };
}

/**
 * The move back under the wanted parent; or, when Jira refused that very move before, a skip that
 * says what a person does instead (sent again it would be refused on every pass). A new wanted
 * parent tries again.
 */
function moveOrRefusal(
  issue: DesiredIssue,
  observed: ObservedIssue,
  stamp: StampProperty,
  link: Link | undefined,
  existing: ReadonlyMap<string, ObservedIssue>,
): PlanAction {
  const base = { pbId: issue.pbId, pbType: issue.pbType, name: issue.name, depth: issue.depth, parentPbId: issue.parentPbId };
  const refused = refusedMove(link, observed, issue.parentPbId ? existing.get(issue.parentPbId) : undefined);
  if (refused) return { kind: 'skip', ...base, reason: 'move-refused', detail: refused };
  const ref = { jiraId: observed.id, jiraKey: observed.key };
  return { kind: 'move', ...base, ...ref, fromParentKey: observed.parentKey, stamp, subtask: observed.level === -1 };
}

/** Why the move is not sent, when Jira refused a move to this same parent. */
function refusedMove(link: Link | undefined, observed: ObservedIssue, parent: ObservedIssue | undefined): string | null {
  const refused = link?.refusedMove;
  if (!refused || !parent || refused.toParentId !== parent.id) return null;
  return `Jira refused to move ${observed.key} under ${parent.key} (${refused.error}); ${moveRemedy(observed.level === -1)}. Not tried again until its parent changes in Productboard`;
}

/** The stamp of an issue as the mapping wants it, with the status category last pushed. */
const stampOf = (issue: DesiredIssue, statusCategory: StatusCategory | null): StampProperty => ({
  v: 1,
  pbId: issue.pbId,
  pbType: issue.pbType,
  labels: issue.fields.labels,
  descriptionHash: issue.fields.descriptionHash,
  statusCategory,
});

/** The components and versions the project lacks that some issue names, once each (the mapping allowed them). */
function additionsOf(desired: DesiredTree): ProjectAddition[] {
  const byKey = new Map<string, ProjectAddition>();
  for (const issue of desired.issues.values()) for (const need of issue.needs) byKey.set(`${need.kind}:${need.name.toLowerCase()}`, need);
  return [...byKey.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

function newIssue(issue: DesiredIssue): NewIssue {
  const { summary, description, labels, dueDate, statusCategory } = issue.fields;
  // Version 2's fields travel inside the create, by field id; an empty one is left out.
  const mapped = (issue.fields.mapped ?? []).flatMap((m) =>
    m.write === null || (Array.isArray(m.write) && !m.write.length) ? [] : [[m.id, m.write] as const],
  );
  const jiraFields = { ...issue.fields.jiraFields, ...Object.fromEntries(mapped) };
  const status = statusTargetOf(issue);
  return {
    issueTypeId: issue.issueTypeId,
    fields: {
      summary,
      description,
      labels,
      ...(dueDate !== undefined ? { dueDate } : {}),
      ...(Object.keys(jiraFields).length ? { jiraFields } : {}),
    },
    // New issues start in the initial (To Do) status: only "new" is known to be true at creation;
    // any other status is reached by a transition, recorded once it was attempted.
    status: status && status.category !== 'new' ? status : null,
    stamp: stampOf(issue, statusCategory === 'new' ? 'new' : null),
    remoteLink: remoteLinkOf(issue),
    parentNote: issue.parentNote,
    ...(issue.fields.mapped?.length ? { shown: issue.fields.mapped.map(({ id, name, value }) => ({ id, name, value })) } : {}),
  };
}

/** The backlink: its title is one clean line like a summary; `pbUrl` is already a checked http(s) URL (desired-tree.ts). */
const remoteLinkOf = (issue: DesiredIssue): RemoteLink | null =>
  issue.pbUrl ? { title: clipText(singleLine(`Productboard: ${issue.name}`), 255), url: issue.pbUrl } : null;

function adoption(issue: DesiredIssue, observed: ObservedIssue, reason: string, finishCreate: boolean, native = false): PlanAction {
  // Without a stamp property we only know what Jira shows; that is what we treat as last pushed.
  const record = observed.stamp ?? {
    v: 1,
    pbId: issue.pbId,
    pbType: issue.pbType,
    labels: [],
    descriptionHash: null,
    statusCategory: observed.statusCategory,
  };
  const base = { pbId: issue.pbId, pbType: issue.pbType, name: issue.name, depth: issue.depth, parentPbId: issue.parentPbId };
  // A create from an unfinished pass may lack its remote link, and an issue the native integration
  // made has none of ours: upsert it (idempotent by globalId).
  return {
    kind: 'adopt',
    ...base,
    jiraId: observed.id,
    jiraKey: observed.key,
    reason,
    finishCreate,
    record,
    remoteLink: finishCreate || native ? remoteLinkOf(issue) : null,
  };
}

function fieldChanges(
  issue: DesiredIssue,
  observed: ObservedIssue,
  last: StampProperty | null,
  pbStatusChanged: boolean | undefined,
): FieldChange[] {
  const desired = issue.fields;
  const changes: FieldChange[] = [];
  if (observed.summary !== desired.summary) changes.push({ field: 'summary', from: observed.summary, to: desired.summary });
  // Descriptions are compared by the hash of what we last wrote, not by reading them back: Jira
  // normalises ADF, so a byte comparison would flap, and reading every description is costly.
  const lastHash = last?.descriptionHash ?? null;
  if (desired.descriptionHash !== lastHash)
    changes.push({ field: 'description', fromHash: lastHash, toHash: desired.descriptionHash, to: desired.description });
  const { add, remove } = labelDelta(desired.labels, observed.labels, last?.labels ?? []);
  if (add.length || remove.length) changes.push({ field: 'labels', add, remove });
  if (desired.dueDate !== undefined && (observed.dueDate ?? null) !== desired.dueDate)
    changes.push({ field: 'dueDate', from: observed.dueDate, to: desired.dueDate });
  const target = statusTargetOf(issue);
  // With status back, the ledger says whether Productboard changed: a status Jira's change wrote
  // there is not pushed back, and a change back to the last pushed category is.
  const lastPushed = pbStatusChanged === undefined ? (last?.statusCategory ?? null) : pbStatusChanged ? null : (target?.category ?? null);
  const status = target && statusChange(target, observed.statusCategory, lastPushed);
  if (status) changes.push(status);
  for (const m of desired.mapped ?? []) {
    const jira = observed.fields?.[m.id];
    // Not read (an issue cached before the mapping named the field): compared on the next full read.
    if (!m.update || jira === undefined || sameValue(jira, m.value, m.caseless)) continue;
    changes.push({
      field: 'jiraField',
      id: m.id,
      name: m.name,
      from: jira,
      to: m.value,
      write: m.write ?? (Array.isArray(jira) ? [] : null),
    });
  }
  return changes;
}

/** Adds what is missing; removes only labels we added earlier that no longer apply. */
export function labelDelta(
  desired: readonly string[],
  observed: readonly string[],
  previouslyOwned: readonly string[],
): { add: string[]; remove: string[] } {
  const want = new Set(desired);
  const have = new Set(observed);
  return {
    add: desired.filter((label) => !have.has(label)),
    remove: previouslyOwned.filter((label) => !want.has(label) && have.has(label)),
  };
}

/** The status an issue should reach; without the names that pick among several, any status of its category. */
const statusTargetOf = (issue: DesiredIssue): StatusTarget | null =>
  issue.fields.status ?? (issue.fields.statusCategory ? { category: issue.fields.statusCategory, pbStatus: '', otherNames: [] } : null);

/**
 * Status flows Productboard → Jira only when Productboard's status *changed* since we last pushed
 * it: engineers move issues through the workflow in Jira, and a sync must not drag an issue back
 * every pass because the product status is still "Planned".
 */
function statusChange(
  desired: StatusTarget,
  observed: StatusCategory | null,
  lastPushed: StatusCategory | null,
): Extract<FieldChange, { field: 'status' }> | null {
  if (desired.category === observed) return null;
  if (lastPushed !== null && desired.category === lastPushed) return null;
  return { field: 'status', from: observed, to: desired.category, target: desired };
}
