import { requestFingerprint } from '../kit/cursor.js';
import { json, type Call, type SimResponse } from '../kit/http.js';
import { notFound } from './errors.js';
import type { JiraIntegrationRec, JiraIssueRef } from './native-jira.js';
import { HTML_BASE } from './render.js';
import { offsetPage, queryWithout } from './paging.js';
import type { PbState } from './state.js';

// Productboard's native Jira integration, read-only (jira-integrations.openapi.json, https://developer.productboard.com/v2/openapi):
// GET /v2/jira-integrations, GET /v2/jira-integrations/{integrationId},
// GET /v2/jira-integrations/{integrationId}/connections[?issueKey=…|issueId=…] (paged) and
// GET /v2/jira-integrations/{integrationId}/connections/{entityId}.

export function listJiraIntegrations(state: PbState, call: Call): SimResponse {
  const { page, next } = offsetPage(call, state.jiraIntegrations.list(), '', '/v2/jira-integrations', new URLSearchParams());
  return json(200, { data: page.map((r) => integrationJson(call.baseUrl, r)), links: { next } });
}

export function getJiraIntegration(state: PbState, call: Call): SimResponse {
  return json(200, { data: integrationJson(call.baseUrl, integration(state, call)) });
}

/** Connections in entity id order; `issueKey` / `issueId` narrow the list to that issue's connection, if any. */
export function listJiraConnections(state: PbState, call: Call): SimResponse {
  const rec = integration(state, call);
  const issueKey = call.query.get('issueKey');
  const issueId = call.query.get('issueId');
  const all = [...rec.connections]
    .filter(([, ref]) => (issueKey === null || ref.issueKey === issueKey) && (issueId === null || ref.issueId === issueId))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = queryWithout(call, 'pageCursor');
  const { page, next } = offsetPage(call, all, requestFingerprint(query.toString()), `/v2/jira-integrations/${rec.id}/connections`, query);
  return json(200, { data: page.map(([entityId, ref]) => connectionJson(call.baseUrl, rec.id, entityId, ref)), links: { next } });
}

export function getJiraConnection(state: PbState, call: Call): SimResponse {
  const rec = integration(state, call);
  const entityId = call.params['entityId'] ?? '';
  const ref = rec.connections.get(entityId);
  if (!ref) throw notFound('Jira integration connection', entityId);
  return json(200, { data: connectionJson(call.baseUrl, rec.id, entityId, ref) });
}

function integration(state: PbState, call: Call): JiraIntegrationRec {
  const id = call.params['integrationId'] ?? '';
  const rec = state.jiraIntegrations.get(id);
  if (!rec) throw notFound('Jira integration', id);
  return rec;
}

function integrationJson(baseUrl: string, r: JiraIntegrationRec): Record<string, unknown> {
  return {
    id: r.id,
    type: 'jiraIntegration',
    createdAt: new Date(r.createdAt).toISOString(),
    fields: { name: r.name, integrationStatus: r.integrationStatus },
    links: {
      self: `${baseUrl}/v2/jira-integrations/${r.id}`,
      connections: `${baseUrl}/v2/jira-integrations/${r.id}/connections`,
      html: `${HTML_BASE}/settings/integrations/jira/${r.id}`,
    },
  };
}

/** JiraIntegrationConnection: its `id` is the entity's id. */
function connectionJson(baseUrl: string, integrationId: string, entityId: string, ref: JiraIssueRef): Record<string, unknown> {
  return {
    id: entityId,
    type: 'jiraIntegrationConnection',
    fields: { issueKey: ref.issueKey, issueId: ref.issueId },
    links: { self: `${baseUrl}/v2/jira-integrations/${integrationId}/connections/${entityId}` },
  };
}
