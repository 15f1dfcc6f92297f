import { isRecord, SimError } from '../kit/http.js';
import { callActionEndpoint } from './action-endpoint.js';
import { connectionUrl, parseConnectionState } from './plugin-handlers.js';
import type { ConnectionJson } from './plugin-state.js';
import { entityLinks } from './render.js';
import type { PbState } from './state.js';

// A person pressing a plugin integration's button in the Productboard UI: the sandbox POSTs the action notification
// to the action URL (callback `actionCallback` POST of createPluginIntegration, plugin-integrations.openapi.json,
// https://developer.productboard.com/v2/openapi) with the configured Authorization header, and applies the
// connection state the endpoint answers, "equivalent to calling the Configure Connection endpoint". An answer that is
// late (5 s), not a 200 or not a valid ConnectionState leaves the connection in `error` with a `debugDetail`, which
// the spec reserves for failures "on Productboard's side".

export type PluginTrigger = 'button.push' | 'button.unlink' | 'button.dismiss';

export interface ButtonPress {
  integrationId: string;
  entityId: string;
  /** Default 'button.push'. */
  trigger?: PluginTrigger;
  /** Who pressed it; default a sandbox product manager. */
  user?: { name: string; email: string };
}

export interface PressResult {
  /** HTTP status the action endpoint answered; null when it did not answer. */
  status: number | null;
  /** Whether its answer was applied as given. */
  applied: boolean;
  /** The entity's connection afterwards. */
  connection: ConnectionJson;
  /** Why the answer was not applied. */
  detail?: string;
}

/** The Productboard side of the sandbox as a press needs it (`sandbox.productboard`). */
export interface PressTarget {
  url: string;
  state: PbState;
}

export async function pressPluginButton(pb: PressTarget, press: ButtonPress): Promise<PressResult> {
  const { state } = pb;
  const rec = state.plugins.get(press.integrationId);
  if (!rec) throw new Error(`No Productboard plugin integration with id ${press.integrationId}`);
  if (rec.integrationStatus !== 'enabled')
    throw new Error(`Plugin integration "${rec.name}" is disabled: its column and buttons are hidden.`);
  if (!state.entity(press.entityId)) throw new Error(`No Productboard entity with id ${press.entityId}`);
  const trigger = press.trigger ?? 'button.push';
  const payload = {
    data: {
      integrationId: rec.id,
      trigger,
      // The spec's example gives the entity's API URL in the v1 form (`…/features/{id}`); a client should use `id`.
      feature: {
        id: press.entityId,
        links: { self: `${pb.url}/features/${press.entityId}`, html: entityLinks(pb.url, press.entityId).html },
      },
      triggeredByUser: press.user ?? { name: 'Sandbox Product Manager', email: 'pm@sandbox.example' },
      links: { connection: connectionUrl(pb.url, rec.id, press.entityId) },
    },
  };
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    ...(rec.action.authorization ? { Authorization: rec.action.authorization } : {}),
  };
  let status: number | null = null;
  let outcome: Reading;
  try {
    const answer = await callActionEndpoint({ method: 'POST', url: new URL(rec.action.url), headers, body: JSON.stringify(payload) });
    status = answer.status;
    outcome = readAnswer(answer.status, answer.body);
  } catch (err) {
    outcome = { ok: false, problem: `no answer from the action URL (${err instanceof Error ? err.message : String(err)})` };
  }
  const connection: ConnectionJson = outcome.ok
    ? outcome.connection
    : { state: 'error', message: 'The integration did not answer as expected.', debugDetail: outcome.problem.slice(0, 8000) };
  state.plugins.setConnection(rec.id, press.entityId, connection);
  state.plugins.outbound.push({
    kind: 'action',
    integrationId: rec.id,
    url: rec.action.url,
    trigger,
    authorized: rec.action.authorization !== undefined,
    status,
    outcome: outcome.ok ? 'ok' : 'failed',
    ...(outcome.ok ? {} : { detail: outcome.problem }),
    at: Date.now(),
  });
  const after = state.plugins.connection(rec.id, press.entityId);
  return outcome.ok ? { status, applied: true, connection: after } : { status, applied: false, connection: after, detail: outcome.problem };
}

type Reading = { ok: true; connection: ConnectionJson } | { ok: false; problem: string };

/** The 200 answer `{data: {fields: {connection: ConnectionState}}}`, or what is wrong with it. */
function readAnswer(status: number, body: string): Reading {
  if (status !== 200) return { ok: false, problem: `the action URL answered HTTP ${status}, expected 200` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    return { ok: false, problem: `JSON decoding error: ${err instanceof Error ? err.message : String(err)}` };
  }
  const data = isRecord(parsed) ? parsed['data'] : undefined;
  const fields = isRecord(data) ? data['fields'] : undefined;
  if (!isRecord(fields)) return { ok: false, problem: 'JSON decoding error: data.fields.connection is missing' };
  try {
    return { ok: true, connection: parseConnectionState(fields['connection'], '/data/fields/connection') };
  } catch (err) {
    if (!(err instanceof SimError)) throw err;
    const first = (err.response.json as { errors?: Array<{ detail?: string; source?: { pointer?: string } }> }).errors?.[0];
    return { ok: false, problem: `JSON decoding error: ${first?.source?.pointer ?? ''}: ${first?.detail ?? 'invalid connection state'}` };
  }
}
