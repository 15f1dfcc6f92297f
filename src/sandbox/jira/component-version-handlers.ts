import { isRecord, json, SimError, type Call, type SimResponse } from '../kit/http.js';
import type { ComponentRec, VersionRec } from './directory.js';
import { jiraError } from './errors.js';
import { isIsoDate } from './field-checks.js';
import { mustProject, offsetOf, pageBean } from './paging.js';
import { jiraBody } from './request.js';
import type { JiraState } from './state.js';
import { componentJson, versionJson } from './value-json.js';

// Project components and versions (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-project-components/,
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-project-versions/): the full lists, their paged
// variants, and creation. Request bodies are ProjectComponent and Version, both `additionalProperties: false`.

// Every property of the schemas: read-only ones a client echoes back are ignored, unknown ones are refused.
const COMPONENT_KEYS = new Set([
  'ari',
  'assignee',
  'assigneeType',
  'description',
  'id',
  'isAssigneeTypeValid',
  'lead',
  'leadAccountId',
  'leadUserName',
  'metadata',
  'name',
  'project',
  'projectId',
  'realAssignee',
  'realAssigneeType',
  'self',
]);
const VERSION_KEYS = new Set([
  'approvers',
  'archived',
  'description',
  'driver',
  'expand',
  'id',
  'issuesStatusForFixVersion',
  'moveUnfixedIssuesTo',
  'name',
  'operations',
  'overdue',
  'project',
  'projectId',
  'releaseDate',
  'released',
  'self',
  'startDate',
  'userReleaseDate',
  'userStartDate',
]);
const ASSIGNEE_TYPES = new Set(['PROJECT_DEFAULT', 'COMPONENT_LEAD', 'PROJECT_LEAD', 'UNASSIGNED']);

const today = (): string => new Date().toISOString().slice(0, 10);

function objectBody(call: Call, known: ReadonlySet<string>): Record<string, unknown> {
  const body = jiraBody(call);
  if (!isRecord(body)) throw new SimError(jiraError(400, ['The request body must be a JSON object.']));
  for (const k of Object.keys(body)) if (!known.has(k)) throw new SimError(jiraError(400, [`Unrecognized field "${k}"`]));
  return body;
}

/** Case-insensitive `query` filter on name and description, as the paged list operations document it. */
const matchesQuery = (call: Call, r: { name: string; description: string | null }): boolean => {
  const q = (call.query.get('query') ?? '').toLowerCase();
  return r.name.toLowerCase().includes(q) || (r.description ?? '').toLowerCase().includes(q);
};

/** Sorts by the `orderBy` field (`name`, `-name`, `+description`, …); unknown fields are the request's error. */
function ordered<T>(call: Call, items: T[], keys: Record<string, (x: T) => string | number>): T[] {
  const raw = call.query.get('orderBy');
  if (!raw) return items;
  const desc = raw.startsWith('-');
  const key = keys[raw.replace(/^[-+]/, '')];
  if (!key) throw new SimError(jiraError(400, [`Invalid orderBy value '${raw}'.`]));
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return desc ? -c : c;
  });
}

export function listComponents(state: JiraState, call: Call): SimResponse {
  mustProject(state, call);
  return json(
    200,
    state.directory.listComponents().map((c) => componentJson(call.baseUrl, c, state.project)),
  );
}

/** GET /project/{projectIdOrKey}/component: PageBeanComponentWithIssueCount. */
export function pageComponents(state: JiraState, call: Call): SimResponse {
  mustProject(state, call);
  const o = offsetOf(call);
  const issueCount = (c: ComponentRec): number =>
    state.sorted().filter((r) => ((r.values.get('components') as string[] | undefined) ?? []).includes(c.id)).length;
  const list = ordered(
    call,
    state.directory.listComponents().filter((c) => matchesQuery(call, c)),
    {
      name: (c) => c.name.toLowerCase(),
      description: (c) => (c.description ?? '').toLowerCase(),
      issueCount,
      lead: () => '',
    },
  );
  return json(
    200,
    pageBean(
      call,
      list.map((c) => ({ ...componentJson(call.baseUrl, c, state.project), issueCount: issueCount(c) })),
      o,
    ),
  );
}

/** POST /component → 201 ProjectComponent. */
export function createComponent(state: JiraState, call: Call): SimResponse {
  const body = objectBody(call, COMPONENT_KEYS);
  const errors: Record<string, string> = {};
  const name = body['name'];
  if (typeof name !== 'string' || name.trim() === '')
    errors['name'] = 'The component name specified is invalid - cannot be an empty string.';
  else if (name.length > 255) errors['name'] = 'The component name is too long. It must not exceed 255 characters.';
  const project = body['project'] ?? body['projectId'];
  if (typeof project !== 'string' && typeof project !== 'number') errors['project'] = 'The project must be specified.';
  const assigneeType = body['assigneeType'];
  if (assigneeType !== undefined && (typeof assigneeType !== 'string' || !ASSIGNEE_TYPES.has(assigneeType)))
    errors['assigneeType'] = `Invalid assignee type '${String(assigneeType)}'.`;
  const lead = body['leadAccountId'];
  if (lead !== undefined && (typeof lead !== 'string' || !state.directory.user(lead)))
    errors['leadAccountId'] = `The user with account ID '${String(lead)}' does not exist.`;
  if (Object.keys(errors).length > 0) return jiraError(400, [], errors);
  if (!state.isProject(String(project))) return jiraError(404, [`No project could be found with key '${String(project)}'.`]);
  const taken = state.directory.listComponents().some((c) => c.name.toLowerCase() === (name as string).trim().toLowerCase());
  if (taken) return jiraError(400, [], { name: `A component with the name ${(name as string).trim()} already exists in this project.` });
  const description = typeof body['description'] === 'string' ? body['description'] : undefined;
  const rec = state.directory.addComponent({ name: name as string, ...(description !== undefined ? { description } : {}) });
  return json(201, componentJson(call.baseUrl, rec, state.project));
}

export function listVersions(state: JiraState, call: Call): SimResponse {
  mustProject(state, call);
  return json(
    200,
    state.directory.listVersions().map((v) => versionJson(call.baseUrl, v, state.project.id, today())),
  );
}

/** GET /project/{projectIdOrKey}/version: PageBeanVersion, with `query`, `status` and `orderBy`. */
export function pageVersions(state: JiraState, call: Call): SimResponse {
  mustProject(state, call);
  const o = offsetOf(call);
  const statuses = (call.query.get('status') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const statusOf = (v: VersionRec): string => (v.archived ? 'archived' : v.released ? 'released' : 'unreleased');
  const list = ordered(
    call,
    state.directory.listVersions().filter((v) => matchesQuery(call, v) && (statuses.length === 0 || statuses.includes(statusOf(v)))),
    {
      name: (v) => v.name.toLowerCase(),
      description: (v) => (v.description ?? '').toLowerCase(),
      // Versions without a date are listed last.
      releaseDate: (v) => v.releaseDate ?? '9999-99-99',
      startDate: (v) => v.startDate ?? '9999-99-99',
      sequence: (v) => Number(v.id),
    },
  );
  return json(
    200,
    pageBean(
      call,
      list.map((v) => versionJson(call.baseUrl, v, state.project.id, today())),
      o,
    ),
  );
}

/** POST /version → 201 Version. */
export function createVersion(state: JiraState, call: Call): SimResponse {
  const body = objectBody(call, VERSION_KEYS);
  const errors: Record<string, string> = {};
  const name = body['name'];
  if (typeof name !== 'string' || name.trim() === '') errors['name'] = 'You must specify a valid version name';
  else if (name.length > 255) errors['name'] = 'The version name must not be longer than 255 characters.';
  const project = body['projectId'] ?? body['project'];
  if (typeof project !== 'string' && typeof project !== 'number') errors['projectId'] = 'Project must be specified to create a version.';
  for (const k of ['releaseDate', 'startDate'] as const)
    if (body[k] !== undefined && body[k] !== null && !isIsoDate(body[k]))
      errors[k] = `The ${k === 'releaseDate' ? 'release' : 'start'} date is invalid.`;
  for (const k of ['released', 'archived'] as const)
    if (body[k] !== undefined && typeof body[k] !== 'boolean') errors[k] = `${k} must be true or false.`;
  const description = body['description'];
  if (description !== undefined && (typeof description !== 'string' || Buffer.byteLength(description) > 16384))
    errors['description'] = 'The description must be a string of at most 16,384 bytes.';
  if (Object.keys(errors).length > 0) return jiraError(400, [], errors);
  if (!state.isProject(String(project))) return jiraError(404, [`No project could be found with id '${String(project)}'.`]);
  if (state.directory.listVersions().some((v) => v.name.toLowerCase() === (name as string).trim().toLowerCase())) {
    return jiraError(400, [], { name: 'A version with this name already exists in this project.' });
  }
  const rec = state.directory.addVersion({
    name: name as string,
    ...(typeof description === 'string' ? { description } : {}),
    ...(typeof body['releaseDate'] === 'string' ? { releaseDate: body['releaseDate'] } : {}),
    ...(typeof body['startDate'] === 'string' ? { startDate: body['startDate'] } : {}),
    ...(typeof body['released'] === 'boolean' ? { released: body['released'] } : {}),
    ...(typeof body['archived'] === 'boolean' ? { archived: body['archived'] } : {}),
  });
  return json(201, versionJson(call.baseUrl, rec, state.project.id, today()));
}
