import { isRecord } from '../kit/http.js';
import { adfProblem, type AdfDoc } from './adf.js';
import { issueTypeById, issueTypeByName, parentLevelOk, TRANSITIONS, type JiraIssueType } from './catalog.js';
import type { IssueDraft, IssuePatch, IssueRec, JiraState } from './state.js';

// Validation of create/edit bodies (IssueUpdateDetails). Error texts and keys are the ones Jira is documented or
// observed to return (jira-api.md §2, §3, §5b, §9); field errors are collected, not first-fail, as Jira does.

export interface ErrorCollection {
  errorMessages: string[];
  errors: Record<string, string>;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: ErrorCollection };

const SETTABLE = new Set(['project', 'issuetype', 'summary', 'description', 'labels', 'duedate', 'parent']);
const HIERARCHY_ERROR = 'Given parent work item does not belong to appropriate hierarchy.';
const ADF_ERROR = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
const MAX_PROPERTY_BYTES = 32768;

const cannotSet = (f: string): string => `Field '${f}' cannot be set. It is not on the appropriate screen, or unknown.`;

interface Ops {
  fields: Record<string, unknown>;
  update: Record<string, unknown>;
}

function splitBody(body: unknown, errs: ErrorCollection): Ops | undefined {
  if (!isRecord(body)) {
    errs.errorMessages.push('The request body must be a JSON object (IssueUpdateDetails).');
    return undefined;
  }
  const fields = body['fields'] ?? {};
  const update = body['update'] ?? {};
  if (!isRecord(fields)) errs.errors['fields'] = 'data was not an object';
  if (!isRecord(update)) errs.errors['update'] = 'data was not an object';
  if (!isRecord(fields) || !isRecord(update)) return undefined;
  for (const k of Object.keys(fields)) if (!SETTABLE.has(k)) errs.errors[k] = cannotSet(k);
  for (const k of Object.keys(update)) {
    if (!SETTABLE.has(k)) errs.errors[k] = cannotSet(k);
    // "A field may appear in `fields` or in `update`, never in both" (jira-api.md §2).
    else if (k in fields) errs.errors[k] = `Field '${k}' cannot be set in both 'fields' and 'update'.`;
  }
  return { fields, update };
}

/** Reads `update.<field>` as a list of operations. */
function opsOf(update: Record<string, unknown>, field: string, errs: ErrorCollection): Array<Record<string, unknown>> {
  const v = update[field];
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => !isRecord(x))) {
    errs.errors[field] = 'Operations must be an array of objects like {"set": ...}.';
    return [];
  }
  return v as Array<Record<string, unknown>>;
}

/** Value of a single-value field from `fields` or an `update` `set` operation; undefined when absent. */
function singleValue(o: Ops, field: string, errs: ErrorCollection): { present: boolean; value: unknown } {
  if (field in o.fields) return { present: true, value: o.fields[field] };
  const ops = opsOf(o.update, field, errs);
  if (ops.length === 0) return { present: false, value: undefined };
  const op = ops[ops.length - 1] as Record<string, unknown>;
  if (!('set' in op)) {
    errs.errors[field] = `Field '${field}' only supports the 'set' operation.`;
    return { present: false, value: undefined };
  }
  return { present: true, value: op['set'] };
}

function checkSummary(v: unknown, errs: ErrorCollection): string | undefined {
  if (typeof v !== 'string' || v.trim() === '') {
    errs.errors['summary'] = 'You must specify a summary of the issue.';
    return undefined;
  }
  if (/[\r\n]/.test(v)) {
    errs.errors['summary'] = 'The summary is invalid because it contains newline characters.';
    return undefined;
  }
  if (v.length > 255) {
    errs.errors['summary'] = 'Summary must be less than 255 characters.';
    return undefined;
  }
  return v;
}

function checkDescription(v: unknown, errs: ErrorCollection): AdfDoc | null | undefined {
  if (v === null) return null;
  // v3 takes ADF only; a plain string is what API v2 wanted (jira-api.md §7).
  if (typeof v === 'string') {
    errs.errors['description'] = ADF_ERROR;
    return undefined;
  }
  const problem = adfProblem(v);
  if (problem) {
    errs.errors['description'] = `${ADF_ERROR}: ${problem}.`;
    return undefined;
  }
  return v as AdfDoc;
}

function checkLabel(l: unknown, errs: ErrorCollection): l is string {
  if (typeof l !== 'string' || l === '') {
    errs.errors['labels'] = 'Labels must be non-empty strings.';
    return false;
  }
  if (/\s/.test(l)) {
    errs.errors['labels'] = `The label '${l}' contains spaces which is invalid.`;
    return false;
  }
  if (l.length > 255) {
    errs.errors['labels'] = `The label '${l}' exceeds the maximum length for a single label of 255 characters.`;
    return false;
  }
  return true;
}

function labelsFrom(o: Ops, current: string[], errs: ErrorCollection): string[] | undefined {
  if ('labels' in o.fields) {
    const v = o.fields['labels'];
    if (v === null) return [];
    if (!Array.isArray(v)) {
      errs.errors['labels'] = 'data was not an array';
      return undefined;
    }
    return v.every((l) => checkLabel(l, errs)) ? (v as string[]) : undefined;
  }
  const ops = opsOf(o.update, 'labels', errs);
  if (ops.length === 0) return undefined;
  let labels = [...current];
  for (const op of ops) {
    if ('add' in op) {
      if (!checkLabel(op['add'], errs)) return undefined;
      labels.push(op['add']);
    } else if ('remove' in op) {
      labels = labels.filter((l) => l !== op['remove']);
    } else if ('set' in op) {
      const v = op['set'];
      if (!Array.isArray(v) || !v.every((l) => checkLabel(l, errs))) {
        errs.errors['labels'] ??= 'data was not an array';
        return undefined;
      }
      labels = [...(v as string[])];
    } else {
      errs.errors['labels'] = "Labels support the operations 'add', 'remove' and 'set'.";
      return undefined;
    }
  }
  return labels;
}

function checkDuedate(v: unknown, errs: ErrorCollection): string | null | undefined {
  if (v === null || v === '') return null;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
    errs.errors['duedate'] = `Error parsing date string: ${String(v)}`;
    return undefined;
  }
  return v;
}

/** Resolves a `{key}` / `{id}` reference; reports a missing or malformed parent. */
function resolveParent(v: unknown, state: JiraState, errs: ErrorCollection): IssueRec | undefined {
  if (!isRecord(v)) {
    errs.errors['parent'] = 'data was not an object';
    return undefined;
  }
  const ref = typeof v['id'] === 'string' || typeof v['id'] === 'number' ? String(v['id']) : typeof v['key'] === 'string' ? v['key'] : undefined;
  if (ref === undefined) {
    errs.errors['parent'] = 'Parent must be given as {"key": ...} or {"id": ...}.';
    return undefined;
  }
  const p = state.find(ref);
  if (!p) errs.errors['parent'] = `Could not find issue by id or key: ${ref}`;
  return p;
}

function checkProperties(v: unknown, errs: ErrorCollection): Array<[string, unknown]> {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    errs.errors['properties'] = 'data was not an array';
    return [];
  }
  const out: Array<[string, unknown]> = [];
  for (const p of v) {
    if (!isRecord(p) || typeof p['key'] !== 'string' || p['key'] === '' || p['key'].length > 255 || p['value'] === undefined) {
      errs.errorMessages.push('Each property needs a non-empty "key" (≤255 characters) and a "value".');
      continue;
    }
    const problem = propertyValueProblem(p['value']);
    if (problem) {
      errs.errorMessages.push(`Property '${p['key']}': ${problem}`);
      continue;
    }
    out.push([p['key'], p['value']]);
  }
  return out;
}

/** Issue property values are any JSON value up to 32,768 bytes (jira-api.md §5a). */
export function propertyValueProblem(value: unknown): string | undefined {
  const text = JSON.stringify(value);
  if (text === undefined) return 'The property value must be valid JSON.';
  if (Buffer.byteLength(text) > MAX_PROPERTY_BYTES) return `The property value exceeds the maximum size of ${MAX_PROPERTY_BYTES} bytes.`;
  return undefined;
}

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
  if (pref === undefined || (String(pref).toUpperCase() !== state.project.key.toUpperCase() && String(pref) !== state.project.id)) {
    errs.errors['project'] = 'Specify a valid project ID or key';
  }

  let issueType: JiraIssueType | undefined;
  const it = singleValue(o, 'issuetype', errs).value;
  if (!isRecord(it)) errs.errors['issuetype'] = 'Specify an issue type';
  else {
    issueType =
      it['id'] !== undefined ? issueTypeById(String(it['id'])) : typeof it['name'] === 'string' ? issueTypeByName(it['name']) : undefined;
    if (!issueType) errs.errors['issuetype'] = 'The issue type selected is invalid.';
  }

  const summary = checkSummary(singleValue(o, 'summary', errs).value, errs);
  const d = singleValue(o, 'description', errs);
  const description = d.present ? checkDescription(d.value, errs) : null;
  const labels = labelsFrom(o, [], errs) ?? [];
  const dd = singleValue(o, 'duedate', errs);
  const duedate = dd.present ? checkDuedate(dd.value, errs) : null;

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
  // A `transition` in the create body moves the new issue out of the initial status (jira-api.md §2).
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
    const v = it.value;
    const next = isRecord(v) ? (v['id'] !== undefined ? issueTypeById(String(v['id'])) : typeof v['name'] === 'string' ? issueTypeByName(v['name']) : undefined) : undefined;
    if (!next) errs.errors['issuetype'] = 'The issue type selected is invalid.';
    else if (next.hierarchyLevel !== type.hierarchyLevel) errs.errors['issuetype'] = 'The issue type cannot be changed to a type on a different hierarchy level.';
    else {
      patch.issueTypeId = next.id;
      type = next;
    }
  }

  const s = singleValue(o, 'summary', errs);
  if (s.present) {
    const v = checkSummary(s.value, errs);
    if (v !== undefined) patch.summary = v;
  }
  const d = singleValue(o, 'description', errs);
  if (d.present) {
    const v = checkDescription(d.value, errs);
    if (v !== undefined) patch.description = v;
  }
  const labels = labelsFrom(o, issue.labels, errs);
  if (labels !== undefined) patch.labels = labels;
  const dd = singleValue(o, 'duedate', errs);
  if (dd.present) {
    const v = checkDuedate(dd.value, errs);
    if (v !== undefined) patch.duedate = v;
  }

  const pv = singleValue(o, 'parent', errs);
  if (pv.present) {
    // `update.parent: [{set: {none: true}}]` removes the parent (jira-api.md §2 editIssue).
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
  // A `transition` here does nothing (jira-api.md §2: "Including a transition here does nothing").
  return result(errs, patch);
}
