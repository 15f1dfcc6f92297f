import { json, type Call, type SimResponse } from '../kit/http.js';
import { STATUS_CATEGORIES } from './catalog.js';
import { jiraError } from './errors.js';
import { createMetaFieldJson, fieldDetailsJson, issueTypeRefJson } from './meta-json.js';
import { mustProject, offsetOf, pageBean } from './paging.js';
import { issueTypesJson, linkTypeJson, projectJson, statusCategoryJson, statusJson } from './render.js';
import type { JiraState } from './state.js';
import { priorityJson } from './value-json.js';

// What a client reads to learn the site: create metadata, fields, priorities, statuses and link types
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-createmeta-projectidorkey-issuetypes-get
// and the issue fields, priorities, statuses and issue link types groups).

/** GET /project/{projectIdOrKey}: the project with its issue types. */
export function getProject(state: JiraState, call: Call): SimResponse {
  mustProject(state, call);
  return json(200, {
    ...projectJson(call.baseUrl, state),
    style: 'classic',
    isPrivate: false,
    issueTypes: issueTypesJson(call.baseUrl, state),
  });
}

/** GET /issuetype/project?projectId=…&level=…: the project's issue types, optionally of one hierarchy level. */
export function projectIssueTypes(state: JiraState, call: Call): SimResponse {
  const pid = call.query.get('projectId');
  if (pid === null || pid === '') return jiraError(400, ["The 'projectId' parameter is required."]);
  if (pid !== state.project.id) return jiraError(404, [`No project could be found with id '${pid}'.`]);
  const level = call.query.get('level');
  return json(
    200,
    issueTypesJson(call.baseUrl, state).filter((t) => level === null || String(t['hierarchyLevel']) === level),
  );
}

export function listStatusCategories(call: Call): SimResponse {
  return json(
    200,
    STATUS_CATEGORIES.map((s) => statusCategoryJson(call.baseUrl, s.key)),
  );
}

/** Create metadata pages are capped at 200 (the maxResults maximum of both createmeta operations). */
const CREATEMETA_MAX = 200;

/**
 * GET /issue/createmeta/{projectIdOrKey}/issuetypes: PageOfCreateMetaIssueTypes. The spec lists no 404, so an unknown
 * project is answered 400 ("Returned if the request is invalid").
 */
export function createMetaIssueTypes(state: JiraState, call: Call): SimResponse {
  mustProject(state, call, 400);
  const o = offsetOf(call, CREATEMETA_MAX);
  const types = state.site.issueTypes.map((t) => issueTypeRefJson(call.baseUrl, t));
  return json(200, {
    issueTypes: types.slice(o.startAt, o.startAt + o.maxResults),
    maxResults: o.maxResults,
    startAt: o.startAt,
    total: types.length,
  });
}

/** GET /issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}: the create screen's fields (PageOfCreateMetaIssueTypeWithField). */
export function createMetaFields(state: JiraState, call: Call): SimResponse {
  mustProject(state, call, 400);
  const o = offsetOf(call, CREATEMETA_MAX);
  const typeId = call.params['issueTypeId'] ?? '';
  const type = state.site.typeById(typeId);
  if (!type)
    return jiraError(400, [`The issue type with id '${typeId}' does not exist or is not valid for project '${state.project.key}'.`]);
  const screen = [{ fieldId: 'project', required: true }, { fieldId: 'issuetype', required: true }, ...state.site.createScreen(type.id)];
  const fields = screen.flatMap((s) => {
    const f = state.site.field(s.fieldId);
    return f ? [createMetaFieldJson(state, call.baseUrl, f, s.required, type)] : [];
  });
  return json(200, {
    fields: fields.slice(o.startAt, o.startAt + o.maxResults),
    maxResults: o.maxResults,
    startAt: o.startAt,
    total: fields.length,
  });
}

/** GET /field: every system and custom field (FieldDetails). */
export function listFields(state: JiraState): SimResponse {
  return json(200, state.site.fields.map(fieldDetailsJson));
}

/** GET /priority: all priorities. */
export function listPriorities(state: JiraState, call: Call): SimResponse {
  return json(
    200,
    state.site.priorities.map((p) => priorityJson(call.baseUrl, p)),
  );
}

/** GET /priority/search: a PageBeanPriority, filtered by `id`, `priorityName` and `onlyDefault`. */
export function searchPriorities(state: JiraState, call: Call): SimResponse {
  const o = offsetOf(call);
  const ids = call.query.getAll('id');
  const name = (call.query.get('priorityName') ?? '').toLowerCase();
  const onlyDefault = call.query.get('onlyDefault') === 'true';
  const matching = state.site.priorities.filter(
    (p) =>
      (ids.length === 0 || ids.includes(p.id)) &&
      p.name.toLowerCase().includes(name) &&
      (!onlyDefault || p.id === state.site.defaultPriorityId),
  );
  const values = matching.map((p) => ({ ...priorityJson(call.baseUrl, p), isDefault: p.id === state.site.defaultPriorityId }));
  return json(200, pageBean(call, values, o));
}

/** GET /issueLinkType. */
export function listLinkTypes(state: JiraState, call: Call): SimResponse {
  return json(200, { issueLinkTypes: state.site.linkTypes.map((t) => linkTypeJson(call.baseUrl, t)) });
}

/** GET /status: the statuses of the site's workflows. */
export function listStatuses(state: JiraState, call: Call): SimResponse {
  return json(
    200,
    state.site.statuses.map((s) => statusJson(call.baseUrl, s)),
  );
}

/** GET /project/{projectIdOrKey}/statuses: each issue type with the statuses of its workflow (IssueTypeWithStatus). */
export function projectStatuses(state: JiraState, call: Call): SimResponse {
  mustProject(state, call);
  return json(
    200,
    state.site.issueTypes.map((t) => ({
      self: `${call.baseUrl}/rest/api/3/issuetype/${t.id}`,
      id: t.id,
      name: t.name,
      subtask: t.subtask,
      statuses: state.site.workflowOf(t.id).statusIds.map((id) => statusJson(call.baseUrl, state.site.statusById(id))),
    })),
  );
}
