import type { SeedJiraIntegration } from './model.js';

// Productboard's native Jira integration as the public API shows it: read-only integrations and their
// feature-to-issue connections (jira-integrations.openapi.json, https://developer.productboard.com/v2/openapi).
// The API cannot create connections; tests make them with `connect`, like a person pushing a feature in the UI.

export interface JiraIssueRef {
  issueKey: string;
  issueId: string;
}

export interface JiraIntegrationRec {
  id: string;
  name: string;
  integrationStatus: 'enabled' | 'disabled';
  createdAt: number;
  /** By entity id; the connection's id *is* the entity id (JiraIntegrationConnection.id). */
  connections: Map<string, JiraIssueRef>;
}

export interface JiraIntegrationView {
  id: string;
  name: string;
  integrationStatus: 'enabled' | 'disabled';
  createdAt: string;
  connections: Array<{ entityId: string } & JiraIssueRef>;
}

export class NativeJiraIntegrations {
  private readonly byId = new Map<string, JiraIntegrationRec>();

  constructor(seed: readonly SeedJiraIntegration[]) {
    for (const s of seed) {
      const connections = new Map(s.connections.map((c) => [c.entityId, { issueKey: c.issueKey, issueId: c.issueId }]));
      this.byId.set(s.id, {
        id: s.id,
        name: s.name,
        integrationStatus: s.integrationStatus,
        createdAt: Date.parse(s.createdAt),
        connections,
      });
    }
  }

  /** Oldest first (the stable paging order). */
  list(): JiraIntegrationRec[] {
    return [...this.byId.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  get(id: string): JiraIntegrationRec | undefined {
    return this.byId.get(id);
  }

  views(): JiraIntegrationView[] {
    return this.list().map((r) => ({
      id: r.id,
      name: r.name,
      integrationStatus: r.integrationStatus,
      createdAt: new Date(r.createdAt).toISOString(),
      connections: [...r.connections].map(([entityId, ref]) => ({ entityId, ...ref })),
    }));
  }

  /** Links an entity to a Jira issue (replacing its previous issue), as pushing it in the UI would. */
  connect(integrationId: string, entityId: string, issue: JiraIssueRef): void {
    this.must(integrationId).connections.set(entityId, { ...issue });
  }

  disconnect(integrationId: string, entityId: string): void {
    this.must(integrationId).connections.delete(entityId);
  }

  setStatus(integrationId: string, status: 'enabled' | 'disabled'): void {
    this.must(integrationId).integrationStatus = status;
  }

  private must(id: string): JiraIntegrationRec {
    const r = this.byId.get(id);
    if (!r) throw new Error(`No Productboard Jira integration with id ${id}`);
    return r;
  }
}
