import { isRecord } from '../kit/http.js';
import { parentLevelOk, TRANSITIONS, type JiraIssueType } from './catalog.js';
import {
  cannotSet,
  checkDescription,
  checkDuedate,
  checkProperties,
  checkSummary,
  fieldValue,
  issueTypeOf,
  labelsFrom,
  resolveParent,
  singleValue,
  splitBody,
  type ErrorCollection,
} from './field-checks.js';
import type { IssueDraft, IssuePatch, IssueRec, JiraState } from './state.js';

// Validation of create and edit bodies (IssueUpdateDetails of POST /rest/api/3/issue and PUT
// /rest/api/3/issue/{issueIdOrKey}, https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/).
// Error texts and keys are the ones Jira is documented or observed to return; field errors are collected, not
// first-fail, as Jira does.

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: ErrorCollection };

const HIERARCHY_ERROR = 'Given parent work item does not belong to appropriate hierarchy.';

function result<T>(errs: ErrorCollection, value: T): Validated<T> {
  if (errs.errorMessages.length > 0 || Object.keys(errs.errors).length > 0) return { ok: false, errors: errs };
  return { ok: true, value };
}

export function validateCreate(body: unknown, state: JiraState): Validated<IssueDraft> {
  const errs: ErrorCollection = { errorMessages: [], errors: {} };
  const o = splitBody(body, errs);
  if (!o) return { ok: false, errors: errs };

  const project = singleValue(o, 'project', errs).value;
  const pref = isRecord(project) ? (project['key'] ?? project['id']) : undefined;
  if (pref === undefined || !state.isProject(String(pref))) errs.errors['project'] = 'Specify a valid project ID or key';

  let issueType: JiraIssueType | undefined;
  const it = singleValue(o, 'issuetype', errs).value;
  if (!isRecord(it)) errs.errors['issuetype'] = 'Specify an issue type';
  else {
    issueType = issueTypeOf(it);
    if (!issueType) errs.errors['issuetype'] = 'The issue type selected is invalid.';
  }

  const summary = checkSummary(singleValue(o, 'summary', errs).value, errs);
  const description = fieldValue(o, 'description', checkDescription, errs, null);
  const labels = labelsFrom(o, [], errs) ?? [];
  const duedate = fieldValue(o, 'duedate', checkDuedate, errs, null);

  let parentId: string | null = null;
  const pv = singleValue(o, 'parent', errs);
  if (pv.present && pv.value !== null) {
    const parent = resolveParent(pv.value, state, errs);
    if (parent && issueType) {
      if (!parentLevelOk(issueType, state.typeOf(parent))) errs.errors['parentId'] = HIERARCHY_ERROR;
      else parentId = parent.id;
    }
  }
  if (issueType?.hierarchyLevel === -1 && (!pv.present || pv.value === null) && !errs.errors['issuetype']) {
    errs.errors['issuetype'] = 'Issue type is a sub-task but parent issue key or id not specified.';
  }

  const properties = checkProperties(isRecord(body) ? body['properties'] : undefined, errs);
  let statusId: string | undefined;
  // A `transition` in the create body moves the new issue out of the initial status.
  const tr = isRecord(body) ? body['transition'] : undefined;
  if (isRecord(tr) && tr['id'] !== undefined) statusId = TRANSITIONS.find((t) => t.id === String(tr['id']))?.toStatusId;

  if (!issueType || summary === undefined || description === undefined || duedate === undefined) return { ok: false, errors: errs };
  for (const rule of state.createRules) Object.assign(errs.errors, rule({ summary, issueTypeName: issueType.name }) ?? {});
  const draft: IssueDraft = { issueType, summary, description, labels, duedate, parentId, properties };
  if (statusId) draft.statusId = statusId;
  return result(errs, draft);
}

export function validateEdit(body: unknown, issue: IssueRec, state: JiraState): Validated<IssuePatch> {
  const errs: ErrorCollection = { errorMessages: [], errors: {} };
  const o = splitBody(body, errs);
  if (!o) return { ok: false, errors: errs };
  const patch: IssuePatch = { properties: [] };
  let type = state.typeOf(issue);

  if ('project' in o.fields || 'project' in o.update) errs.errors['project'] = cannotSet('project');

  const it = singleValue(o, 'issuetype', errs);
  if (it.present) {
    const next = isRecord(it.value) ? issueTypeOf(it.value) : undefined;
    if (!next) errs.errors['issuetype'] = 'The issue type selected is invalid.';
    else if (next.hierarchyLevel !== type.hierarchyLevel)
      errs.errors['issuetype'] = 'The issue type cannot be changed to a type on a different hierarchy level.';
    else {
      patch.issueTypeId = next.id;
      type = next;
    }
  }

  const summary = fieldValue(o, 'summary', checkSummary, errs);
  const description = fieldValue(o, 'description', checkDescription, errs);
  const labels = labelsFrom(o, issue.labels, errs);
  const duedate = fieldValue(o, 'duedate', checkDuedate, errs);
  if (summary !== undefined) patch.summary = summary;
  if (description !== undefined) patch.description = description;
  if (labels !== undefined) patch.labels = labels;
  if (duedate !== undefined) patch.duedate = duedate;

  const pv = singleValue(o, 'parent', errs);
  if (pv.present) {
    // `update.parent: [{set: {none: true}}]` removes the parent.
    if (isRecord(pv.value) && pv.value['none'] === true) {
      if (type.hierarchyLevel === -1) errs.errors['parentId'] = HIERARCHY_ERROR;
      else patch.parentId = null;
    } else {
      const parent = resolveParent(pv.value, state, errs);
      if (parent) {
        if (parent.id === issue.id || !parentLevelOk(type, state.typeOf(parent))) errs.errors['parentId'] = HIERARCHY_ERROR;
        else patch.parentId = parent.id;
      }
    }
  }

  patch.properties = checkProperties(isRecord(body) ? body['properties'] : undefined, errs);
  // A `transition` in an edit body does nothing (the editIssue documentation says so).
  return result(errs, patch);
}
