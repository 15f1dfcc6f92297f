import { randomUUID } from 'node:crypto';
import { requestFingerprint } from '../kit/cursor.js';
import { isRecord, json, SimError, type Call, type SimResponse } from '../kit/http.js';
import { actionUrlProblem, callActionEndpoint } from './action-endpoint.js';
import { bad, jsonBody, notFound, pbErrorResponse, unprocessable } from './errors.js';
import { offsetPage, queryWithout } from './paging.js';
import {
  CONNECTION_COLORS,
  type ConnectionJson,
  type IntegrationStatus,
  type PluginAction,
  type PluginIntegrationRec,
} from './plugin-state.js';
import type { PbState } from './state.js';

// Plugin integrations of Productboard API v2 (plugin-integrations.openapi.json, https://developer.productboard.com/v2/openapi):
// create / list / get / update / delete an integration, and list, search, get, set (PUT) and reset (DELETE) the
// connection of an entity. Creating an enabled integration, and updating the action of an enabled one, first probes
// the action URL (callback `actionCallback` GET): 200, text/plain, the `validationToken` echoed exactly, within 5 s;
// otherwise the request fails with `callback.probeFailed` and nothing changes.

const STATES = ['connected', 'error', 'progress', 'initial'] as const;

// ---- integrations ----

export async function createIntegration(state: PbState, call: Call): Promise<SimResponse> {
  const fields = bodyFields(call, 'fields');
  const base = '/data/fields';
  const input = {
    type: boundedString(fields['type'], 255, `${base}/type`),
    name: boundedString(fields['name'], 255, `${base}/name`),
    integrationStatus:
      fields['integrationStatus'] === undefined ? 'enabled' : status(fields['integrationStatus'], `${base}/integrationStatus`),
    initialLabel: initialLabel(fields['initialState'], `${base}/initialState`),
    action: action(state, fields['action'], `${base}/action`),
  };
  for (const k of Object.keys(fields)) {
    if (!['type', 'name', 'integrationStatus', 'initialState', 'action'].includes(k))
      throw bad(`Unknown property "${k}".`, { pointer: `${base}/${k}` });
  }
  // "Set `fields.integrationStatus` to `disabled` to skip the probe."
  if (input.integrationStatus === 'enabled') await probe(state, input.action, undefined);
  const rec = state.plugins.add(input);
  return json(201, { data: reference(call.baseUrl, rec) });
}

export function listIntegrations(state: PbState, call: Call): SimResponse {
  const { page, next } = offsetPage(call, state.plugins.list(), '', '/v2/plugin-integrations', new URLSearchParams());
  return json(200, { data: page.map((r) => integrationJson(call.baseUrl, r)), links: { next } });
}

export function getIntegration(state: PbState, call: Call): SimResponse {
  return json(200, { data: integrationJson(call.baseUrl, integration(state, call)) });
}

export async function updateIntegration(state: PbState, call: Call): Promise<SimResponse> {
  const rec = integration(state, call);
  const fields = bodyFields(call, 'fields');
  const base = '/data/fields';
  const next: Partial<Pick<PluginIntegrationRec, 'name' | 'integrationStatus' | 'initialLabel' | 'action'>> = {};
  for (const [k, v] of Object.entries(fields)) {
    const p = `${base}/${k}`;
    if (k === 'name') next.name = boundedString(v, 255, p);
    else if (k === 'integrationStatus') next.integrationStatus = status(v, p);
    else if (k === 'initialState') next.initialLabel = initialLabel(v, p);
    else if (k === 'action') next.action = action(state, v, p);
    else throw bad(`Unknown property "${k}".`, { pointer: p });
  }
  const enabled = (next.integrationStatus ?? rec.integrationStatus) === 'enabled';
  const enabling = rec.integrationStatus === 'disabled' && next.integrationStatus === 'enabled';
  // "If `action` is updated while the integration is `enabled`, a new probe is sent"; enabling probes too.
  if (enabled && (next.action !== undefined || enabling)) await probe(state, next.action ?? rec.action, rec.id);
  Object.assign(rec, next);
  return json(200, { data: reference(call.baseUrl, rec) });
}

export function deleteIntegration(state: PbState, call: Call): SimResponse {
  state.plugins.remove(integration(state, call).id);
  return { status: 204 };
}

// ---- connections ----

export function listConnections(state: PbState, call: Call): SimResponse {
  const rec = integration(state, call);
  const wanted = call.query.getAll('state[]').map((s) => stateName(s, { parameter: 'state[]' }));
  const all = state.plugins.connections(rec.id).filter((c) => wanted.length === 0 || wanted.includes(c.connection.state));
  const query = queryWithout(call, 'pageCursor');
  const { page, next } = offsetPage(
    call,
    all,
    requestFingerprint(query.toString()),
    `/v2/plugin-integrations/${rec.id}/connections`,
    query,
  );
  return json(200, { data: page.map((c) => connectionJson(call.baseUrl, rec.id, c.entityId, c.connection)), links: { next } });
}

/** The same list, filtered by a body `{data: {filter: {state?, entityId?}}}` (ConnectionsSearchFilter). */
export function searchConnections(state: PbState, call: Call): SimResponse {
  const rec = integration(state, call);
  const body = call.body.length === 0 ? {} : jsonBody(call.body);
  const data = isRecord(body) ? body['data'] : undefined;
  const filter = isRecord(data) ? data['filter'] : undefined;
  if (!isRecord(body) || (data !== undefined && !isRecord(data)) || (filter !== undefined && !isRecord(filter))) {
    throw bad('The body must be { data: { filter: { state?, entityId? } } }.', { pointer: '/data' });
  }
  const states = stringList(filter?.['state'], '/data/filter/state').map((s) => stateName(s, { pointer: '/data/filter/state' }));
  const ids = stringList(filter?.['entityId'], '/data/filter/entityId');
  const all = state.plugins
    .connections(rec.id)
    .filter((c) => (states.length === 0 || states.includes(c.connection.state)) && (ids.length === 0 || ids.includes(c.entityId)));
  const { page, next } = offsetPage(
    call,
    all,
    requestFingerprint(body),
    `/v2/plugin-integrations/${rec.id}/connections/search`,
    new URLSearchParams(),
  );
  return json(200, { data: page.map((c) => connectionJson(call.baseUrl, rec.id, c.entityId, c.connection)), links: { next } });
}

/** "If no connection exists for the entity, this endpoint returns a connection with `state: initial` rather than a `404`." */
export function getConnection(state: PbState, call: Call): SimResponse {
  const { rec, entityId } = connectionTarget(state, call);
  return json(200, { data: connectionJson(call.baseUrl, rec.id, entityId, state.plugins.connection(rec.id, entityId)) });
}

export function putConnection(state: PbState, call: Call): SimResponse {
  const { rec, entityId } = connectionTarget(state, call);
  const fields = bodyFields(call, 'fields');
  for (const k of Object.keys(fields)) if (k !== 'connection') throw bad(`Unknown property "${k}".`, { pointer: `/data/fields/${k}` });
  const connection = parseConnectionState(fields['connection'], '/data/fields/connection');
  state.plugins.setConnection(rec.id, entityId, connection);
  return json(200, { data: { id: entityId, links: { self: connectionUrl(call.baseUrl, rec.id, entityId) } } });
}

export function deleteConnection(state: PbState, call: Call): SimResponse {
  const { rec, entityId } = connectionTarget(state, call);
  state.plugins.setConnection(rec.id, entityId, { state: 'initial' });
  return { status: 204 };
}

/**
 * A ConnectionState (oneOf on `state`): `connected` needs label and hoverLabel (1–20), tooltip (1–50), a color of
 * the enum and targetUrl (1–1000); `error` needs message (1–255) and may not carry the read-only `debugDetail`;
 * `progress` and `initial` carry nothing else. Throws a 400 naming the offending property.
 */
export function parseConnectionState(raw: unknown, pointer: string): ConnectionJson {
  if (!isRecord(raw)) throw bad('"connection" must be an object with a "state".', { pointer });
  const st = stateName(raw['state'], { pointer: `${pointer}/state` });
  switch (st) {
    case 'connected': {
      const label = boundedString(raw['label'], 20, `${pointer}/label`);
      const hoverLabel = boundedString(raw['hoverLabel'], 20, `${pointer}/hoverLabel`);
      const tooltip = boundedString(raw['tooltip'], 50, `${pointer}/tooltip`);
      const color = raw['color'];
      if (typeof color !== 'string' || !(CONNECTION_COLORS as readonly string[]).includes(color)) {
        throw bad(`"color" must be one of ${CONNECTION_COLORS.join(', ')}.`, { pointer: `${pointer}/color` });
      }
      const targetUrl = boundedString(raw['targetUrl'], 1000, `${pointer}/targetUrl`);
      if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(targetUrl))
        throw bad('"targetUrl" must be an absolute URL.', { pointer: `${pointer}/targetUrl` });
      return { state: 'connected', label, hoverLabel, tooltip, color: color as (typeof CONNECTION_COLORS)[number], targetUrl };
    }
    case 'error':
      if (raw['debugDetail'] !== undefined) throw bad('"debugDetail" is set by Productboard only.', { pointer: `${pointer}/debugDetail` });
      return { state: 'error', message: boundedString(raw['message'], 255, `${pointer}/message`) };
    default:
      return { state: st };
  }
}

// ---- the probe ----

async function probe(state: PbState, act: PluginAction, integrationId: string | undefined): Promise<void> {
  const token = randomUUID();
  const url = new URL(act.url);
  url.searchParams.set('validationToken', token);
  const headers: Record<string, string> = { Accept: 'text/plain', ...(act.authorization ? { Authorization: act.authorization } : {}) };
  let problem: string | undefined;
  let status: number | null = null;
  try {
    const answer = await callActionEndpoint({ method: 'GET', url, headers });
    status = answer.status;
    if (answer.status !== 200) problem = `the probe got HTTP ${answer.status}, expected 200`;
    else if (!/^text\/plain\b/i.test(answer.contentType))
      problem = `the probe got Content-Type "${answer.contentType}", expected text/plain`;
    else if (answer.body !== token) problem = 'the probe answer did not echo the validationToken exactly';
  } catch (err) {
    problem = `the probe got no answer (${err instanceof Error ? err.message : String(err)})`;
  }
  state.plugins.outbound.push({
    kind: 'probe',
    integrationId: integrationId ?? '',
    url: act.url,
    authorized: act.authorization !== undefined,
    status,
    outcome: problem ? 'failed' : 'ok',
    ...(problem ? { detail: problem } : {}),
    at: Date.now(),
  });
  if (problem) {
    // The spec names the code, not the status; 422 is the sandbox's choice among the operation's documented ones.
    const detail = `Productboard could not verify the action URL: ${problem}.`;
    throw new SimError(
      pbErrorResponse(422, 'callback.probeFailed', 'Action endpoint probe failed', detail, { pointer: '/data/fields/action/url' }),
    );
  }
}

// ---- parsing and rendering ----

function bodyFields(call: Call, key: 'fields'): Record<string, unknown> {
  const body = jsonBody(call.body);
  if (!isRecord(body)) throw bad('The request body must be a JSON object.', { pointer: '' });
  const data = body['data'];
  if (!isRecord(data)) throw bad('Field "data" is required and must be an object.', { pointer: '/data' });
  const fields = data[key];
  if (!isRecord(fields)) throw bad(`Field "${key}" is required and must be an object.`, { pointer: `/data/${key}` });
  return fields;
}

function boundedString(v: unknown, max: number, pointer: string): string {
  if (typeof v !== 'string' || v.length < 1 || v.length > max) {
    throw bad(`Field '${pointer.split('/').pop() ?? ''}' must be a string of 1 to ${max} characters.`, { pointer });
  }
  return v;
}

function status(v: unknown, pointer: string): IntegrationStatus {
  if (v !== 'enabled' && v !== 'disabled') throw bad('"integrationStatus" must be enabled or disabled.', { pointer });
  return v;
}

function initialLabel(v: unknown, pointer: string): string {
  if (!isRecord(v)) throw bad('"initialState" must be an object with a "label".', { pointer });
  return boundedString(v['label'], 10, `${pointer}/label`);
}

function action(state: PbState, v: unknown, pointer: string): PluginAction {
  if (!isRecord(v)) throw bad('"action" must be an object with "url" and "version".', { pointer });
  const url = boundedString(v['url'], 1024, `${pointer}/url`);
  if (v['version'] !== 1) throw bad('"version" must be 1.', { pointer: `${pointer}/version` });
  const problem = actionUrlProblem(url, state.behaviour.actionUrls);
  if (problem?.status === 400) throw bad(problem.detail, { pointer: `${pointer}/url` });
  if (problem) throw unprocessable(problem.detail, `${pointer}/url`);
  const out: PluginAction = { url, version: 1 };
  const headers = v['headers'];
  if (headers !== undefined) {
    if (!isRecord(headers)) throw bad('"headers" must be an object.', { pointer: `${pointer}/headers` });
    if (headers['authorization'] !== undefined)
      out.authorization = boundedString(headers['authorization'], 2048, `${pointer}/headers/authorization`);
  }
  return out;
}

function stateName(v: unknown, source: { pointer?: string; parameter?: string }): (typeof STATES)[number] {
  if (typeof v !== 'string' || !(STATES as readonly string[]).includes(v))
    throw bad(`"state" must be one of ${STATES.join(', ')}.`, source);
  return v as (typeof STATES)[number];
}

function stringList(v: unknown, pointer: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad('Expected an array of strings.', { pointer });
  return v as string[];
}

function integration(state: PbState, call: Call): PluginIntegrationRec {
  const id = call.params['integrationId'] ?? '';
  const rec = state.plugins.get(id);
  if (!rec) throw notFound('Plugin integration', id);
  return rec;
}

function connectionTarget(state: PbState, call: Call): { rec: PluginIntegrationRec; entityId: string } {
  const rec = integration(state, call);
  const entityId = call.params['entityId'] ?? '';
  if (!state.entity(entityId)) throw notFound('Entity', entityId);
  return { rec, entityId };
}

function links(baseUrl: string, id: string): { self: string; connections: string } {
  return { self: `${baseUrl}/v2/plugin-integrations/${id}`, connections: `${baseUrl}/v2/plugin-integrations/${id}/connections` };
}

function reference(baseUrl: string, r: PluginIntegrationRec): Record<string, unknown> {
  return { id: r.id, links: links(baseUrl, r.id) };
}

/** PluginIntegration; `action` is write-only and never returned. */
function integrationJson(baseUrl: string, r: PluginIntegrationRec): Record<string, unknown> {
  return {
    id: r.id,
    type: 'pluginIntegration',
    createdAt: new Date(r.createdAt).toISOString(),
    fields: { type: r.type, name: r.name, integrationStatus: r.integrationStatus, initialState: { label: r.initialLabel } },
    links: links(baseUrl, r.id),
  };
}

export function connectionUrl(baseUrl: string, integrationId: string, entityId: string): string {
  return `${baseUrl}/v2/plugin-integrations/${integrationId}/connections/${entityId}`;
}

function connectionJson(baseUrl: string, integrationId: string, entityId: string, connection: ConnectionJson): Record<string, unknown> {
  return {
    id: entityId,
    type: 'pluginIntegrationConnection',
    fields: { connection },
    links: { self: connectionUrl(baseUrl, integrationId, entityId) },
  };
}
