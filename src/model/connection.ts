// The plugin-integration column of Productboard (plugin-integrations.openapi.json,
// https://developer.productboard.com/v2/openapi): one connection per entity, which the column
// shows as a button. What a sync wants each synced item's connection to show, what was last
// written there (kept in the ledger), and the writes that bring one to the other.

/** Colours a `connected` connection may take (ConnectionState in the spec). */
export type ConnectionColor = 'gray' | 'blue' | 'green' | 'yellow' | 'orange' | 'red' | 'purple';

/**
 * A ConnectionState as the spec defines it. `initial` is no connection at all (the button resets);
 * `progress` is what the action endpoint answers a push with before the pass behind it ends.
 */
export type Connection =
  | { state: 'connected'; label: string; hoverLabel: string; tooltip: string; color: ConnectionColor; targetUrl: string }
  | { state: 'error'; message: string }
  | { state: 'progress' }
  | { state: 'initial' };

/**
 * What a person asked for with the column's buttons, kept until a push clears it: `unlinked`, no
 * connection for the item (its Jira sync goes on: the mapping decides what is synced);
 * `dismissed`, the error they dismissed is not shown again (a different outcome is).
 */
export type ConnectionHold = 'unlinked' | 'dismissed';

/** The ledger's record of an item's connection: what Productboard shows now, and any hold. */
export interface ConnectionRecord {
  connection: Connection;
  hold: ConnectionHold | null;
}

/** One connection to write: `to.state === 'initial'` resets it (the item left the sync). */
export interface ConnectionWrite {
  pbId: string;
  name: string;
  jiraKey: string | null;
  from: Connection | null;
  to: Connection;
  /** What the ledger keeps once written (never before): `to`, and a hold only while the button stays reset. */
  record: ConnectionRecord;
}

export interface ConnectionPlan {
  writes: ConnectionWrite[];
  /** Synced items whose connection already shows what it should. */
  unchanged: number;
}

/** What one connection write did. `gone`: the entity was deleted meanwhile. */
export type ConnectionOutcome = { ok: true } | { ok: false; gone: string };

/** Whether two connections show the same thing. */
export const sameConnection = (a: Connection | null, b: Connection): boolean =>
  a !== null && JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

const canonical = (c: Connection): Array<[string, unknown]> => Object.entries(c).sort(([x], [y]) => x.localeCompare(y));

/** How to say the configured integration was not found, and what to do. */
export const missingIntegration = (ref: { id: string } | { name: string }): string =>
  `Productboard has no plugin integration ${'id' in ref ? `with id ${ref.id}` : `named "${ref.name}"`}: create it with \`pb-jira-sync plugin-integration create\` (needs \`productboard.pluginIntegration.actionUrl\` and \`serve\` reachable there), or name an existing one`;
