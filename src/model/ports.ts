import type { AdfDoc } from './adf.js';
import type { Alert, DeliveryOutcome } from './alert.js';
import type { Connection, ConnectionOutcome, ConnectionRecord } from './connection.js';
import type { DeliveryValues, DeliveryWrite, StatusSynced, WriteBackOutcome } from './delivery.js';
import type { NativeLinks } from './native-link.js';
import type { Finding } from './finding.js';
import type { HistoryEntry } from './history.js';
import type { CreatedLink, PushedLink } from './link.js';
import type { ProjectAddition } from './desired.js';
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

/**
 * A custom field of the source (a Productboard workspace's configuration), by which a mapping may
 * name it and read its values (the write-back's `SourceField` below describes the same fields for
 * what is written to them).
 */
export interface SourceCustomField {
  /** Its id (a UUID in Productboard): the key of its values on items. */
  id: string;
  name: string;
  kind: 'number' | 'text' | 'date' | 'select' | 'multiselect' | 'member' | 'other';
  /** A select's option names. */
  options: readonly string[];
}

/** How the source of truth is configured: the mapping's names resolved, and `validate`'s checks. */
export interface SourceCatalog {
  /** The status names the workspace allows for a type (each type has its own set); null when the type has no status. */
  statusNames(type: string): Promise<string[] | null>;
  /** The custom fields the workspace gives a type. */
  customFields(type: string): Promise<SourceCustomField[]>;
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

/** A field of the Jira site (`GET /rest/api/3/field`), as a mapping names it and as its values are written. */
export interface SiteField {
  id: string;
  name: string;
  /** `schema.type` (number, string, date, option, array, user...); for arrays `schema.items`; for custom fields `schema.custom`. */
  type: string;
  items?: string;
  custom?: string;
}

/** A Jira user found by email: the account id is what a user field takes. */
export interface JiraUser {
  accountId: string;
  displayName: string;
}

/** How to read managed issues: `reconcileIds` asks Jira for read-after-write on those; `fields`: the mapping's Jira fields to read back. */
export interface ManagedSearch {
  reconcileIds?: readonly string[];
  /** Issue keys known to exist (from the ledger): they only place the boundaries of ranges read side by side. */
  knownKeys?: readonly string[];
  /** Only issues updated this recently. */
  updatedWithinMinutes?: number;
  fields?: readonly string[];
}

export interface JiraReader {
  project(): Promise<ProjectCatalog>;
  /** The fields of the create screen of one issue type of the project (create metadata, every page). */
  createFields(issueTypeId: string): Promise<ScreenField[]>;
  /** Every field of the site, system and custom. */
  siteFields(): Promise<SiteField[]>;
  /** The one active user with this email (whatever its case); null when there is none. */
  userByEmail(email: string): Promise<JiraUser | null>;
  /** Every issue carrying our managed label. */
  searchManaged(search?: ManagedSearch): Promise<ObservedIssue[]>;
  /** Stamped issues for specific Productboard ids (label lookup), for intents of unknown outcome. */
  findByPbIds(pbIds: readonly string[], fields?: readonly string[]): Promise<ObservedIssue[]>;
  /** Issues by id; missing or invisible ones are simply absent. */
  fetchByIds(ids: readonly string[], fields?: readonly string[]): Promise<ObservedIssue[]>;
  /** The names of the project's components and versions (fix versions), the full lists. */
  projectOptions(): Promise<{ components: string[]; versions: string[] }>;
  /** Every issue of the project, managed or not, of these issue types that has no parent. */
  withoutParent(issueTypeIds: readonly string[]): Promise<ObservedIssue[]>;
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
  /** The mapping's Jira fields that change, by field id (null clears). */
  fields?: Readonly<Record<string, JiraFieldValue | null>>;
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
  /**
   * The name of the issue's status now (null when Jira names none): read back after a transition
   * whose answer was lost. An issue read by id is current, unlike Jira's search.
   */
  statusName(jiraId: string): Promise<string | null>;
  upsertRemoteLink(jiraId: string, pbId: string, title: string, url: string): Promise<void>;
  /** Adds a component or a version to the project (the mapping says it may). */
  addToProject(addition: ProjectAddition): Promise<void>;
}

/**
 * Who writes to the Jira project, kept where the writes go (a project entity property), so that
 * passes of other hosts and other ledgers see it: the lease of the pass writing now, and the last
 * write, which a pass that did not make it must let Jira's search catch up with.
 */
export interface WriterRecord {
  /**
   * The pass holding the lease (its process, its ledger, the token it wrote, and since when: absent
   * in records of versions that did not keep it); null when released.
   */
  holder: { id: string; ledger: string; token: string; acquiredAt?: number } | null;
  /** When the holder last said it is alive (ms since the epoch). */
  heartbeatAt: number;
  /** The last write to the project, and the ledger that knows what it was; null: never written. */
  lastWrite: { at: number; ledger: string } | null;
}

/** The writer record as read: none yet, the record, or a value under its key that is not one (and why). */
export type WriterRecordReading = { state: 'none' } | { state: 'read'; record: WriterRecord } | { state: 'unreadable'; reason: string };

/**
 * Reads and writes the writer record. Jira has no conditional write for properties: the last
 * write wins, so acquiring the lease is done by writing, waiting and reading back (src/engine/jira-lease.ts).
 */
export interface WriterRecordStore {
  /** null when there is none (or it cannot be read: someone else's value under our key). */
  readWriterRecord(): Promise<WriterRecord | null>;
  writeWriterRecord(record: WriterRecord): Promise<void>;
}

/** What `status --jira` reads: the writer record, or why the value under its key is not one. */
export interface WriterRecordInspector {
  inspectWriterRecord(): Promise<WriterRecordReading>;
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

/** Reads the links Productboard's own Jira integration keeps (the items it linked to an issue). */
export interface NativeLinkReader {
  read(): Promise<NativeLinks>;
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
  /** The status loop's record per item: the status each side had when last synced. */
  recordStatusSynced(items: ReadonlyArray<{ pbId: string; synced: StatusSynced }>, at: number): void;
}

/**
 * Writes the plugin-integration column (`PUT`/`DELETE /v2/plugin-integrations/{id}/connections/{entityId}`).
 * Throws for what stops every write (a token without the scope); an entity deleted meanwhile is an outcome.
 */
export interface ConnectionWriter {
  /** Throws a `config` error when the configured integration does not exist. */
  writeConnection(pbId: string, connection: Connection): Promise<ConnectionOutcome>;
}

/** A plugin integration as `validate` and `serve` need it. */
export interface PluginIntegrationInfo {
  id: string;
  name: string;
  /** A disabled integration hides its column: nothing written to it shows. */
  enabled: boolean;
}

/** Productboard's plugin integrations: found by id or name, or created (which probes the action URL). */
export interface PluginIntegrations {
  find(ref: { id: string } | { name: string }): Promise<PluginIntegrationInfo | null>;
  create(input: { name: string; actionUrl: string; authorization: string }): Promise<PluginIntegrationInfo>;
}

/** What the ledger keeps of the column: each item's connection as last written, once written. */
export interface ConnectionLog {
  recordConnections(items: ReadonlyArray<{ pbId: string; record: ConnectionRecord }>, at: number): void;
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
