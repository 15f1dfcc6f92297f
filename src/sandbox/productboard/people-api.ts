import { isRecord, json, type Call, type SimResponse } from '../kit/http.js';
import type { RouteDef } from '../kit/router.js';
import { bad, jsonBody, notFound, pbErrorResponse } from './errors.js';
import type { CustomFieldInput } from './model.js';
import { parseType } from './request.js';
import type { PbState } from './state.js';

// A small write API for people, so drift can be tried by hand against a running sandbox (`pb-jira-sync sandbox`):
// what a product manager would do in the Productboard UI. It lives under /_sandbox/, which no Productboard API path
// can collide with, and takes the sandbox's token like the API. Each call answers the entity as the sandbox now
// holds it. See PEOPLE_API_HELP for the routes.

export const PEOPLE_API_HELP = [
  'GET  /_sandbox/entities?type=feature             list ids, names and custom fields',
  'POST /_sandbox/entities/{id}/rename   {"name": "New name"}',
  'POST /_sandbox/entities/{id}/archive  {"archived": true}',
  'POST /_sandbox/entities/{id}/status   {"status": "In progress"}',
  'POST /_sandbox/entities/{id}/relink   {"parent": "<id>"} or {"unlink": "<id>", "link": "<id>"}',
  'POST /_sandbox/entities/{id}/field    {"field": "Impact", "value": "High"}   (name or id; null clears)',
  'POST /_sandbox/entities/{id}/merge    {"into": "<id>"}',
];

export function peopleRoutes(state: PbState): RouteDef[] {
  /** Runs a change on an existing entity; answers the entity (or the one `action` names, after a merge). */
  const edit = (action: (id: string, body: Record<string, unknown>) => string | void) => (call: Call) => {
    const id = call.params['id'] ?? '';
    if (!state.get(id)) throw notFound('Entity', id);
    const body = call.body.length === 0 ? {} : jsonBody(call.body);
    if (!isRecord(body)) throw bad('The body must be a JSON object.', { pointer: '' });
    try {
      const shown = action(id, body) ?? id;
      return json(200, { data: state.get(shown) ?? null });
    } catch (err) {
      // The state's own refusals (plain Errors) are the person's mistake; anything else is ours.
      if (!(err instanceof Error) || err.constructor !== Error) throw err;
      return pbErrorResponse(422, 'validation.failed', 'Validation failed', err.message);
    }
  };
  const text = (body: Record<string, unknown>, key: string): string => {
    const v = body[key];
    if (typeof v !== 'string' || v === '') throw bad(`"${key}" must be a non-empty string.`, { pointer: `/${key}` });
    return v;
  };
  const routes: RouteDef[] = [
    { method: 'GET', template: '/_sandbox/entities', handler: (c) => listForPeople(state, c) },
    { method: 'POST', template: '/_sandbox/entities/{id}/rename', handler: edit((id, b) => state.rename(id, text(b, 'name'))) },
    {
      method: 'POST',
      template: '/_sandbox/entities/{id}/archive',
      handler: edit((id, b) => {
        if (b['archived'] !== undefined && typeof b['archived'] !== 'boolean')
          throw bad('"archived" must be a boolean.', { pointer: '/archived' });
        state.archive(id, b['archived'] !== false);
      }),
    },
    { method: 'POST', template: '/_sandbox/entities/{id}/status', handler: edit((id, b) => setStatus(state, id, text(b, 'status'))) },
    { method: 'POST', template: '/_sandbox/entities/{id}/relink', handler: edit((id, b) => relink(state, id, b)) },
    {
      method: 'POST',
      template: '/_sandbox/entities/{id}/field',
      handler: edit((id, b) => state.setCustomField(id, text(b, 'field'), fieldValue(b))),
    },
    {
      method: 'POST',
      template: '/_sandbox/entities/{id}/merge',
      handler: edit((id, b) => {
        const into = text(b, 'into');
        state.merge(id, into);
        return into;
      }),
    },
  ];
  // The sandbox's own routes: never faulted, never held to Productboard's contract.
  return routes.map((route) => ({ ...route, control: true }));
}

function listForPeople(state: PbState, call: Call): SimResponse {
  const typeParam = call.query.get('type');
  const type = typeParam === null ? undefined : parseType(typeParam, { parameter: 'type' });
  const data = state.list(type).map((e) => ({
    id: e.id,
    type: e.type,
    name: e.name,
    ...(e.status !== undefined ? { status: e.status } : {}),
    archived: e.archived,
    ...(e.parentId ? { parentId: e.parentId } : {}),
    linkedIds: e.linkedIds,
    customFields: e.customFields,
  }));
  return json(200, { data });
}

function setStatus(state: PbState, id: string, status: string): void {
  const entity = state.get(id);
  const allowed = entity ? state.fields.statusNames(entity.type) : undefined;
  if (!allowed?.includes(status))
    throw new Error(`"${status}" is not a status of this entity (allowed: ${(allowed ?? []).join(', ') || 'none'}).`);
  state.setStatus(id, status);
}

/** `parent` moves the entity; `unlink` then `link` change its links (to an initiative, an objective, a release). */
function relink(state: PbState, id: string, body: Record<string, unknown>): void {
  const ref = (key: string): string | undefined => {
    const v = body[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw bad(`"${key}" must be an entity id.`, { pointer: `/${key}` });
    return v;
  };
  const parent = ref('parent');
  const unlink = ref('unlink');
  const link = ref('link');
  if (parent === undefined && unlink === undefined && link === undefined)
    throw bad('Give "parent", "link" and/or "unlink".', { pointer: '' });
  if (parent !== undefined) state.setParent(id, parent);
  if (unlink !== undefined) state.unlink(id, unlink);
  if (link !== undefined) state.link(id, link);
}

function fieldValue(body: Record<string, unknown>): CustomFieldInput | null {
  const v = body['value'];
  if (v === null || typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw bad('"value" must be a number, a string, a list of option names or null.', { pointer: '/value' });
}
