import { uuidFromName } from '../kit/deterministic-id.js';

// Plugin integrations and their connections, as plugin-integrations.openapi.json models them
// (https://developer.productboard.com/v2/openapi): an integration is a push-button column with an action URL; each
// entity has at most one connection per integration; `initial` is the absence of a connection.

export type ConnectionColor = 'gray' | 'blue' | 'green' | 'yellow' | 'orange' | 'red' | 'purple';
export const CONNECTION_COLORS: readonly ConnectionColor[] = ['gray', 'blue', 'green', 'yellow', 'orange', 'red', 'purple'];

/** ConnectionState without `initial`, which is stored as no connection at all. */
export type StoredConnection =
  | { state: 'connected'; label: string; hoverLabel: string; tooltip: string; color: ConnectionColor; targetUrl: string }
  | { state: 'error'; message: string; debugDetail?: string }
  | { state: 'progress' };

export type ConnectionJson = StoredConnection | { state: 'initial' };

export type IntegrationStatus = 'enabled' | 'disabled';

export interface PluginAction {
  url: string;
  version: 1;
  /** Sent verbatim as the Authorization header of every call to `url`; never returned by the API. */
  authorization?: string;
}

export interface PluginIntegrationRec {
  id: string;
  type: string;
  name: string;
  integrationStatus: IntegrationStatus;
  initialLabel: string;
  action: PluginAction;
  createdAt: number;
  connections: Map<string, StoredConnection>;
}

export interface PluginIntegrationInput {
  type: string;
  name: string;
  integrationStatus: IntegrationStatus;
  initialLabel: string;
  action: PluginAction;
}

/** A call the sandbox made to an action URL: the creation probe, or a person's button press. */
export interface OutboundCall {
  kind: 'probe' | 'action';
  integrationId: string;
  url: string;
  trigger?: string;
  /** Whether the Authorization header was sent (its value is never kept). */
  authorized: boolean;
  /** HTTP status of the answer; null when none came (refused, timed out). */
  status: number | null;
  outcome: 'ok' | 'failed';
  detail?: string;
  at: number;
}

export class PluginIntegrations {
  private readonly byId = new Map<string, PluginIntegrationRec>();
  private created = 0;
  /** Every call made to an action URL, oldest first. */
  readonly outbound: OutboundCall[] = [];

  /** Oldest first (the stable paging order). */
  list(): PluginIntegrationRec[] {
    return [...this.byId.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  get(id: string): PluginIntegrationRec | undefined {
    return this.byId.get(id);
  }

  add(input: PluginIntegrationInput, now = Date.now()): PluginIntegrationRec {
    const id = uuidFromName(`sandbox-plugin-integration:${input.type}:${++this.created}`);
    const rec: PluginIntegrationRec = { id, ...input, action: { ...input.action }, createdAt: now, connections: new Map() };
    this.byId.set(id, rec);
    return rec;
  }

  remove(id: string): void {
    this.byId.delete(id);
  }

  /** Sets or (with `initial`) clears an entity's connection. */
  setConnection(integrationId: string, entityId: string, connection: ConnectionJson): void {
    const rec = this.must(integrationId);
    if (connection.state === 'initial') rec.connections.delete(entityId);
    else rec.connections.set(entityId, { ...connection });
  }

  connection(integrationId: string, entityId: string): ConnectionJson {
    const c = this.must(integrationId).connections.get(entityId);
    return c ? { ...c } : { state: 'initial' };
  }

  /** Non-initial connections in entity id order. */
  connections(integrationId: string): Array<{ entityId: string; connection: StoredConnection }> {
    return [...this.must(integrationId).connections]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([entityId, connection]) => ({ entityId, connection }));
  }

  private must(id: string): PluginIntegrationRec {
    const r = this.byId.get(id);
    if (!r) throw new Error(`No Productboard plugin integration with id ${id}`);
    return r;
  }
}
