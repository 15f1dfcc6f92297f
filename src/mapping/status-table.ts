import type { StatusCategory } from '../model/status.js';

// Productboard status names → Jira status categories, one table per rule (a rule's own
// `fields.status`, else the file's). Names match whatever their case: the vendor's own examples
// write "In Progress" where the default workspace says "In progress", and a mapping written with one
// spelling must not silently miss the other.

/** The form a status name is compared in. */
export const statusKey = (name: string): string => name.trim().toLowerCase();

export class StatusTable {
  private readonly byKey = new Map<string, StatusCategory>();

  /** `entries` as the mapping writes them, in its order. */
  constructor(readonly entries: ReadonlyArray<readonly [name: string, category: StatusCategory]>) {
    for (const [name, category] of entries) if (!this.byKey.has(statusKey(name))) this.byKey.set(statusKey(name), category);
  }

  /** The category of a Productboard status, whatever its case; undefined when the mapping does not list it. */
  get(name: string): StatusCategory | undefined {
    return this.byKey.get(statusKey(name));
  }

  has(name: string): boolean {
    return this.byKey.has(statusKey(name));
  }
}

/** How a table and a workspace's status names for one type meet (each list in its own spelling and order). */
export interface StatusCoverage {
  /** Statuses the workspace has and the table does not map: their items keep whatever status Jira has. */
  unmapped: string[];
  /** Names the table maps that the workspace does not have for this type. */
  unknown: string[];
}

export function statusCoverage(table: StatusTable, workspaceNames: readonly string[]): StatusCoverage {
  const workspace = new Set(workspaceNames.map(statusKey));
  return {
    unmapped: workspaceNames.filter((name) => !table.has(name)),
    unknown: table.entries.map(([name]) => name).filter((name) => !workspace.has(statusKey(name))),
  };
}
