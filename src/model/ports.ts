import type { AdfDoc } from './adf.js';
import type { Alert, DeliveryOutcome } from './alert.js';
import type { Finding } from './finding.js';
import type { HistoryEntry } from './history.js';
import type { CreatedLink, PushedLink } from './link.js';
import type { ObservedIssue } from './observed.js';
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

export interface JiraReader {
  project(): Promise<ProjectCatalog>;
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
  /** Moves the new issue out of the initial status in the create call itself (learned per issue type). */
  transitionId?: string;
}

export type CreateOutcome =
  | { pbId: string; ok: true; jiraId: string; jiraKey: string }
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

export type TransitionOutcome = 'transitioned' | 'no-transition';

export interface TransitionOption {
  id: string;
  /** Status category of the status it leads to. */
  category: StatusCategory;
}

export interface JiraWriter {
  /** At most 50 drafts (Jira's bulk create limit); partial failures come back per draft. */
  bulkCreate(drafts: readonly IssueDraft[]): Promise<CreateOutcome[]>;
  edit(edit: IssueEdit): Promise<void>;
  /** Looks the issue's transitions up and takes the one to `category` (existing issues: any status). */
  transition(jiraId: string, category: StatusCategory): Promise<TransitionOutcome>;
  /** The transitions available to the issue now, by target category. */
  transitionOptions(jiraId: string): Promise<TransitionOption[]>;
  doTransition(jiraId: string, transitionId: string): Promise<void>;
  upsertRemoteLink(jiraId: string, pbId: string, title: string, url: string): Promise<void>;
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
  clearIntents(pbIds: readonly string[], at: number): void;
  /** What a run did to each item (`history`), one batch in one transaction. */
  recordHistory(entries: readonly HistoryEntry[], at: number): void;
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
