// What `reconcile` reports: drift between Jira and the tree the mapping derives from Productboard.

export const FINDING_KINDS = [
  'mis-parented',
  'wrong-level',
  'orphaned',
  'missing-in-jira',
  'untracked',
  'unparented',
  'ambiguous-parent',
  'unparented-in-jira',
  'no-value-stream',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** The issue a `reconcile --fix` move puts a drifted issue under (null: no parent). */
export interface ParentFix {
  parent: { pbId: string; jiraId: string; jiraKey: string } | null;
}

/** What every finding says; the fields a kind does not know about are null. */
interface FindingBase {
  pbId: string | null;
  pbName: string | null;
  pbUrl: string | null;
  jiraId: string | null;
  jiraKey: string | null;
  jiraUrl: string | null;
  /** Jira key of the parent the mapping expects / the parent the issue has. */
  expectedParent: string | null;
  actualParent: string | null;
  message: string;
  suggestion: string;
  /** Set when `reconcile --fix` can repair it. */
  fix: ParentFix | null;
}

/** Findings about an existing Jira issue. */
interface OnIssue {
  pbId: string;
  jiraId: string;
  jiraKey: string;
  jiraUrl: string;
}

export type Finding =
  /** The issue's parent is not the one the mapping derives; `fix` moves it back. */
  | (FindingBase & OnIssue & { kind: 'mis-parented'; fix: ParentFix })
  /** A hierarchy violation; `fix` is null when a person must act (a changed issue type). */
  | (FindingBase & OnIssue & { kind: 'wrong-level' })
  | (FindingBase & OnIssue & { kind: 'orphaned'; fix: null })
  | (FindingBase & { kind: 'missing-in-jira'; pbId: string; jiraId: string; fix: null })
  | (FindingBase & OnIssue & { kind: 'untracked'; fix: null })
  | (FindingBase & { kind: 'unparented'; pbId: string; fix: null })
  | (FindingBase & { kind: 'ambiguous-parent'; pbId: string; fix: null })
  /** An issue of a level the mapping's hierarchy policy requires a parent for has none, whoever created it. */
  | (FindingBase & { kind: 'unparented-in-jira'; jiraId: string; jiraKey: string; jiraUrl: string; fix: null })
  /** An item the mapping requires a value stream for has none. */
  | (FindingBase & { kind: 'no-value-stream'; pbId: string; fix: null });

/** A finding `reconcile --fix` can repair. */
export type FixableFinding = Extract<Finding, { kind: 'mis-parented' | 'wrong-level' }> & { fix: ParentFix };

export const isFixable = (finding: Finding): finding is FixableFinding =>
  (finding.kind === 'mis-parented' || finding.kind === 'wrong-level') && finding.fix !== null;

/** Stable identity of a finding across runs, for alert de-duplication. */
export const fingerprint = (f: Pick<Finding, 'kind' | 'pbId' | 'jiraId'>): string => `${f.kind}:${f.pbId ?? ''}:${f.jiraId ?? ''}`;
