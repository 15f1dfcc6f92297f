import type { AdfDoc } from './adf.js';
import type { Alert, DeliveryOutcome } from './alert.js';
import type { DeliveryValues, DeliveryWrite, WriteBackOutcome } from './delivery.js';
import type { Finding } from './finding.js';
import type { HistoryEntry } from './history.js';
import type { CreatedLink, PushedLink } from './link.js';
import type { ObservedIssue } from './observed.js';
import type { JiraFieldValue } from './field-value.js';
import type { SourceDelta } from './source.js';
import type { StampProperty } from './stamp.js';
import type { StatusCategory } from './status.js';

// The engine speaks to the outside through these small interfaces; only the composition root
// (src/wiring/) knows which connector implements them.

export interface SourceRequest {
  /** Productboard entity types the mapping uses. */
  types: readonly string[];
  /** Read notes only when a rule lists insights. */
  notes: boolean;
  /** Read only what changed since this instant (ISO date-time); everything when absent. */
  since?: string;
}

/** The source of truth (Productboard). */
export interface SourceReader {
  /**
   * The mapped part of the workspace: all of it, or what changed since `since`. Throws if any page
   * fails: a partial read must never look like "those items were deleted".
   */
  read(request: SourceRequest): Promise<SourceDelta>;
}

/** How the source of truth is configured, for `validate`'s checks of a mapping against it. */
export interface SourceCatalog {
  /** The status names the workspace allows for a type (each type has its own set); null when the type has no status. */
  statusNames(type: string): Promise<string[] | null>;
}

export interface ProjectIssueType {
  id: string;
  name: string;
  level: number;
}

export interface ProjectCatalog {
  id: string;
  key: string;
  issueTypes: readonly ProjectIssueType[];
}

/** A value a field accepts, as Jira lists it (`allowedValues`): options by `value`, most other things by `name`. */
export interface AllowedValue {
  id?: string;
  name?: string;
  value?: string;
}

/** A field of a screen (create metadata, or a transition's screen), as Jira describes it. */
export interface ScreenField {
  /** The field id (`summary`, `customfield_10011`). */
  id: string;
  name: string;
  required: boolean;
  /** Jira fills it when a request leaves it out (priority, reporter). */
  hasDefaultValue: boolean;
  /** Its value type (`schema.type`: string, number, date, option, array, user...), and for arrays the items' type. */
  type: string;
  items?: string;
  /** The values it accepts, when Jira lists them. */
  allowed?: readonly AllowedValue[];
}

export interface JiraReader {
  project(): Promise<ProjectCatalog>;
  /** The fields of the create screen of one issue type of the project (create metadata, every page). */
  createFields(issueTypeId: string): Promise<ScreenField[]>;
  /** Every issue carrying our managed label; `reconcileIds` asks Jira for read-after-write on those. */
  searchManaged(reconcileIds: readonly string[], knownKeys?: readonly string[], updatedWithinMinutes?: number): Promise<ObservedIssue[]>;
  /** Stamped issues for specific Productboard ids (label lookup), for intents of unknown outcome. */
  findByPbIds(pbIds: readonly string[]): Promise<ObservedIssue[]>;
  /** Issues by id; missing or invisible ones are simply absent. */
  fetchByIds(ids: readonly string[]): Promise<ObservedIssue[]>;
}

/** A new issue, rendered and ready to send. */
export interface IssueDraft {
  pbId: string;
  issueTypeId: string;
  parentJiraId: string | null;
  summary: string;
  description: AdfDoc | null;
  labels: string[];
  dueDate: string | null | undefined;
  stamp: StampProperty;
  /** Further fields by Jira field id (the mapping's `jira.fields`, resolved on the create screen). */
  fields: Readonly<Record<string, JiraFieldValue>>;
  /** Moves the new issue out of the initial status in the create call itself (learned per issue type). */
  transitionId?: string;
}

export type CreateOutcome =
  /** `transitionRefused`: the issue was created, but the transition it carried was refused (Jira's reason). */
  | { pbId: string; ok: true; jiraId: string; jiraKey: string; transitionRefused?: string }
  /** `ambiguous`: the request may have created the issue (lost response); resolve by stamp lookup. */
  | { pbId: string; ok: false; error: string; ambiguous: boolean };

/** One PUT on an existing issue: only the fields present change. */
export interface IssueEdit {
  jiraId: string;
  jiraKey: string;
  summary?: string;
  description?: AdfDoc | null;
  dueDate?: string | null;
  labels?: { add: string[]; remove: string[] };
  /** Present when the parent changes; null removes the parent. */
  parentJiraId?: string | null;
  /** The record of what we wrote; absent for a pure re-parenting by `reconcile --fix`. */
  stamp?: StampProperty;
}

/** What an edit did. Jira may refuse to change a sub-task's parent by an edit (its Move operation is needed). */
export type EditOutcome = { ok: true } | { ok: false; parentRefused: string };

/** A transition available to an issue now, with the status it leads to and its screen. */
export interface TransitionOption {
  id: string;
  name: string;
  /** Category and name of the status it leads to. */
  category: StatusCategory;
  toStatus: string;
  hasScreen: boolean;
  /** The fields its screen requires that Jira does not fill itself. */
  requiredFields: readonly ScreenField[];
}

export interface JiraWriter {
  /** At most 50 drafts (Jira's bulk create limit); partial failures come back per draft. */
  bulkCreate(drafts: readonly IssueDraft[]): Promise<CreateOutcome[]>;
  edit(edit: IssueEdit): Promise<EditOutcome>;
  /** The transitions available to the issue now, with their screens' required fields. */
  transitionOptions(jiraId: string): Promise<TransitionOption[]>;
  /** Takes a transition, filling its screen's `fields` (by field id). */
  doTransition(jiraId: string, transitionId: string, fields?: Readonly<Record<string, JiraFieldValue>>): Promise<void>;
  upsertRemoteLink(jiraId: string, pbId: string, title: string, url: string): Promise<void>;
}

/**
 * Who writes to the Jira project, kept where the writes go (a project entity property), so that
 * passes of other hosts and other ledgers see it: the lease of the pass writing now, and the last
 * write, which a pass that did not make it must let Jira's search catch up with.
 */
export interface WriterRecord {
  /** The pass holding the lease (its process, its ledger, and the token it wrote); null when released. */
  holder: { id: string; ledger: string; token: string } | null;
  /** When the holder last said it is alive (ms since the epoch). */
  heartbeatAt: number;
  /** The last write to the project, and the ledger that knows what it was; null: never written. */
  lastWrite: { at: number; ledger: string } | null;
}

/**
 * Reads and writes the writer record. Jira has no conditional write for properties: the last
 * write wins, so acquiring the lease is done by writing, waiting and reading back (src/engine/jira-lease.ts).
 */
export interface WriterRecordStore {
  /** null when there is none (or it cannot be read: someone else's value under our key). */
  readWriterRecord(): Promise<WriterRecord | null>;
  writeWriterRecord(record: WriterRecord): Promise<void>;
}

/**
 * What the applier may write to the ledger. The ledger implements it; a dry run gets an in-memory
 * one, so a dry run is the same pipeline with the writer swapped and changes no link on disk.
 */
export interface LinkWriter {
  recordIntents(items: ReadonlyArray<{ pbId: string; pbType: string }>, at: number): void;
  recordCreated(items: readonly CreatedLink[], at: number): void;
  recordFailed(items: ReadonlyArray<{ pbId: string; pbType: string; error: string }>, at: number): void;
  recordPushed(items: readonly PushedLink[], at: number): void;
  recordUpdateFailed(items: ReadonlyArray<{ pbId: string; error: string }>, at: number): void;
  /** Moves Jira refused: the planner does not try them again while the wanted parent stays the same. */
  recordMoveRefused(items: ReadonlyArray<{ pbId: string; toParentId: string | null; error: string }>, at: number): void;
  clearIntents(pbIds: readonly string[], at: number): void;
  /** What a run did to each item (`history`), one batch in one transaction. */
  recordHistory(entries: readonly HistoryEntry[], at: number): void;
}

/**
 * Writes delivery back to the source of truth (Productboard entity updates). Throws for what stops
 * every write (a token without the write scope); an entity deleted meanwhile is an outcome.
 */
export interface DeliveryWriter {
  write(write: DeliveryWrite): Promise<WriteBackOutcome>;
}

/** A custom field of the source, as `validate` checks the mapping's `writeBack` fields against it. */
export interface SourceField {
  id: string;
  name: string;
  /** `text`, `number`, or what else Productboard calls its value type. */
  kind: string;
}

export interface DeliveryCatalog {
  /** The fields entities of this type have (their configuration). */
  fields(type: string): Promise<SourceField[]>;
}

/** What the ledger keeps of delivery writes: the values last written to each item, once written. */
export interface DeliveryLog {
  recordDelivered(items: ReadonlyArray<{ pbId: string; values: DeliveryValues }>, at: number): void;
}

/** Tells people (Slack). Never throws for the receiver's failures: an alert must not fail a pass. */
export interface Notifier {
  /** Why nothing can be delivered at all (no webhook configured); null when alerts can go out. */
  readonly unavailable: string | null;
  notify(alert: Alert): Promise<DeliveryOutcome>;
}

export interface FindingChanges {
  /** Open findings never alerted (new, or back after being resolved). */
  fresh: Finding[];
  /** Findings resolved since the last alert. */
  resolved: Finding[];
  /** Every open finding, for a full digest. */
  open: Finding[];
}

/** Remembers findings across runs, so alerts tell only what is new or resolved. */
export interface FindingsLog {
  /** Records what a reconcile found now; what disappeared is resolved. */
  record(current: readonly Finding[], now: number): FindingChanges;
  /** After a delivered alert: these open findings and these resolutions have been told. */
  markAlerted(open: readonly Finding[], resolved: readonly Finding[], now: number): void;
}
