// Productboard's own Jira integration: the items it already linked to a Jira issue. A team moving
// off it adopts those issues (stamps and ledgers them) instead of creating duplicates.

/** One item's link, as the integration keeps it (its connection: the item's id, the issue's key and id). */
export interface NativeLink {
  pbId: string;
  issueKey: string;
  issueId: string;
  /** The integration's name, for the plan. */
  integration: string;
}

export interface NativeLinks {
  /** The integrations read (by name). */
  integrations: string[];
  byPbId: ReadonlyMap<string, NativeLink>;
  /** Why no link could be read (a token without the read scope), when discovering; null when read. */
  unavailable: string | null;
}
