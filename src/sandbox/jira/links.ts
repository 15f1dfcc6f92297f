// Issue links between issues of the project. A link reads "source <outward> destination" ("PBJ-1 blocks PBJ-2") and,
// from the other end, "destination <inward> source" ("PBJ-2 is blocked by PBJ-1")
// (https://developer.atlassian.com/cloud/jira/platform/issue-linking-model/).

export interface IssueLinkRec {
  id: string;
  typeId: string;
  sourceId: string;
  destinationId: string;
}

export class IssueLinks {
  private readonly byId = new Map<string, IssueLinkRec>();
  private nextId = 10000;

  /** Adds a link; the same link again is not duplicated (POST /issueLink answers 201 either way). */
  add(typeId: string, sourceId: string, destinationId: string): IssueLinkRec {
    const existing = [...this.byId.values()].find(
      (l) => l.typeId === typeId && l.sourceId === sourceId && l.destinationId === destinationId,
    );
    if (existing) return existing;
    const rec = { id: String(this.nextId++), typeId, sourceId, destinationId };
    this.byId.set(rec.id, rec);
    return rec;
  }

  get(id: string): IssueLinkRec | undefined {
    return this.byId.get(id);
  }

  remove(id: string): boolean {
    return this.byId.delete(id);
  }

  /** Links with the issue at either end, oldest first. */
  of(issueId: string): IssueLinkRec[] {
    return [...this.byId.values()].filter((l) => l.sourceId === issueId || l.destinationId === issueId);
  }

  /** Drops the links of a deleted issue. */
  forget(issueId: string): void {
    for (const l of this.of(issueId)) this.byId.delete(l.id);
  }
}
