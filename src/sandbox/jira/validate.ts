import { isRecord } from '../kit/http.js';
import { parentLevelOk, type JiraIssueType } from './catalog.js';
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
  restrictTo,
  singleValue,
  splitBody,
  type ErrorCollection,
  type Ops,
} from './field-checks.js';
import { isEmpty, valueFromBody, type ValueField } from './field-values.js';
import type { IssueDraft, IssuePatch, IssueRec, JiraState } from './state.js';
import type { ScreenField } from './workflows.js';

// Validation of create and edit bodies (IssueUpdateDetails of POST /rest/api/3/issue and PUT
// /rest/api/3/issue/{issueIdOrKey}, https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/).
// The type's screens decide which fields a body may set ("The fields that can be set … are determined using Get create
// issue metadata", POST /rest/api/3/issue/bulk) and which are required. Error texts and keys are the ones Jira is
// documented or observed to return; field errors are collected, not first-fail, as Jira does.

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: ErrorCollection };

const HIERARCHY_ERROR = 'Given parent work item does not belong to appropriate hierarchy.';

/** Jira names a missing required field by its name, keyed by its id ("Epic Name is required."). */
export const requiredError = (name: string): string => `${name} is required.`;

function result<T>(errs: ErrorCollection, value: T): Validated<T> {
  if (errs.errorMessages.length > 0 || Object.keys(errs.errors).length > 0) return { ok: false, errors: errs };
  return { ok: true, value };
}

/**
 * Values of the screen's non-core fields present in the body; `present` tells a cleared value (null) from an absent
 * one. Refusals are recorded in errs.
 */
export function screenValues(
  o: Ops,
  fieldIds: Iterable<string>,
  current: Map<string, unknown>,
  state: JiraState,
  errs: ErrorCollection,
): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const id of fieldIds) {
    const f = state.site.field(id);
    if (!f?.value) continue;
    const v = valueFromBody(f as ValueField, o, current.get(id), state, errs);
    if (v.present && v.value !== undefined) values.set(id, v.value);
  }
  return values;
}

/**
 * Required fields left empty: on create, those the body leaves out or empties; on edit, those it clears. `values`
 * holds what the body gives, core fields included. Summary and a sub-task's parent have errors of their own.
 */
function checkRequired(
  screen: readonly ScreenField[],
  values: Map<string, unknown>,
  creating: boolean,
  state: JiraState,
  errs: ErrorCollection,
): void {
  for (const s of screen) {
    if (!s.required || s.fieldId === 'summary' || s.fieldId === 'parent' || errs.errors[s.fieldId]) continue;
    if ((creating || values.has(s.fieldId)) && isEmpty(values.get(s.fieldId)))
      errs.errors[s.fieldId] = requiredError(state.site.field(s.fieldId)?.name ?? s.fieldId);
  }
}

/** The parent of a new issue: it must exist and sit one level up; a sub-task must have one. */
function createParent(o: Ops, issueType: JiraIssueType | undefined, state: JiraState, errs: ErrorCollection): string | null {
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
  return parentId;
}

/** The create screen's other values, with its required fields (core ones included) checked. */
function createValues(
  o: Ops,
  screen: readonly ScreenField[],
  core: { description: unknown; labels: string[]; duedate: unknown },
  state: JiraState,
  errs: ErrorCollection,
): Map<string, unknown> {
  const ids = screen.map((s) => s.fieldId);
  const values = screenValues(o, ids, new Map(), state, errs);
  // Every issue gets the site's default priority when the create leaves it out, so a required priority is never missing.
  if (!values.has('priority')) values.set('priority', state.site.defaultPriorityId);
  checkRequired(
    screen,
    new Map([...values, ['description', core.description], ['labels', core.labels], ['duedate', core.duedate]]),
    true,
    state,
    errs,
  );
  for (const [k, v] of values) if (v === null) values.delete(k);
  return values;
}

export function validateCreate(body: unknown, state: JiraState): Validated<IssueDraft> {
  const errs: ErrorCollection = { errorMessages: [], errors: {} };
  const split = splitBody(body, errs);
  if (!split) return { ok: false, errors: errs };

  const project = singleValue(split, 'project', errs).value;
  const pref = isRecord(project) ? (project['key'] ?? project['id']) : undefined;
  if (pref === undefined || !state.isProject(String(pref))) errs.errors['project'] = 'Specify a valid project ID or key';

  let issueType: JiraIssueType | undefined;
  const it = singleValue(split, 'issuetype', errs).value;
  if (!isRecord(it)) errs.errors['issuetype'] = 'Specify an issue type';
  else {
    issueType = issueTypeOf(it, state.site);
    if (!issueType) errs.errors['issuetype'] = 'The issue type selected is invalid.';
  }

  // Without a valid type there is no screen to judge by: only unknown field ids are refused then.
  const screen = issueType ? state.site.createScreen(issueType.id) : undefined;
  const onScreen = screen ? new Set(['project', 'issuetype', ...screen.map((s) => s.fieldId)]) : undefined;
  const o = restrictTo(split, (id) => (onScreen ? onScreen.has(id) : state.site.fields.some((f) => f.id === id)), errs);

  const summary = checkSummary(singleValue(o, 'summary', errs).value, errs);
  const description = fieldValue(o, 'description', checkDescription, errs, null);
  const labels = labelsFrom(o, [], errs) ?? [];
  const duedate = fieldValue(o, 'duedate', checkDuedate, errs, null);

  const parentId = createParent(o, issueType, state, errs);
  const values = screen ? createValues(o, screen, { description, labels, duedate }, state, errs) : new Map<string, unknown>();
  // A required parent of a standard type (a sub-task's has its own error).
  if (
    issueType?.hierarchyLevel !== -1 &&
    screen?.some((s) => s.fieldId === 'parent' && s.required) &&
    parentId === null &&
    !errs.errors['parentId']
  ) {
    errs.errors['parent'] ??= requiredError('Parent');
  }

  const properties = checkProperties(isRecord(body) ? body['properties'] : undefined, errs);

  if (!issueType || summary === undefined || description === undefined || duedate === undefined) return { ok: false, errors: errs };
  for (const rule of state.createRules) Object.assign(errs.errors, rule({ summary, issueTypeName: issueType.name }) ?? {});
  return result(errs, { issueType, summary, description, labels, duedate, parentId, properties, values });
}

export function validateEdit(body: unknown, issue: IssueRec, state: JiraState): Validated<IssuePatch> {
  const errs: ErrorCollection = { errorMessages: [], errors: {} };
  const split = splitBody(body, errs);
  if (!split) return { ok: false, errors: errs };
  const patch: IssuePatch = { properties: [] };
  let type = state.typeOf(issue);
  const editScreen = state.site.editScreen(type.id);
  const o = restrictTo(split, (id) => id === 'issuetype' || editScreen.has(id), errs);

  const it = singleValue(o, 'issuetype', errs);
  if (it.present) {
    const next = isRecord(it.value) ? issueTypeOf(it.value, state.site) : undefined;
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
  if (pv.present && type.hierarchyLevel === -1 && state.behaviour.subtaskReparent === 'refuse') {
    // Historically an edit could not move a sub-task: that needed the Move operation
    // (https://github.com/pycontribs/jira/issues/487, https://github.com/netresearch/jira-skill/issues/142).
    errs.errors['parent'] = cannotSet('parent');
  } else if (pv.present) {
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

  const values = screenValues(o, editScreen, issue.values, state, errs);
  // A required field may not be cleared (the field configuration's "required" holds on edit too).
  const given = new Map(values);
  if (patch.description !== undefined) given.set('description', patch.description);
  if (patch.labels !== undefined) given.set('labels', patch.labels);
  if (patch.duedate !== undefined) given.set('duedate', patch.duedate);
  checkRequired(state.site.createScreen(type.id), given, false, state, errs);
  if (values.size > 0) patch.values = values;

  patch.properties = checkProperties(isRecord(body) ? body['properties'] : undefined, errs);
  // A `transition` in an edit body does nothing (the editIssue documentation says so).
  return result(errs, patch);
}
